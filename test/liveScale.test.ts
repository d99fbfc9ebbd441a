/**
 * A plenary in miniature (issue 12): hundreds of real socket.io clients join one board, vote,
 * raise hands, react and leave, against a real server on port 0 (and two instances over Redis).
 * Every client ends with the room's counts, a listed roster, hands and poll counts as the server
 * has them, and what each receives does not grow with the room: counts and bytes are asserted,
 * never timings.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Pool, escapeIdentifier } from 'pg';
import {
  ROSTER_LISTED_MAX,
  SocketEvent,
  type AckResult,
  type SessionChanges,
  type SessionSnapshot,
} from '../lib/protocol';
import type { LiveView } from '../lib/client/liveView';
import { PostgresStorage } from '../server/storage/postgres';
import {
  connectSession,
  createBoard,
  followSession,
  issueCredential,
  sessionReady,
  startServer,
  tempDir,
  waitFor,
  type SessionSocket,
  type TestServer,
} from './helpers';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let servers: TestServer[] = [];
let sockets: SessionSocket[] = [];
afterEach(async () => {
  for (const s of sockets) s.disconnect();
  sockets = [];
  for (const s of servers) await s.close();
  servers = [];
});
const schemas: string[] = [];
afterAll(async () => {
  if (schemas.length === 0) return;
  const admin = new Pool({ connectionString: DATABASE_URL, max: 1 });
  for (const s of schemas)
    await admin.query(`DROP SCHEMA IF EXISTS ${escapeIdentifier(s)} CASCADE`);
  await admin.end();
});

/** What one client received: messages, bytes (JSON of the arguments), roster entries. */
interface Received {
  messages: number;
  bytes: number;
  /** Roster entries carried by the snapshot and every batch's `joined`. */
  rosterEntries: number;
}

interface Member {
  socket: SessionSocket;
  view: LiveView;
  received: Received;
  participantId: string;
}

async function member(s: TestServer, boardId: string, credential: string, id: string) {
  const socket = connectSession(s.http, boardId, credential);
  sockets.push(socket);
  const view = followSession(socket);
  const received: Received = { messages: 0, bytes: 0, rosterEntries: 0 };
  socket.onAny((event: string, ...args: unknown[]) => {
    received.messages++;
    received.bytes += JSON.stringify(args).length;
    if (event === SocketEvent.snapshot)
      received.rosterEntries += (args[0] as SessionSnapshot).roster.length;
    if (event === SocketEvent.changes)
      received.rosterEntries += (args[0] as SessionChanges).roster?.joined.length ?? 0;
  });
  await sessionReady(socket);
  return { socket, view, received, participantId: id };
}

const reset = (m: Member) => Object.assign(m.received, { messages: 0, bytes: 0, rosterEntries: 0 });

