/**
 * The stored copy of a live session: what `toStored` keeps, what `restore` takes back, that an
 * anonymous poll's copy names nobody yet refuses a second vote, and that a corrupted copy (real
 * SQLite storage) is ignored, never trusted.
 */
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { BoardSession } from './boardSession';
import { DurableSessions, anonymousVoterKey, storageSessionStore } from './durable';
import { storedSessionSchema } from './stored';
import { SqliteStorage } from '../storage/sqlite';
import { sameEpochs } from '../storage/types';
import { createLogger } from '../logger';

const voterKey = anonymousVoterKey('a-secret-of-at-least-32-characters!!');
const hand = (id: string, at: number) => ({
  participantId: id,
  name: id,
  color: '#123456',
  raisedAt: at,
});

/** A session with a bit of everything, and its copy after a JSON round trip (as stored). */
function busySession(anonymous: boolean) {
  const s = new BoardSession({ voterKey });
  s.startTimer(1_000, 60_000);
  s.openPoll('p1', { kind: 'choice', question: 'Which?', options: ['A', 'B'], anonymous }, 2_000);
  s.vote('p1', 'pann0000000000a', 1, () => true);
  s.vote('p1', 'pbob0000000000b', 0, () => true);
  s.raiseHand(hand('pann0000000000a', 3_000));
  s.raiseHand(hand('pbob0000000000b', 3_100));
  s.noteLeft('pbob0000000000b', 3_500);
  return s;
}
const roundTrip = (s: BoardSession, now: number) =>
  v.parse(storedSessionSchema, JSON.parse(JSON.stringify(s.toStored(now))));

describe('a live session stored and restored', () => {
  it('keeps the timer end (wall clock), votes, voters, hands and since when their owners left', () => {
    const copy = roundTrip(busySession(false), 4_000);
    const back = new BoardSession({ voterKey });
    back.restore(copy);
    expect(back.timer).toEqual({
      durationMs: 60_000,
      endsAt: 61_000,
      remainingMs: 60_000,
      running: true,
    });
    const poll = back.pollState('pann0000000000a')!;
    expect(poll.options.map((o) => o.votes)).toEqual([1, 1]);
    expect(poll.myVote).toBe(1);
    // A second vote after the restart replaces the first: still two voters.
    expect(back.vote('p1', 'pann0000000000a', 0, () => true)).toBeNull();
    expect(back.pollState(null)!.options.map((o) => o.votes)).toEqual([2, 0]);
    expect(back.pollState(null)!.voters).toBe(2);
    expect(back.handList().map((h) => h.participantId)).toEqual([
      'pann0000000000a',
      'pbob0000000000b',
    ]);
    expect(back.goneSince('pbob0000000000b')).toBe(3_500);
    expect(back.goneSince('pann0000000000a')).toBeUndefined();
    // Replaying the poll's opening (a replica that loaded while it happened) keeps the votes.
    back.apply({ type: 'pollOpen', id: 'p1', request: copy.poll!.request, now: 2_000 });
    expect(back.pollState(null)!.voters).toBe(2);
  });

  it('an anonymous poll is stored under per-poll pseudonyms, and still takes one vote each', () => {
    const copy = roundTrip(busySession(true), 4_000);
    const text = JSON.stringify(copy.poll);
    expect(text).not.toContain('pann0000000000a');
    expect(text).not.toContain('pbob0000000000b');
    const back = new BoardSession({ voterKey });
    back.restore(copy);
    expect(back.pollState('pann0000000000a')!.myVote).toBe(1);
    back.vote('p1', 'pann0000000000a', 0, () => true);
    expect(back.pollState(null)!.voters).toBe(2);
    const closed = back.closePoll('p1', 5_000)!;
    expect(closed.options.map((o) => o.votes)).toEqual([2, 0]);
    // Another poll files the same person under another key.
    expect(voterKey('p1', 'pann0000000000a')).not.toBe(voterKey('p2', 'pann0000000000a'));
  });

  it('keeps an anonymous Q&A: answers, upvotes, the per-person cap, no ids', () => {
    const s = new BoardSession({ voterKey });
    s.qa.open('q1', { question: 'What first?', anonymous: true }, 1_000);
    s.qa.answer(
      'q1',
      'a1',
      'pann0000000000a',
      { name: 'Ann', color: '#123456' },
      'Broadband',
      1_001,
    );
    s.qa.upvote('q1', 'a1', 'pbob0000000000b', true);
    const copy = roundTrip(s, 2_000);
    expect(JSON.stringify(copy)).not.toMatch(/pann|pbob|Ann/);
    const back = new BoardSession({ voterKey });
    back.restore(copy);
    expect(back.qa.state()!.answers).toEqual([
      { id: 'a1', text: 'Broadband', author: null, votes: 1, at: 1_001 },
    ]);
    expect(back.qa.upvotedBy('pbob0000000000b')).toEqual(['a1']);
    expect(back.qa.upvote('q1', 'a1', 'pann0000000000a', true)).toBe('ownAnswer');
    expect(back.qa.upvote('q1', 'a1', 'pbob0000000000b', true)).toBeNull();
    expect(back.qa.state()!.answers[0]!.votes).toBe(1);
  });

  it('an idle session has nothing to keep', () => {
    const s = new BoardSession();
    expect(s.isIdle).toBe(true);
    s.raiseHand(hand('a', 1));
    expect(s.isIdle).toBe(false);
    s.lowerHand('a');
    s.startTimer(0, 90_000);
    expect(s.isIdle).toBe(false);
  });
});

describe('DurableSessions on real SQLite storage', () => {
  const logger = createLogger('silent');
  async function withBoard() {
    const storage = new SqliteStorage(':memory:');
    await storage.createBoard(
      {
        id: 'board1',
        title: 't',
        modelId: 'pk-ict-exports',
        modelVersion: 2,
        createdAt: 0,
        updatedAt: 0,
        linkEpochs: sameEpochs(0),
        joinCode: 'ABCDEF',
      },
      new Uint8Array([0, 0]),
    );
    return storage;
  }

  it('writes within the delay, flushes on demand, deletes an idle copy, and reads it back', async () => {
    const storage = await withBoard();
    const durable = new DurableSessions(storageSessionStore(storage), logger);
    const session = busySession(false);
    durable.changed('board1', session);
    expect(await storage.loadLiveSession('board1')).toBeNull(); // not yet: debounced
    await durable.flush();
    const loaded = await durable.load('board1');
    expect(loaded?.poll?.votes).toHaveLength(2);
    session.closePoll('p1', 9);
    session.lowerHand('pann0000000000a');
    session.lowerHand('pbob0000000000b');
    session.resetTimer(5 * 60_000);
    durable.changed('board1', session);
    await durable.flush();
    expect(await storage.loadLiveSession('board1')).toBeNull();
    await storage.close();
  });

  it('ignores a corrupted copy, and one older than a day', async () => {
    const storage = await withBoard();
    const durable = new DurableSessions(storageSessionStore(storage), logger);
    for (const bad of [
      '{not json',
      '{"v":1}',
      JSON.stringify({ ...busySession(false).toStored(1), hands: [{ participantId: 1 }] }),
    ]) {
      await storage.saveLiveSession('board1', bad, Date.now());
      await expect(durable.load('board1')).resolves.toBeNull();
    }
    await storage.saveLiveSession(
      'board1',
      JSON.stringify(busySession(false).toStored(1)),
      Date.now() - 25 * 3600_000,
    );
    await expect(durable.load('board1')).resolves.toBeNull();
    await storage.close();
  });
});
