/**
 * Issue 9, item 4: the live session (timer, open poll with its votes, raised hands, Q&A) survives
 * the loss of every process that held it. Real servers, real socket.io clients, real SQLite,
 * PostgreSQL and Redis: a room opens a poll, votes, raises hands, starts the timer and answers a
 * Q&A; every instance stops (SIGTERM-like `close()`, or SIGKILL of a child process) and new ones
 * start on the same data; the room comes back to the same state, a vote cannot be counted twice,
 * the timer ends at the same wall-clock time, and a hand whose owner does not come back is
 * lowered after the grace period while one whose owner does stays up.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { Pool, escapeIdentifier } from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SocketEvent, type SessionSnapshot, type TimerState } from '../lib/protocol';
import type { LiveView } from '../lib/client/liveView';
import { PostgresStorage } from '../server/storage/postgres';
import { redisKeyOf } from '../server/live/durable';
import { startChildServer, type ChildServer } from './childServer';
import {
  connectSession,
  createBoard,
  followSession,
  issueCredential,
  startServer,
  tempDir,
  TEST_ADAPTER_KEY,
  waitFor,
  type SessionSocket,
  type TestServer,
} from './helpers';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Long enough for a restart (the owners' connections end when the old process stops). */
const GRACE_MS = 4000;