/** `n` participants (editors) and a moderator, spread over `instances`, through a whole session. */
async function plenary(instances: TestServer[], n: number): Promise<void> {
  const [first] = instances;
  const board = await createBoard(first!.http, { title: 'Plenary' });
  const mod = await issueCredential(first!.http, board.id, board.token, 'Mo');
  const moderator = await member(first!, board.id, mod.credential, mod.participant.id);
  const issued = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      issueCredential(first!.http, board.id, board.tokens.editor, `P${i}`),
    ),
  );
  // Join in waves of 50, as a room fills up.
  const people: Member[] = [];
  for (let i = 0; i < n; i += 50) {
    const wave = issued.slice(i, i + 50).map((c, j) => {
      const at = instances[(i + j) % instances.length]!;
      return member(at, board.id, c.credential, c.participant.id);
    });
    people.push(...(await Promise.all(wave)));
  }
  const everyone = [moderator, ...people];
  const connectionIds = () => new Set(everyone.map((m) => m.socket.id));

  // Everyone converges on the room's counts and a listed roster: the moderator and the oldest
  // ROSTER_LISTED_MAX others, connections of this room, each once. On one instance everyone
  // holds the same few; over two, each instance names them from its own replica.
  const listedSize = 1 + Math.min(ROSTER_LISTED_MAX, n);
  await waitFor(
    () => everyone.every((m) => m.view.present === n + 1 && m.view.roster.length === listedSize),
    'every client has the counts and the listed roster',
    20_000,
  );
  const here = connectionIds();
  for (const m of everyone) {
    const listed = m.view.roster.map((e) => e.connectionId);
    expect(new Set(listed).size).toBe(listedSize);
    expect(listed.every((id) => here.has(id))).toBe(true);
    expect(listed).toContain(moderator.socket.id);
    expect(m.view.people).toBe(n + 1);
  }
  if (instances.length === 1) {
    const listedBy = (m: Member) => m.view.roster.map((e) => e.connectionId).sort();
    for (const m of everyone) expect(listedBy(m)).toEqual(listedBy(moderator));
  }
  // Constant, not growing with the room: a client gets at most about two listed rosters' worth of
  // entries (snapshot + batches overlap a little) and a few counts per message, however many join.
  for (const m of everyone) {
    expect(m.received.rosterEntries).toBeLessThanOrEqual(2 * listedSize);
    expect(m.received.bytes).toBeLessThan(2 * listedSize * 250 + 100 * m.received.messages);
  }

  // A choice poll (results hidden): everyone answers.
  for (const m of everyone) reset(m);
  const opened = new Promise<void>((resolve) =>
    people.at(-1)!.socket.once(SocketEvent.pollState, () => resolve()),
  );
  expect(
    await moderator.socket.emitWithAck(SocketEvent.pollOpen, {
      kind: 'choice',
      question: 'Recommend?',
      options: ['A', 'B', 'C'],
    }),
  ).toEqual({ ok: true });
  await opened;
  const pollId = moderator.view.poll!.id;
  const acks = (await Promise.all(
    people.map((m, i) => m.socket.emitWithAck(SocketEvent.pollVote, { pollId, value: i % 3 })),
  )) as AckResult[];
  expect(acks.every((a) => a.ok)).toBe(true);
  const exact = [0, 1, 2].map((k) => people.filter((_, i) => i % 3 === k).length);
  await waitFor(
    () => moderator.view.poll?.options.map((o) => o.votes).join() === exact.join(),
    'the moderator has the exact counts',
    10_000,
  );
  await waitFor(
    () => people.every((m) => m.view.poll?.voters === n),
    'every participant has the response count',
    10_000,
  );
  people.forEach((m, i) => {
    expect(m.view.poll!.myVote).toBe(i % 3);
    // Hidden until closed: participants never hold the counts.
    expect(m.view.poll!.options.map((o) => o.votes)).toEqual([0, 0, 0]);
  });
  // Votes are aggregated: a participant got its own echo and a few throttled counts, not one
  // message per vote (n of them).
  for (const m of people) expect(m.received.messages).toBeLessThan(n / 4);

  // Hands and reactions, batched.
  const raisers = people.slice(0, Math.floor(n / 4));
  await Promise.all(raisers.map((m) => m.socket.emitWithAck(SocketEvent.handRaise)));
  await Promise.all(
    people.slice(0, n / 2).map((m) => m.socket.emitWithAck(SocketEvent.reaction, { emoji: '👏' })),
  );
  await waitFor(
    () =>
      everyone.every((m) => m.view.hands.length === raisers.length) &&
      (moderator.view.reactionCounts.get('👏') ?? 0) === n / 2,
    'hands and reactions reach everyone',
    10_000,
  );
  expect(moderator.view.hands.map((h) => h.participantId).sort()).toEqual(
    raisers.map((m) => m.participantId).sort(),
  );
  // A room over BATCH_SLICE_SOCKETS gets each batch in slices: every slice reached everyone
  // exactly once (reactions are summed from batches, so a lost or repeated slice shows).
  await waitFor(
    () => everyone.every((m) => (m.view.reactionCounts.get('👏') ?? 0) === n / 2),
    'every client summed the same reactions',
    10_000,
  );

  // Half leave (the first to come, most of the listed among them): the rest converge on the
  // counts, and places in the listed roster go to those who stayed.
  const leaving = people.slice(0, n / 2);
  for (const m of leaving) m.socket.disconnect();
  const staying = everyone.filter((m) => !leaving.includes(m));
  const stayingListed = 1 + Math.min(ROSTER_LISTED_MAX, staying.length - 1);
  await waitFor(
    () =>
      staying.every(
        (m) => m.view.present === staying.length && m.view.roster.length === stayingListed,
      ),
    'everyone left sees who left',
    10_000,
  );
  const stayed = new Set(staying.map((m) => m.socket.id));
  for (const m of staying)
    expect(m.view.roster.every((e) => stayed.has(e.connectionId))).toBe(true);
}

describe('issue 12: live-session events scale with the room', () => {
  it('200 clients on one instance: consistent roster, counts, hands; traffic that does not grow with the room', async () => {
    const s = await startServer();
    servers.push(s);
    await plenary([s], 200);
  }, 90_000);

  it('120 clients over two instances (Redis adapter): the same, with no fetchSockets', async () => {
    const schema = `sb_test_${randomBytes(6).toString('hex')}`;
    schemas.push(schema);
    const env = { DATA_DIR: tempDir(), REDIS_URL, TOKEN_SECRET: 'x'.repeat(40) };
    const one = await startServer(env, await PostgresStorage.connect(DATABASE_URL, { schema }));
    const two = await startServer(env, await PostgresStorage.connect(DATABASE_URL, { schema }));
    servers.push(one, two);
    for (const s of [one, two]) {
      const io = s.server.liveSession.io;
      // Each instance answers from its replica: asking the others per event would fail this.
      io.fetchSockets = () => Promise.reject(new Error('fetchSockets called'));
    }
    await plenary([one, two], 120);
  }, 90_000);
});
