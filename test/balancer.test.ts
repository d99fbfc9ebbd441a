/**
 * The deployment's topology with real processes: HAProxy (deploy/haproxy.cfg) in front of two
 * server instances on PostgreSQL and Redis, participants connecting through HAProxy only.
 *
 * - An instance is SIGKILLed mid-session: every participant reconnects through the balancer and
 *   converges, and no acknowledged edit is lost (neither one another participant saw, nor one
 *   in the database when the instance died).
 * - A rolling restart (SIGTERM, restart, then the other instance): the same, with 50 participants.
 *
 * Reconnect times (p50/p99) are printed. Numbers, not assertions: the machine is shared.
 */
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  connectClient,
  connectSession,
  createBoard,
  issueCredential,
  sessionReady,
  waitFor,
  type CreatedBoard,
} from './helpers';
import { SocketEvent } from '../lib/protocol';
import {
  Balancer,
  Instance,
  PrivateRedis,
  TestSchema,
  freePort,
  percentile,
  sharedEnv,
} from './cluster';
import { EditingRoom } from './editingRoom';
import type { PostgresStorage } from '../server/storage/postgres';
import { ROOT } from '../lib/board/layout';

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** PostgreSQL schema, private Redis, two instances and HAProxy, torn down after the test. */
async function deployment(env: Record<string, string> = {}) {
  const schema = new TestSchema();
  await schema.create();
  cleanups.push(() => schema.drop());
  const redis = await PrivateRedis.start();
  cleanups.push(() => redis.stop());
  const shared = { ...sharedEnv(schema, redis), ...env };
  const instances = [
    new Instance('one', await freePort(), shared),
    new Instance('two', await freePort(), shared),
  ];
  cleanups.push(async () => {
    for (const i of instances) if (i.running) await i.kill9();
  });
  // Sequential: the first one creates the tables.
  for (const i of instances) await i.start();
  const balancer = await Balancer.start(instances);
  cleanups.push(() => balancer.stop());
  await Promise.all(instances.map((i) => balancer.waitForBackend(i.name, 'UP')));
  return { schema, instances, balancer };
}

/** The board as stored now, as a document. */
async function storedDoc(storage: PostgresStorage, boardId: string): Promise<Y.Doc> {
  const stored = await storage.loadDocument(boardId);
  const doc = new Y.Doc();
  for (const u of stored?.updates ?? []) Y.applyUpdate(doc, u);
  return doc;
}

/** Yjs clients whose content `doc` lacks (state-vector clocks beyond what it holds). */
function missingFrom(doc: Y.Doc, earlier: Y.Doc): string[] {
  const have = Y.decodeStateVector(Y.encodeStateVector(doc));
  const missing: string[] = [];
  for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(earlier)))
    if ((have.get(client) ?? 0) < clock) missing.push(`${client}: ${clock} > ${have.get(client)}`);
  return missing;
}

const figures = (ms: number[]) =>
  `p50 ${percentile(ms, 50)} ms, p99 ${percentile(ms, 99)} ms, max ${Math.max(...ms)} ms (n=${ms.length})`;