let sockets: SessionSocket[] = [];
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const s of sockets) s.disconnect();
  sockets = [];
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});
const schemas: string[] = [];
afterAll(async () => {
  const admin = new Pool({ connectionString: DATABASE_URL, max: 1 });
  for (const s of schemas)
    await admin.query(`DROP SCHEMA IF EXISTS ${escapeIdentifier(s)} CASCADE`);
  await admin.end();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A counter's value from the server's own /metrics (0 when absent). */
async function metric(base: string, series: string): Promise<number> {
  const text = await fetch(`${base}/metrics`).then((r) => r.text());
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

/** A live-session client with its snapshot and the state it keeps (as the browser does). */
async function join(base: string, boardId: string, credential: string) {
  const socket = connectSession(base, boardId, credential);
  sockets.push(socket);
  const view: LiveView = followSession(socket);
  const snapshot = await new Promise<SessionSnapshot>((resolve, reject) => {
    socket.once(SocketEvent.snapshot, resolve);
    socket.once('connect_error', reject);
  });
  return { socket, view, snapshot };
}

interface Room {
  pollBoard: string;
  qaBoard: string;
  credentials: Record<'mod' | 'ann' | 'bob' | 'mod2' | 'ann2' | 'bob2', string>;
  ids: Record<'ann' | 'bob', string>;
  pollId: string;
  answerId: string;
  timer: TimerState;
}

/**
 * The room before the restart, spread over the instances given (`bases[i % n]`): an anonymous
 * choice poll with two votes, two raised hands, a running timer on one board; a named Q&A with
 * an answer and an upvote on another (one question to the room at a time per board).
 */
async function workshop(bases: string[]): Promise<Room> {
  const at = (i: number) => bases[i % bases.length]!;
  const b1 = await createBoard(at(0), { title: 'Restart: poll' });
  const b2 = await createBoard(at(0), { title: 'Restart: Q&A' });
  const issue = async (board: typeof b1, token: string, name: string) =>
    issueCredential(at(0), board.id, token, name);
  const mod = await issue(b1, b1.token, 'Mo');
  const ann = await issue(b1, b1.tokens.editor, 'Ann');
  const bob = await issue(b1, b1.tokens.editor, 'Bob');
  const mod2 = await issue(b2, b2.token, 'Mo');
  const ann2 = await issue(b2, b2.tokens.editor, 'Ann');
  const bob2 = await issue(b2, b2.tokens.editor, 'Bob');

  const m = await join(at(0), b1.id, mod.credential);
  const a = await join(at(1), b1.id, ann.credential);
  const b = await join(at(2), b1.id, bob.credential);
  expect(
    await m.socket.emitWithAck(SocketEvent.pollOpen, {
      kind: 'choice',
      question: 'Which first?',
      options: ['Skills', 'Broadband', 'Tax'],
      anonymous: true,
      hideResults: false,
    }),
  ).toEqual({ ok: true });
  await waitFor(() => a.view.poll !== null && b.view.poll !== null, 'the poll reaches the room');
  const pollId = a.view.poll!.id;
  expect(await a.socket.emitWithAck(SocketEvent.pollVote, { pollId, value: 1 })).toEqual({
    ok: true,
  });
  expect(await b.socket.emitWithAck(SocketEvent.pollVote, { pollId, value: 2 })).toEqual({
    ok: true,
  });
  expect(await a.socket.emitWithAck(SocketEvent.handRaise)).toEqual({ ok: true });
  expect(await b.socket.emitWithAck(SocketEvent.handRaise)).toEqual({ ok: true });
  const timer = new Promise<TimerState>((resolve) =>
    a.socket.once(SocketEvent.timerState, resolve),
  );
  expect(await m.socket.emitWithAck(SocketEvent.timerStart, { durationMs: 600_000 })).toEqual({
    ok: true,
  });

  const m2 = await join(at(1), b2.id, mod2.credential);
  const a2 = await join(at(2), b2.id, ann2.credential);
  const b2s = await join(at(0), b2.id, bob2.credential);
  expect(await m2.socket.emitWithAck(SocketEvent.qaOpen, { question: 'What is missing?' })).toEqual(
    { ok: true },
  );
  await waitFor(() => a2.view.qa !== null && b2s.view.qa !== null, 'the Q&A reaches the room');
  const qaId = a2.view.qa!.id;
  expect(
    await a2.socket.emitWithAck(SocketEvent.qaAnswer, { qaId, text: 'Rural broadband' }),
  ).toEqual({ ok: true });
  await waitFor(() => b2s.view.qa?.answers.length === 1, 'the answer reaches Bob');
  const answerId = b2s.view.qa!.answers[0]!.id;
  expect(await b2s.socket.emitWithAck(SocketEvent.qaUpvote, { qaId, answerId, on: true })).toEqual({
    ok: true,
  });

  // Every instance has it all (batches arrived), and the stored copies are written (≤ 250 ms).
  await waitFor(
    () =>
      m.view.poll?.voters === 2 && m.view.hands.length === 2 && m2.view.qa?.answers[0]?.votes === 1,
    'the room sees every vote, hand and upvote',
  );
  await sleep(600);
  return {
    pollBoard: b1.id,
    qaBoard: b2.id,
    credentials: {
      mod: mod.credential,
      ann: ann.credential,
      bob: bob.credential,
      mod2: mod2.credential,
      ann2: ann2.credential,
      bob2: bob2.credential,
    },
    ids: { ann: ann.participant.id, bob: bob.participant.id },
    pollId,
    answerId,
    timer: await timer,
  };
}

/** The room after every instance restarted (new processes on the same data). */
async function checkRestored(room: Room, bases: string[]): Promise<number> {
  const at = (i: number) => bases[i % bases.length]!;
  const { credentials: c } = room;
  // Ann comes back first (within the grace period); Bob never does.
  const started = performance.now();
  const ann = await join(at(1), room.pollBoard, c.ann);
  const reloadMs = performance.now() - started;
  const mod = await join(at(0), room.pollBoard, c.mod);

  // The timer ends at the same wall-clock time: the restart did not extend it.
  expect(mod.snapshot.timer).toEqual(room.timer);
  expect(mod.snapshot.timer.running).toBe(true);
  // The poll with its votes; each voter's own answer comes back to them only.
  expect(mod.snapshot.poll).toMatchObject({
    id: room.pollId,
    anonymous: true,
    voters: 2,
    options: [{ votes: 0 }, { votes: 1 }, { votes: 1 }],
  });
  expect(ann.snapshot.poll?.myVote).toBe(1);
  expect(mod.snapshot.poll?.myVote).toBeNull();
  // Voting again replaces Ann's vote: still two voters, never three.
  expect(
    await ann.socket.emitWithAck(SocketEvent.pollVote, { pollId: room.pollId, value: 2 }),
  ).toEqual({ ok: true });
  await waitFor(() => mod.view.poll?.options[2]?.votes === 2, 'the changed vote counted');
  expect(mod.view.poll).toMatchObject({
    voters: 2,
    options: [{ votes: 0 }, { votes: 0 }, { votes: 2 }],
  });
  // Both hands came back; Bob's is lowered once he has been gone for the grace period.
  expect(mod.snapshot.hands.map((h) => h.participantId).sort()).toEqual(
    [room.ids.ann, room.ids.bob].sort(),
  );
  await waitFor(
    () => mod.view.hands.length === 1,
    'the absent owner’s hand lowered',
    GRACE_MS * 3,
  ).catch((err: Error) => {
    // Which hands are up says which half failed (Bob's kept, or Ann's lowered too).
    const up = mod.view.hands.map((h) => (h.participantId === room.ids.ann ? 'Ann' : 'Bob'));
    throw new Error(`${err.message}; hands up: ${up.join(', ') || 'none'}`);
  });
  expect(mod.view.hands.map((h) => h.participantId)).toEqual([room.ids.ann]);

  // The Q&A: the answer with its upvote, the upvote remembered for its giver, not counted twice.
  const mod2 = await join(at(0), room.qaBoard, c.mod2);
  const bob2 = await join(at(1), room.qaBoard, c.bob2);
  expect(mod2.snapshot.qa?.answers).toMatchObject([
    { id: room.answerId, text: 'Rural broadband', votes: 1, author: { name: 'Ann' } },
  ]);
  expect(bob2.snapshot.qaUpvoted).toEqual([room.answerId]);
  expect(
    await bob2.socket.emitWithAck(SocketEvent.qaUpvote, {
      qaId: mod2.snapshot.qa!.id,
      answerId: room.answerId,
      on: true,
    }),
  ).toEqual({ ok: true });
  await sleep(300);
  expect(mod2.view.qa?.answers[0]?.votes).toBe(1);
  // Ann's hand is still up well after the grace period: she came back in time.
  expect(mod.view.hands.map((h) => h.participantId)).toEqual([room.ids.ann]);
  return reloadMs;
}

/** The anonymous poll's stored votes name nobody (SQLite file read directly). */
function storedPollOf(dataDir: string, boardId: string): string {
  const db = new Database(path.join(dataDir, 'boards.sqlite'), { readonly: true });
  try {
    const row = db.prepare('SELECT state FROM live_sessions WHERE board_id = ?').get(boardId) as
      { state: string } | undefined;
    return JSON.stringify((JSON.parse(row?.state ?? '{}') as { poll?: unknown }).poll ?? null);
  } finally {
    db.close();
  }
}

describe('SQLite, one instance', () => {
  it('graceful restart: the timer, poll, hands and Q&A come back', async () => {
    const dataDir = tempDir();
    const env = { DATA_DIR: dataDir, HAND_GRACE_MS: String(GRACE_MS) };
    const before = await startServer(env);
    const room = await workshop([before.http]);
    await before.close();
    const stored = storedPollOf(dataDir, room.pollBoard);
    expect(stored).toContain(room.pollId);
    expect(stored).not.toContain(room.ids.ann);
    expect(stored).not.toContain(room.ids.bob);

    const after = await startServer(env);
    cleanups.push(() => after.close());
    const reloadMs = await checkRestored(room, [after.http]);
    // Both boards' sessions were read back; every change before was written.
    expect(await metric(after.http, 'sb_live_session_loads_total{outcome="restored"}')).toBe(2);
    console.log(
      `[liveRestart] SQLite graceful: first snapshot after restart in ${reloadMs.toFixed(0)} ms`,
    );
  });

  it('kill -9: what was written within 250 ms of the change comes back', async () => {
    const dataDir = tempDir();
    const env = { DATA_DIR: dataDir, HAND_GRACE_MS: String(GRACE_MS) };
    const before = await startChildServer(env);
    const room = await workshop([`http://127.0.0.1:${before.port}`]);
    await before.kill9();
    const after: ChildServer = await startChildServer(env);
    cleanups.push(() => after.stop());
    const reloadMs = await checkRestored(room, [`http://127.0.0.1:${after.port}`]);
    console.log(
      `[liveRestart] SQLite kill -9: first snapshot after restart in ${reloadMs.toFixed(0)} ms`,
    );
  });

  it('a corrupted stored copy is logged and ignored: the board serves with an empty session', async () => {
    const dataDir = tempDir();
    const first = await startServer({ DATA_DIR: dataDir });
    const board = await createBoard(first.http, { title: 'Corrupted' });
    const mod = await issueCredential(first.http, board.id, board.token, 'Mo');
    await first.close();
    const db = new Database(path.join(dataDir, 'boards.sqlite'));
    db.prepare('INSERT INTO live_sessions (board_id, state, saved_at) VALUES (?, ?, ?)').run(
      board.id,
      '{"v":1,"timer":{"durationMs":"soon"},"poll":{"id":1}}',
      Date.now(),
    );
    db.close();
    const server = await startServer({ DATA_DIR: dataDir });
    cleanups.push(() => server.close());
    const m = await join(server.http, board.id, mod.credential);
    expect(m.snapshot.poll).toBeNull();
    expect(m.snapshot.timer.running).toBe(false);
    expect(await metric(server.http, 'sb_live_session_loads_total{outcome="corrupted"}')).toBe(1);
    // And it works: the next change replaces the bad copy.
    expect(await m.socket.emitWithAck(SocketEvent.handRaise)).toEqual({ ok: true });
    await waitFor(() => m.view.hands.length === 1, 'the hand raised');
  });
});

describe('PostgreSQL + Redis, two instances', () => {
  function deployment() {
    const schema = `sb_live_${randomBytes(6).toString('hex')}`;
    schemas.push(schema);
    const env = {
      DATA_DIR: tempDir(),
      REDIS_URL,
      TOKEN_SECRET: 'live-restart-secret-'.repeat(3),
      HAND_GRACE_MS: String(GRACE_MS),
    };
    return { schema, env };
  }
  const startTwo = async (schema: string, env: Record<string, string>): Promise<TestServer[]> => [
    await startServer(env, await PostgresStorage.connect(DATABASE_URL, { schema })),
    await startServer(env, await PostgresStorage.connect(DATABASE_URL, { schema })),
  ];

  it('both instances restart (graceful): the room comes back, kept in Redis with an expiry', async () => {
    const { schema, env } = deployment();
    const before = await startTwo(schema, env);
    const room = await workshop(before.map((s) => s.http));
    for (const s of before) await s.close();

    const redis = new Redis(REDIS_URL);
    cleanups.push(() => redis.quit());
    const ttl = await redis.pttl(redisKeyOf(room.pollBoard));
    expect(ttl).toBeGreaterThan(23 * 3600_000);
    expect(ttl).toBeLessThanOrEqual(24 * 3600_000);
    const stored = (await redis.get(redisKeyOf(room.pollBoard)))!;
    expect(stored).toContain(room.pollId);
    expect(JSON.stringify((JSON.parse(stored) as { poll: unknown }).poll)).not.toContain(
      room.ids.ann,
    );
    // With Redis, the copy is there and not in PostgreSQL.
    const storage = await PostgresStorage.connect(DATABASE_URL, { schema });
    expect(await storage.loadLiveSession(room.pollBoard)).toBeNull();
    await storage.close();

    const after = await startTwo(schema, env);
    cleanups.push(() => Promise.all(after.map((s) => s.close())));
    const reloadMs = await checkRestored(
      room,
      after.map((s) => s.http),
    );
    console.log(
      `[liveRestart] PostgreSQL + Redis graceful: first snapshot in ${reloadMs.toFixed(0)} ms`,
    );
  });

  it("one instance restarts while the other serves: it takes the peer's replica, roster included", async () => {
    const { schema, env } = deployment();
    const [one, two] = (await startTwo(schema, env)) as [TestServer, TestServer];
    cleanups.push(() => one.close());
    const board = await createBoard(one.http, { title: 'Rolling' });
    const mod = await issueCredential(one.http, board.id, board.token, 'Mo');
    const ann = await issueCredential(one.http, board.id, board.tokens.editor, 'Ann');
    const m = await join(one.http, board.id, mod.credential);
    const a = await join(two.http, board.id, ann.credential);
    await m.socket.emitWithAck(SocketEvent.pollOpen, {
      kind: 'value',
      question: 'Conversion rate?',
      assumptionId: 'conversionRate',
    });
    await waitFor(() => a.view.poll !== null, 'the poll reaches Ann');
    const pollId = a.view.poll!.id;
    expect(await a.socket.emitWithAck(SocketEvent.pollVote, { pollId, value: 12 })).toEqual({
      ok: true,
    });
    expect(await a.socket.emitWithAck(SocketEvent.handRaise)).toEqual({ ok: true });
    await waitFor(() => m.view.poll?.voters === 1 && m.view.hands.length === 1, 'the vote');
    await two.close();

    const again = await startServer(env, await PostgresStorage.connect(DATABASE_URL, { schema }));
    cleanups.push(() => again.close());
    const back = await join(again.http, board.id, ann.credential);
    // Mo's connection is on the other instance: only a peer's replica knows it.
    expect(back.snapshot.roster.map((e) => e.name).sort()).toEqual(['Ann', 'Mo']);
    expect(back.snapshot.people).toBe(2);
    expect(back.snapshot.poll).toMatchObject({ id: pollId, voters: 1, myVote: 12 });
    expect(back.snapshot.hands.map((h) => h.participantId)).toEqual([ann.participant.id]);
  });

  it('both instances killed (kill -9) and started again: the room comes back', async () => {
    const { schema, env } = deployment();
    // The schema exists before the instances race to migrate it.
    await (await PostgresStorage.connect(DATABASE_URL, { schema })).close();
    const url = `${DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    const childEnv = { ...env, DATABASE_URL: url };
    const before = [await startChildServer(childEnv), await startChildServer(childEnv)];
    const room = await workshop(before.map((c) => `http://127.0.0.1:${c.port}`));
    for (const c of before) await c.kill9();
    const after = [await startChildServer(childEnv), await startChildServer(childEnv)];
    cleanups.push(() => Promise.all(after.map((c) => c.stop())));
    const reloadMs = await checkRestored(
      room,
      after.map((c) => `http://127.0.0.1:${c.port}`),
    );
    console.log(
      `[liveRestart] PostgreSQL + Redis kill -9: first snapshot in ${reloadMs.toFixed(0)} ms`,
    );
  });

  it('a hand whose grace check finds an instance silent is checked again, then lowered', async () => {
    const { schema, env } = deployment();
    const [a, b] = await startTwo(schema, { ...env, HAND_GRACE_MS: '1000' });
    cleanups.push(
      () => a!.close(),
      () => b!.close(),
    );
    const board = await createBoard(a!.http, { title: 'Silent peer' });
    const mod = await issueCredential(a!.http, board.id, board.token, 'Mo');
    const ed = await issueCredential(a!.http, board.id, board.tokens.editor, 'Edi');
    const m = await join(a!.http, board.id, mod.credential);
    const e = await join(b!.http, board.id, ed.credential);
    expect(await e.socket.emitWithAck(SocketEvent.handRaise)).toEqual({ ok: true });
    await waitFor(() => m.view.hands.length === 1, 'the hand raised');

    // A third subscriber on the adapter's request channel that never answers: each instance
    // counts it and waits for its reply, so the cross-instance check fails (after 5 s).
    const silent = new Redis(REDIS_URL);
    cleanups.push(() => silent.quit());
    await silent.subscribe(`${TEST_ADAPTER_KEY}-request#/#`);
    e.socket.disconnect();
    await sleep(3000);
    expect(m.view.hands.map((h) => h.participantId)).toEqual([ed.participant.id]);
    // The silent one leaves; the check asked again finds the owner still gone.
    await silent.unsubscribe();
    await waitFor(() => m.view.hands.length === 0, 'the hand lowered on the retry', 12_000);
  });
});
