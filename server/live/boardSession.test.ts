import { describe, expect, it } from 'vitest';
import { BoardSession, type SessionOp } from './boardSession';
import { roomBandFromAnswers, summarizeAnswers } from '../../lib/board/pollBand';
import { ROOM_COUNT_MIN_MS, ROSTER_LISTED_MAX, type RosterEntry } from '../../lib/protocol';
import { applyRosterChanges } from '../../lib/client/liveView';

describe('BoardSession (pure live-session state)', () => {
  it('runs the timer on the clock it is given: start, pause keeps the rest, resume, reset', () => {
    const s = new BoardSession();
    s.startTimer(1_000, 60_000);
    expect(s.timer).toMatchObject({ running: true, endsAt: 61_000, remainingMs: 60_000 });
    s.pauseTimer(21_000);
    expect(s.timer).toMatchObject({ running: false, endsAt: null, remainingMs: 40_000 });
    s.startTimer(100_000);
    expect(s.timer.endsAt).toBe(140_000);
    s.pauseTimer(200_000);
    expect(s.timer.remainingMs).toBe(0);
    s.resetTimer();
    expect(s.timer).toMatchObject({ running: false, remainingMs: 60_000, durationMs: 60_000 });
  });

  it('takes one vote per participant, the latest wins, and validates answers', () => {
    const s = new BoardSession();
    s.openPoll('p1', { kind: 'choice', question: 'Which?', options: ['A', 'B', 'C'] }, 5);
    const any = () => true;
    expect(s.vote('p1', 'ann', 1, any)).toBeNull();
    expect(s.vote('p1', 'ann', 2, any)).toBeNull();
    expect(s.vote('p1', 'bob', 2, any)).toBeNull();
    expect(s.vote('p1', 'bob', 3, any)).toBe('pickAnOption');
    expect(s.vote('p1', 'bob', 0.5, any)).toBe('pickAnOption');
    expect(s.vote('nope', 'bob', 0, any)).toBe('pollClosed');
    const state = s.pollState('ann')!;
    expect(state.options.map((o) => o.votes)).toEqual([0, 0, 2]);
    expect(state.myVote).toBe(2);
    const closed = s.closePoll('p1', 9)!;
    expect(closed).toMatchObject({ id: 'p1', voters: 2, closedAt: 9, openedAt: 5 });
    expect(s.pollState('ann')).toBeNull();
    expect(s.closePoll('p1', 10)).toBeNull();
  });

  it('summarises value polls and turns their spread into a band', () => {
    const s = new BoardSession();
    s.openPoll('v', { kind: 'value', question: 'Rate?', assumptionId: 'conversionRate' }, 0);
    for (const [who, v] of [
      ['a', 2],
      ['b', 4],
      ['c', 3],
    ] as const)
      s.vote('v', who, v, (x) => x >= 0 && x <= 50);
    expect(s.vote('v', 'd', 99, (x) => x >= 0 && x <= 50)).toBe('outsideRange');
    expect(s.pollState(null)!.summary).toEqual({
      count: 3,
      min: 2,
      p25: 2.5,
      median: 3,
      p75: 3.5,
      max: 4,
    });
    expect(summarizeAnswers([5])).toMatchObject({ min: 5, median: 5, max: 5 });
    // One rule for every path that turns answers into a band: their middle half.
    expect(roomBandFromAnswers([])).toBeNull();
    expect(roomBandFromAnswers([3, 1, 2])).toEqual({ low: 1.5, high: 2.5, origin: 'poll' });
    const many = Array.from({ length: 11 }, (_, i) => i); // 0..10
    expect(roomBandFromAnswers(many)).toEqual({ low: 2.5, high: 7.5, origin: 'poll' });
  });

  it('replays operations so replicas on other instances agree', () => {
    const a = new BoardSession();
    const b = new BoardSession();
    const ops = [
      { type: 'timerStart', now: 10, durationMs: 30_000 },
      {
        type: 'pollOpen',
        id: 'p',
        request: { kind: 'choice', question: 'Q', options: ['x', 'y'] },
        now: 11,
      },
      { type: 'vote', pollId: 'p', participantId: 'c1', value: 1 },
      {
        type: 'handRaise',
        hand: { participantId: 'c1', name: 'C', color: '#000000', raisedAt: 12 },
      },
      { type: 'timerPause', now: 5_010 },
    ] satisfies SessionOp[];
    for (const op of ops) {
      a.apply(op);
      b.apply(op);
    }
    expect(b.timer).toEqual(a.timer);
    expect(b.timer.remainingMs).toBe(25_000);
    expect(b.pollState('c1')).toEqual(a.pollState('c1'));
    expect(b.handList()).toEqual(a.handList());
    b.apply({ type: 'handLower', participantId: 'c1' });
    expect(b.handList()).toEqual([]);
  });

  it('lowers the hand of someone gone for the grace period, not of someone who came back', () => {
    const s = new BoardSession();
    const hand = (participantId: string) => ({
      participantId,
      name: participantId,
      color: '#000000',
      raisedAt: 1,
    });
    s.raiseHand(hand('ann'));
    s.raiseHand(hand('bob'));
    s.noteLeft('ann', 1_000);
    s.noteLeft('bob', 1_000);
    s.noteLeft('cy', 1_000); // no hand up: nothing to lower later
    expect(s.handsOfTheGone(60_999, 60_000)).toEqual([]);
    s.noteBack('bob');
    expect(s.handsOfTheGone(61_000, 60_000)).toEqual(['ann']);
    // Leaving again restarts the wait; a lowered hand is forgotten.
    s.noteLeft('bob', 50_000);
    expect(s.handsOfTheGone(109_999, 60_000)).toEqual(['ann']);
    s.lowerHand('ann');
    expect(s.handsOfTheGone(110_000, 60_000)).toEqual(['bob']);
    expect(s.handList().map((h) => h.participantId)).toEqual(['bob']);
  });
});