describe('behind HAProxy, on PostgreSQL and Redis', () => {
  it('an instance SIGKILLed mid-session: 30 participants reconnect through the balancer, converge, and keep every acknowledged edit', async () => {
    const { schema, instances, balancer } = await deployment();
    const board = await createBoard(balancer.http, { title: 'SIGKILL' });
    const room = await EditingRoom.open(balancer.http, board, 30);
    cleanups.push(() => room.close());
    const storage = await schema.connect();
    cleanups.push(() => storage.close());

    // The moderator runs a timer and a poll: held by the instances' live sessions.
    await runTimerAndPoll(balancer, board);
    await waitFor(
      () => room.participants.every((p) => p.live.timerRunning && p.live.pollOpen),
      'everyone to see the timer and the poll',
      15_000,
    );
    room.startEditing(500);
    await waitFor(() => room.editsWritten >= 150, 'edits to flow', 15_000);
    expect(room.acknowledged.size).toBeGreaterThan(0);

    const [victim] = instances;
    const onVictim = await victim!.connections();
    expect(onVictim.yjs).toBeGreaterThan(0);
    const killedAt = Date.now();
    await victim!.kill9();
    // What the dead instance had stored is in the database now, whoever saw it.
    const storedAtKill = await storedDoc(storage, board.id);
    const downAfter = await balancer.waitForBackend('one', 'DOWN');

    // Participants keep editing through the outage and the reconnection.
    await new Promise((r) => setTimeout(r, 3000));
    room.stopEditing();
    const convergedMs = await room.waitConverged(20_000);
    await waitFor(() => room.sessionsBack, 'every live session back', 20_000);

    // The timer and the poll survived the instance: the other one keeps a replica of each
    // live session, and every reconnected participant's snapshot shows them.
    expect(room.participants.filter((p) => !p.live.timerRunning || !p.live.pollOpen)).toEqual([]);
    // Every participant connected to the dead instance came back.
    expect(room.yjsReconnects.length).toBeGreaterThanOrEqual(onVictim.yjs);
    expect(room.sessionReconnects.length).toBeGreaterThanOrEqual(onVictim.socketio);
    expect(room.participants.filter((p) => p.closedAt !== null)).toEqual([]);

    // Nothing acknowledged is lost: a newcomer (through the balancer) and the database both
    // hold every value seen before the kill and everything stored when the instance died.
    const newcomer = connectClient(balancer.ws, board.id, board.tokens.viewer);
    cleanups.push(() => newcomer.destroy());
    await newcomer.synced;
    const storedNow = await storedDoc(storage, board.id);
    for (const doc of [newcomer.doc, storedNow]) {
      expect(room.holdsEveryLastEdit(doc)).toBe(true);
      expect(missingFrom(doc, storedAtKill)).toEqual([]);
      expect(room.lostAcknowledged(doc)).toEqual([]);
    }
    // Every participant holds the same document.
    const content = JSON.stringify(readContent(newcomer.doc));
    for (const p of room.participants) expect(JSON.stringify(readContent(p.doc))).toBe(content);

    console.log(
      `SIGKILL behind HAProxy: 30 participants, ${room.editsWritten} edits; ${onVictim.yjs} Yjs ` +
        `connections and ${onVictim.socketio} live sessions on the killed instance; HAProxy marked the instance down after ${downAfter} ms; ` +
        `Yjs reconnect ${figures(room.yjsReconnects)}; live session reconnect ` +
        `${figures(room.sessionReconnects)}; converged ${Date.now() - killedAt} ms after the kill ` +
        `(${convergedMs} ms after the last edit)`,
    );
  }, 60_000);

  it('a rolling restart (SIGTERM, restart, next instance): 50 participants reconnect, converge, and keep every acknowledged edit', async () => {
    // Unready for longer than HAProxy needs to notice (inter 1 s x fall 2), then close with 1012.
    const { schema, instances, balancer } = await deployment({ SHUTDOWN_DRAIN_MS: '2500' });
    const board = await createBoard(balancer.http, { title: 'Rolling restart' });
    const room = await EditingRoom.open(balancer.http, board, 50);
    cleanups.push(() => room.close());
    if (process.env.SHOW_EVENTS) cleanups.push(() => console.log(room.events.join('\n')));
    const storage = await schema.connect();
    cleanups.push(() => storage.close());

    await runTimerAndPoll(balancer, board);
    await waitFor(
      () => room.participants.every((p) => p.live.timerRunning && p.live.pollOpen),
      'everyone to see the timer and the poll',
      15_000,
    );
    room.startEditing(1000);
    await waitFor(() => room.editsWritten >= 100, 'edits to flow', 15_000);
    if (process.env.SHOW_EVENTS) watchBackends(balancer, room);
    const restarts: string[] = [];
    const rollingStart = Date.now();
    // The most connections one instance held when told to stop (someone not back yet from the
    // first restart when the second begins has one reconnection for both).
    const disconnected = { yjs: 0, socketio: 0 };
    for (const instance of instances) {
      const held = await instance.connections();
      disconnected.yjs = Math.max(disconnected.yjs, held.yjs);
      disconnected.socketio = Math.max(disconnected.socketio, held.socketio);
      const signalled = Date.now();
      room.events.push(`${Date.now()} ${instance.name} SIGTERM`);
      const code = await instance.terminate();
      expect(code).toBe(0);
      room.events.push(`${Date.now()} ${instance.name} exited`);
      const stoppedMs = Date.now() - signalled;
      await instance.start();
      const upMs = await balancer.waitForBackend(instance.name, 'UP');
      room.events.push(`${Date.now()} ${instance.name} up`);
      restarts.push(
        `${instance.name}: exit 0 after ${stoppedMs} ms, back in HAProxy ${upMs} ms later`,
      );
    }
    const rollingMs = Date.now() - rollingStart;
    await new Promise((r) => setTimeout(r, 1000));
    room.stopEditing();
    const convergedMs = await room.waitConverged(20_000);
    await waitFor(() => room.sessionsBack, 'every live session back', 20_000);

    // Both instances restarted, yet the timer and the poll are there for everyone: each new
    // instance read the live session's stored copy (Redis) when it created it.
    const liveLost = room.participants.filter((p) => !p.live.timerRunning || !p.live.pollOpen);
    expect(liveLost.length).toBe(0);
    // Everyone each instance held when it was told to stop came back.
    expect(room.yjsReconnects.length).toBeGreaterThanOrEqual(disconnected.yjs);
    expect(room.sessionReconnects.length).toBeGreaterThanOrEqual(disconnected.socketio);
    expect(room.participants.filter((p) => p.closedAt !== null)).toEqual([]);
    const newcomer = connectClient(balancer.ws, board.id, board.tokens.viewer);
    cleanups.push(() => newcomer.destroy());
    await newcomer.synced;
    const storedNow = await storedDoc(storage, board.id);
    for (const doc of [newcomer.doc, storedNow]) {
      expect(room.holdsEveryLastEdit(doc)).toBe(true);
      expect(room.lostAcknowledged(doc)).toEqual([]);
    }
    const content = JSON.stringify(readContent(newcomer.doc));
    for (const p of room.participants) expect(JSON.stringify(readContent(p.doc))).toBe(content);

    console.log(
      `Rolling restart behind HAProxy: 50 participants, ${room.editsWritten} edits; ` +
        `${restarts.join('; ')}; both restarted in ${rollingMs} ms; Yjs reconnect ` +
        `${figures(room.yjsReconnects)}; live session reconnect ${figures(room.sessionReconnects)}; ` +
        `converged ${convergedMs} ms after the last edit; timer and poll lost for ${liveLost.length}`,
    );
  }, 180_000); // about 40 s on a quiet machine; a loaded one (load 30) took over 90
});