describe('BoardSession batches (what goes out every batch interval)', () => {
  const entry = (n: number) => ({
    id: `p${String(n).padStart(15, '0')}`,
    name: `P${n}`,
    color: '#123456',
    connectionId: `c${n}`,
    role: 'editor' as const,
    joinedAt: n,
  });

  it('gathers joins and leaves into one delta; a join-then-leave is still announced as left', () => {
    const s = new BoardSession();
    s.join(entry(1));
    s.join(entry(2));
    s.join(entry(2)); // the same connection twice counts once
    s.leave('c1');
    const { participants, moderators } = s.takeChanges(0);
    expect(participants).toEqual(moderators);
    expect(participants!.roster).toEqual({ joined: [entry(2)], left: ['c1'] });
    expect(participants!.present).toBe(1);
    expect(s.takeChanges(1)).toEqual({ participants: null, moderators: null });
    expect(s.hasChanges).toBe(false);
    expect(s.isPresent(entry(2).id)).toBe(true);
    expect(s.isPresent(entry(1).id)).toBe(false);
  });

  it('hides choice counts from participants, gives moderators exact ones, throttles participants', () => {
    const s = new BoardSession();
    s.openPoll('p1', { kind: 'choice', question: 'Which?', options: ['A', 'B'] }, 0);
    s.vote('p1', 'ann', 1, () => true);
    let batch = s.takeChanges(1_000);
    expect(batch.moderators!.tally).toEqual({
      pollId: 'p1',
      votes: [0, 1],
      summary: null,
      voters: 1,
    });
    expect(batch.participants!.tally).toEqual({
      pollId: 'p1',
      votes: null,
      summary: null,
      voters: 1,
    });
    s.vote('p1', 'bob', 0, () => true);
    batch = s.takeChanges(1_100); // within PARTICIPANT_TALLY_MIN_MS of the last
    expect(batch.moderators!.tally!.votes).toEqual([1, 1]);
    expect(batch.participants).toBeNull();
    expect(s.hasChanges).toBe(true);
    batch = s.takeChanges(1_400);
    expect(batch.participants!.tally!.voters).toBe(2);
    expect(s.pollState('ann', 'participant')!.options.map((o) => o.votes)).toEqual([0, 0]);
    expect(s.pollState('ann', 'participant')!.myVote).toBe(1);
  });

  it('sends hands as raised/lowered and reactions as counts plus the last few', () => {
    const s = new BoardSession();
    const hand = (id: string) => ({ participantId: id, name: id, color: '#000000', raisedAt: 1 });
    s.raiseHand(hand('a'));
    s.raiseHand(hand('b'));
    s.lowerHand('a');
    for (let i = 0; i < 30; i++)
      s.react({ emoji: '👏', participantId: 'b', name: 'b', color: '#000000', at: i });
    const { participants } = s.takeChanges(0);
    expect(participants!.hands).toEqual({ raised: [hand('b')], lowered: ['a'] });
    expect(participants!.reactions!.counts).toEqual({ '👏': 30 });
    expect(participants!.reactions!.recent.map((r) => r.at)).toEqual([
      22, 23, 24, 25, 26, 27, 28, 29,
    ]);
  });
});

describe('BoardSession listed roster (a large room names a few, counts the rest)', () => {
  const person = (n: number, role: 'editor' | 'viewer' | 'moderator' = 'viewer') => ({
    id: `p${String(n).padStart(15, '0')}`,
    name: `P${n}`,
    color: '#123456',
    connectionId: `c${n}`,
    role,
    joinedAt: n,
  });
  const ids = (entries: readonly { connectionId: string }[]) => entries.map((e) => e.connectionId);
  const range = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => `c${from + i}`);

  it('lists every moderator and the oldest ROSTER_LISTED_MAX others; joins beyond are counts', () => {
    const s = new BoardSession();
    s.join(person(0, 'moderator'));
    for (let n = 1; n <= ROSTER_LISTED_MAX + 20; n++)
      s.join(person(n, n % 2 ? 'editor' : 'viewer'));
    s.join(person(100, 'moderator')); // a moderator who comes late is listed all the same
    const first = s.takeChanges(0).participants!;
    expect(ids(first.roster!.joined)).toEqual(['c0', ...range(1, ROSTER_LISTED_MAX), 'c100']);
    expect(first.present).toBe(ROSTER_LISTED_MAX + 22);
    expect(first.people).toBe(ROSTER_LISTED_MAX + 22);
    expect(ids(s.listedRoster())).toEqual(ids(first.roster!.joined));
    expect(s.rosterList()).toHaveLength(ROSTER_LISTED_MAX + 22); // a peer's replica gets all

    // One more joins: the room hears a count, no name, and only once a ROOM_COUNT_MIN_MS.
    s.join(person(200));
    expect(s.takeChanges(ROOM_COUNT_MIN_MS - 1).participants).toBeNull();
    expect(s.hasChanges).toBe(true);
    s.join(person(201));
    expect(s.takeChanges(ROOM_COUNT_MIN_MS).participants).toEqual({
      present: ROSTER_LISTED_MAX + 24,
      people: ROSTER_LISTED_MAX + 24,
    });
  });

  it('a listed person leaving makes room for the oldest unlisted; an unlisted one leaves unseen', () => {
    const s = new BoardSession();
    for (let n = 1; n <= ROSTER_LISTED_MAX + 3; n++) s.join(person(n));
    s.takeChanges(0);
    s.rename(`c${ROSTER_LISTED_MAX + 1}`, 'Renamed', '#654321'); // unlisted: nobody is told
    expect(s.takeChanges(1).participants).toBeNull();

    s.leave('c2');
    const promoted = s.takeChanges(2).participants!;
    expect(promoted.roster).toEqual({
      joined: [{ ...person(ROSTER_LISTED_MAX + 1), name: 'Renamed', color: '#654321' }],
      left: ['c2'],
    });
    expect(promoted.present).toBe(ROSTER_LISTED_MAX + 2);

    s.leave(`c${ROSTER_LISTED_MAX + 3}`);
    expect(s.takeChanges(2 + ROOM_COUNT_MIN_MS).participants).toEqual({
      present: ROSTER_LISTED_MAX + 1,
      people: ROSTER_LISTED_MAX + 1,
    });
    // A moderator leaving frees no place among the others.
    s.join(person(500, 'moderator'));
    s.takeChanges(4);
    s.leave('c500');
    expect(s.takeChanges(5).participants!.roster).toEqual({ joined: [], left: ['c500'] });
  });

  it('a client holding a snapshot and applying every batch holds the listed roster (random room)', () => {
    let seed = 12;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const s = new BoardSession();
    const present: string[] = [];
    let held: RosterEntry[] = [];
    let next = 1;
    for (let step = 0; step < 3_000; step++) {
      if (present.length === 0 || random() < 0.55) {
        const role = random() < 0.03 ? 'moderator' : random() < 0.5 ? 'editor' : 'viewer';
        const entry = person(next++, role);
        s.join(entry);
        present.push(entry.connectionId);
      } else {
        const [gone] = present.splice(Math.floor(random() * present.length), 1);
        s.leave(gone!);
      }
      if (random() < 0.2) {
        const batch = s.takeChanges(step).participants;
        if (batch?.roster) held = applyRosterChanges(held, batch.roster);
        if (batch) expect(batch.present).toBe(present.length);
      }
      if (step === 1_500) held = s.listedRoster(); // a joiner's snapshot, mid-way
    }
    const last = s.takeChanges(3_000).participants;
    if (last?.roster) held = applyRosterChanges(held, last.roster);
    const listed = s.listedRoster();
    expect(ids(held)).toEqual(ids(listed));
    const all = s.rosterList();
    const others = all.filter((e) => e.role !== 'moderator');
    expect(listed.filter((e) => e.role !== 'moderator')).toHaveLength(
      Math.min(ROSTER_LISTED_MAX, others.length),
    );
    expect(listed.filter((e) => e.role === 'moderator')).toHaveLength(all.length - others.length);
  });
});