/** What participants must agree on: scenarios and the decision log, in key order. */
function readContent(doc: Y.Doc) {
  const sorted = (map: Record<string, unknown>) =>
    Object.keys(map)
      .sort()
      .map((key) => [key, map[key]]);
  return {
    scenarios: sorted(doc.getMap(ROOT.scenarios).toJSON()),
    log: sorted(doc.getMap(ROOT.log).toJSON()),
  };
}

/** The moderator (through the balancer) starts a 10-minute timer and opens a poll. */
async function runTimerAndPoll(balancer: Balancer, board: CreatedBoard): Promise<void> {
  const { credential } = await issueCredential(balancer.http, board.id, board.token, 'Mo');
  const moderator = connectSession(balancer.http, board.id, credential);
  cleanups.push(() => void moderator.disconnect());
  await sessionReady(moderator);
  expect(await moderator.emitWithAck(SocketEvent.timerStart, { durationMs: 600_000 })).toEqual({
    ok: true,
  });
  expect(
    await moderator.emitWithAck(SocketEvent.pollOpen, {
      kind: 'choice',
      question: 'Which scenario?',
      options: ['Baseline', 'Bold'],
    }),
  ).toEqual({ ok: true });
  // Gone before anything is killed: connections counted on an instance are the room's only.
  moderator.disconnect();
}

/** Debugging (SHOW_EVENTS=1): HAProxy's view of the instances, in the room's event timeline. */
function watchBackends(balancer: Balancer, room: EditingRoom): void {
  let last = '';
  const watch = setInterval(() => {
    balancer.backends().then(
      (b) => {
        const states = b.map((x) => `${x.name}=${x.status}`).join(' ');
        if (states !== last) room.events.push(`${Date.now()} haproxy ${states}`);
        last = states;
      },
      () => undefined, // HAProxy stopped (test over)
    );
  }, 100);
  cleanups.push(() => clearInterval(watch));
}
