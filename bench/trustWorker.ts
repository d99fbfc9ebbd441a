/**
 * Load generator for bench/trust.ts, run in its own process (child_process.fork), so neither the
 * server nor the generator's own clock skews the other. The parent sends one job; the worker
 * sets up (connects, syncs), says it is ready, starts on the parent's go-ahead (so concurrent
 * jobs measure the same window), and answers with its result and its own saturation (event-loop
 * utilisation, send lag), then exits.
 *
 * Latencies are measured from each message's *scheduled* time, not from when it was actually
 * sent, so a stalled server (or generator) cannot hide behind fewer samples.
 */
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { addComment } from '../lib/board/comments';
import { addScenario, setAssumption } from '../lib/board/scenarios';
import { readBoard } from '../lib/board/boardState';
import { COMMENT_MAX } from '../lib/board/limits';
import { ASSUMPTION_IDS, type AssumptionId } from '../lib/model';
import { YMessage } from '../lib/protocol';
import { connectClient, type TestClient } from '../test/helpers';
import { summarize } from './stats';

process.setMaxListeners(0); // each y-websocket client adds an exit listener

export type Job =
  | { kind: 'build'; ws: string; boardId: string; token: string; targetBytes: number }
  | { kind: 'refusalCost'; ws: string; boardId: string; token: string; refusals: number }
  | { kind: 'health'; http: string; perSecond: number; durationMs: number; warmupMs: number }
  | {
      kind: 'editors';
      ws: string;
      boardId: string;
      token: string;
      clients: number;
      perSecond: number;
      durationMs: number;
      warmupMs: number;
      /** Edits write valueBase + i (unique across runs on one board). */
      valueBase: number;
    }
  | {
      kind: 'refuser';
      ws: string;
      boardId: string;
      token: string;
      perSecond: number;
      durationMs: number;
    }
  | {
      kind: 'slowReaders';
      ws: string;
      boardId: string;
      token: string;
      readers: number;
      /** How often each reader asks for the whole board again (ms); 0: only once, on joining. */
      reaskMs: number;
    };

export interface Saturation {
  /** Event-loop utilisation of this generator process over the job (0..1). */
  elu: number;
  /** How late sends left versus their schedule, p99 (ms). */
  sendLagP99: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Tell the parent this job is set up (connected, synced), and wait for its go-ahead. */
async function readyThenWait(): Promise<void> {
  const go = new Promise<void>((resolve) => process.once('message', () => resolve()));
  process.send!({ ready: true });
  await go;
}

// --- y-websocket frames ----------------------------------------------------------------------

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}
const syncStep1 = (doc: Y.Doc) =>
  frame((e) => {
    encoding.writeVarUint(e, YMessage.sync);
    syncProtocol.writeSyncStep1(e, doc);
  });
const updateFrame = (update: Uint8Array) =>
  frame((e) => {
    encoding.writeVarUint(e, YMessage.sync);
    syncProtocol.writeUpdate(e, update);
  });
const queryAwareness = frame((e) => encoding.writeVarUint(e, YMessage.queryAwareness));
const awarenessFrame = (clientId: number, json: string) =>
  frame((e) => {
    encoding.writeVarUint(e, YMessage.awareness);
    encoding.writeVarUint8Array(
      e,
      frame((inner) => {
        encoding.writeVarUint(inner, 1);
        encoding.writeVarUint(inner, clientId);
        encoding.writeVarUint(inner, 1);
        encoding.writeVarString(inner, json);
      }),
    );
  });

/** Message type and, for sync messages, the step. */
function kindOf(data: Uint8Array): {
  type: number;
  step: number | null;
  payload: Uint8Array | null;
} {
  const d = decoding.createDecoder(data);
  const type = decoding.readVarUint(d);
  if (type !== YMessage.sync) return { type, step: null, payload: null };
  const step = decoding.readVarUint(d);
  return { type, step, payload: decoding.readVarUint8Array(d) };
}

/** A raw viewer-side connection: open, then optionally the whole board into `doc`. */
function openRaw(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.binaryType = 'nodebuffer';
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

async function loadBoardInto(ws: WebSocket, doc: Y.Doc): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const onMessage = (data: Buffer) => {
      const m = kindOf(new Uint8Array(data));
      if (m.type === YMessage.sync && m.step === syncProtocol.messageYjsSyncStep2 && m.payload) {
        Y.applyUpdate(doc, m.payload);
        ws.off('message', onMessage);
        resolve();
      }
    };
    ws.on('message', onMessage);
    ws.once('close', () => reject(new Error('closed while loading the board')));
    ws.send(syncStep1(new Y.Doc()));
  });
}

/**
 * Small updates a viewer might send (one assumption of one scenario each), each complete on its
 * own: every one is made under a fresh Yjs client id and changes a different value, so it only
 * refers to items the server has.
 */
function refusedUpdates(doc: Y.Doc): Uint8Array[] {
  const out: Uint8Array[] = [];
  const capture = (u: Uint8Array) => out.push(u);
  doc.on('update', capture);
  for (const scenario of readBoard(doc).scenarios) {
    for (const id of ASSUMPTION_IDS) {
      const current = scenario.values[id];
      doc.clientID = Math.floor(Math.random() * 2 ** 31);
      const before = out.length;
      for (const candidate of [current * 0.9, current * 1.1, current + 1, current - 1]) {
        setAssumption(doc, scenario.id, id, candidate);
        if (out.length > before) break;
      }
      if (out.length >= 2000) break;
    }
  }
  doc.off('update', capture);
  return out;
}

// --- jobs ------------------------------------------------------------------------------------

/** Fill a board (as its moderator) with scenarios, comments and logged edits up to targetBytes. */
async function build(job: Extract<Job, { kind: 'build' }>) {
  // Comments are signed with a server-issued identity: get one, and connect as it.
  const http = job.ws.replace(/^ws/, 'http').replace(/\/yjs$/, '');
  const issued = await fetch(`${http}/api/boards/${job.boardId}/participants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${job.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Bench moderator', color: '#2563eb' }),
  });
  if (!issued.ok) throw new Error(`credential: ${issued.status} ${await issued.text()}`);
  const { participant, credential } = (await issued.json()) as {
    participant: { id: string; name: string; color: string };
    credential: string;
  };
  const client = connectClient(job.ws, job.boardId, credential);
  await client.synced;
  const doc = client.doc;
  const by = { id: participant.id, name: participant.name, color: participant.color };
  const words = 'training conversion services exports freelancers target policy baseline '.split(
    ' ',
  );
  const text = (n: number) =>
    Array.from({ length: n }, (_, i) => words[(i * 7 + n) % words.length])
      .join(' ')
      .slice(0, COMMENT_MAX);
  for (let i = 0; i < 19; i++) addScenario(doc, { name: `Scenario ${i + 2}`, now: Date.now() });
  const scenarios = readBoard(doc).scenarios;
  let round = 0;
  while (Y.encodeStateAsUpdate(doc).length < job.targetBytes && round < 400) {
    doc.transact(() => {
      for (let i = 0; i < 40; i++) {
        const s = scenarios[(round + i) % scenarios.length]!;
        addComment(doc, {
          target: { kind: 'scenario', id: s.id },
          by,
          text: `${round}.${i} ${text(250)}`.slice(0, COMMENT_MAX),
        });
        const id = ASSUMPTION_IDS[(round * 40 + i) % ASSUMPTION_IDS.length] as AssumptionId;
        setAssumption(doc, s.id, id, s.values[id] * (1 + ((i % 5) - 2) / 100));
      }
    });
    round++;
    await sleep(15); // under the default message rate limit
  }
  await sleep(500);
  client.destroy();
  // What the server actually holds: a fresh load of the board.
  const ws = await openRaw(`${job.ws}/${job.boardId}?token=${job.token}`);
  const check = new Y.Doc();
  await loadBoardInto(ws, check);
  ws.close();
  return {
    bytes: Y.encodeStateAsUpdate(check).length,
    scenarios: readBoard(check).scenarios.length,
  };
}

/**
 * Refused updates one at a time: send one, then wait for the server's whole answer (every
 * message until 20 ms of quiet, or a close). Before that, the round trip of a cheap request
 * (a presence query) on the same connection, for comparison.
 */
async function refusalCost(job: Extract<Job, { kind: 'refusalCost' }>) {
  const url = `${job.ws}/${job.boardId}?token=${job.token}`;
  let ws = await openRaw(url);
  const doc = new Y.Doc();
  await loadBoardInto(ws, doc);
  const updates = refusedUpdates(doc);
  if (updates.length === 0) throw new Error('could not make a refused update');
  let lastMessageAt = 0;
  let closed = false;
  const watch = (socket: WebSocket) => {
    socket.on('message', () => (lastMessageAt = performance.now()));
    socket.once('close', () => {
      closed = true;
      lastMessageAt = performance.now();
    });
  };
  watch(ws);
  // Someone present, so a presence query always gets an answer.
  ws.send(awarenessFrame(doc.clientID, '{}'));
  await sleep(300);

  /** Send, then wait for the answer to settle; the time of its last message. */
  const roundTrip = async (message: Uint8Array, quietMs: number) => {
    lastMessageAt = 0;
    const t0 = performance.now();
    ws.send(message);
    while (lastMessageAt === 0 && performance.now() - t0 < 30_000) await sleep(0);
    while (!closed && performance.now() - lastMessageAt < quietMs) await sleep(1);
    return lastMessageAt - t0;
  };
  const baseline: number[] = [];
  for (let i = 0; i < 100; i++) baseline.push(await roundTrip(queryAwareness, 0));

  const times: number[] = [];
  let reconnects = 0;
  const elu0 = performance.eventLoopUtilization();
  for (let i = 0; i < job.refusals; i++) {
    if (closed) {
      // Refusals may be limited per connection: come back, as a hostile client would.
      reconnects++;
      closed = false;
      ws = await openRaw(url);
      watch(ws);
      await sleep(20);
    }
    times.push(await roundTrip(updateFrame(updates[i % updates.length]!), 20));
  }
  ws.close();
  return {
    refusal: summarize(times),
    baseline: summarize(baseline),
    variants: updates.length,
    updateBytes: updates[0]!.length,
    reconnects,
    saturation: {
      elu: performance.eventLoopUtilization(elu0).utilization,
      sendLagP99: 0,
    } satisfies Saturation,
  };
}

/** GET /api/health on a fixed schedule; latency from each request's scheduled time. */
async function health(job: Extract<Job, { kind: 'health' }>) {
  const gap = 1000 / job.perSecond;
  const latencies: number[] = [];
  const lags: number[] = [];
  let timedOut = 0;
  const timeoutMs = 10_000;
  const pending: Promise<void>[] = [];
  await readyThenWait();
  const elu0 = performance.eventLoopUtilization();
  const start = performance.now();
  for (let i = 0; ; i++) {
    const scheduled = start + i * gap;
    if (scheduled - start >= job.durationMs) break;
    const wait = scheduled - performance.now();
    if (wait > 0) await sleep(wait);
    lags.push(performance.now() - scheduled);
    const counted = scheduled - start >= job.warmupMs;
    pending.push(
      fetch(`${job.http}/api/health`, { signal: AbortSignal.timeout(timeoutMs) })
        .then((res) => res.arrayBuffer())
        .then(
          () => void (counted && latencies.push(performance.now() - scheduled)),
          () => {
            if (!counted) return;
            timedOut++;
            latencies.push(performance.now() - scheduled); // at least this long
          },
        ),
    );
  }
  await Promise.all(pending);
  return {
    latency: summarize(latencies),
    timedOut,
    saturation: {
      elu: performance.eventLoopUtilization(elu0).utilization,
      sendLagP99: summarize(lags).p99,
    } satisfies Saturation,
  };
}

/**
 * Stock y-websocket editors on one board; edits are spread over them on a fixed schedule, and
 * every other editor records when it sees each edit (from the edit's scheduled time).
 */
async function editors(job: Extract<Job, { kind: 'editors' }>) {
  const clients: TestClient[] = [];
  for (let i = 0; i < job.clients; i++) clients.push(connectClient(job.ws, job.boardId, job.token));
  await Promise.all(clients.map((c) => c.synced));
  // Each editor writes its own scenario, so no two edits race for one field (the later would
  // hide the earlier and it would look lost).
  const scenarioIds = readBoard(clients[0]!.doc).scenarios.map((sc) => sc.id);
  const scenarioOf = (k: number) => scenarioIds[k % scenarioIds.length]!;
  const scheduledAt = new Map<number, { at: number; counted: boolean; seen: number }>();
  const latencies: number[] = [];
  let delivered = 0;
  /** Values each client wrote itself or has already counted (any remote update re-reads). */
  const known = new Map<TestClient, Set<number>>(clients.map((c) => [c, new Set<number>()]));
  clients.forEach((client, self) => {
    const valueIn = (scenarioId: string) =>
      (
        client.doc.getMap<Y.Map<unknown>>('scenarios').get(scenarioId)?.get('values') as
          Y.Map<number> | undefined
      )?.get('trainingOutput') ?? -1;
    client.doc.on('update', (_u: Uint8Array, origin: unknown) => {
      if (origin !== client.provider) return; // remote edits only
      for (let k = 0; k < clients.length; k++) {
        if (k === self) continue;
        const value = valueIn(scenarioOf(k));
        const edit = scheduledAt.get(value);
        if (!edit || known.get(client)!.has(value)) continue;
        known.get(client)!.add(value);
        delivered++;
        edit.seen++;
        if (edit.counted) latencies.push(performance.now() - edit.at);
      }
    });
  });
  await readyThenWait();
  const gap = 1000 / job.perSecond;
  const lags: number[] = [];
  const elu0 = performance.eventLoopUtilization();
  const start = performance.now();
  let edits = 0;
  for (let i = 0; ; i++) {
    const scheduled = start + i * gap;
    if (scheduled - start >= job.durationMs) break;
    const wait = scheduled - performance.now();
    if (wait > 0) await sleep(wait);
    lags.push(performance.now() - scheduled);
    const counted = scheduled - start >= job.warmupMs;
    const value = job.valueBase + i; // unique per edit, inside the range
    scheduledAt.set(value, { at: scheduled, counted, seen: 0 });
    const k = i % clients.length;
    known.get(clients[k]!)!.add(value);
    setAssumption(clients[k]!.doc, scenarioOf(k), 'trainingOutput', value);
    edits++;
  }
  const expected = edits * (clients.length - 1);
  const deadline = performance.now() + 10_000;
  while (delivered < expected && performance.now() < deadline) await sleep(20);
  // Deliveries that never came count as at least this late.
  const now = performance.now();
  for (const edit of scheduledAt.values())
    if (edit.counted)
      for (let i = edit.seen; i < clients.length - 1; i++) latencies.push(now - edit.at);
  for (const c of clients) c.destroy();
  return {
    latency: summarize(latencies),
    edits,
    lost: expected - delivered,
    saturation: {
      elu: performance.eventLoopUtilization(elu0).utilization,
      sendLagP99: summarize(lags).p99,
    } satisfies Saturation,
  };
}

/** A viewer sending refused updates on a fixed schedule, never waiting; comes back if closed. */
async function refuser(job: Extract<Job, { kind: 'refuser' }>) {
  const url = `${job.ws}/${job.boardId}?token=${job.token}`;
  let ws = await openRaw(url);
  const doc = new Y.Doc();
  await loadBoardInto(ws, doc);
  const updates = refusedUpdates(doc).map(updateFrame);
  let answers = 0;
  let reconnects = 0;
  const closeCodes = new Map<number, number>();
  const pending: { reconnect: Promise<void> | null } = { reconnect: null };
  const watch = (socket: WebSocket) => {
    socket.on('message', () => answers++);
    socket.once('close', (code) => {
      closeCodes.set(code, (closeCodes.get(code) ?? 0) + 1);
      reconnects++;
      pending.reconnect = openRaw(url).then((next) => {
        ws = next;
        watch(next);
        pending.reconnect = null;
      });
    });
  };
  watch(ws);
  await readyThenWait();
  const gap = 1000 / job.perSecond;
  const lags: number[] = [];
  let sent = 0;
  const elu0 = performance.eventLoopUtilization();
  const start = performance.now();
  for (let i = 0; ; i++) {
    const scheduled = start + i * gap;
    if (scheduled - start >= job.durationMs) break;
    const wait = scheduled - performance.now();
    if (wait > 0) await sleep(wait);
    if (pending.reconnect) await pending.reconnect;
    lags.push(performance.now() - scheduled);
    if (ws.readyState !== WebSocket.OPEN) continue;
    ws.send(updates[i % updates.length]!);
    sent++;
  }
  const saturation: Saturation = {
    elu: performance.eventLoopUtilization(elu0).utilization,
    sendLagP99: summarize(lags).p99,
  };
  ws.removeAllListeners('close');
  ws.terminate();
  return { sent, answers, reconnects, closeCodes: Object.fromEntries(closeCodes), saturation };
}

/**
 * Readers that join like a stock client (asking for the whole board), then never read again;
 * with `reaskMs` they keep asking for the whole board. They stay until the parent says 'resume':
 * then they read again and count which connections the server dropped.
 */
async function slowReaders(job: Extract<Job, { kind: 'slowReaders' }>) {
  const url = `${job.ws}/${job.boardId}?token=${job.token}`;
  const sockets = await Promise.all(Array.from({ length: job.readers }, () => openRaw(url)));
  const ask = syncStep1(new Y.Doc());
  const closed = new Set<WebSocket>();
  for (const ws of sockets) {
    ws.once('close', () => closed.add(ws));
    (ws as unknown as { _socket: import('node:net').Socket })._socket.pause();
    ws.send(ask);
  }
  const timer =
    job.reaskMs > 0
      ? setInterval(() => {
          for (const ws of sockets) if (ws.readyState === WebSocket.OPEN) ws.send(ask);
        }, job.reaskMs)
      : null;
  await readyThenWait(); // the parent measures, then lets them read again
  if (timer) clearInterval(timer);
  for (const ws of sockets)
    (ws as unknown as { _socket: import('node:net').Socket })._socket.resume();
  await sleep(3000);
  const dropped = closed.size;
  for (const ws of sockets) ws.terminate();
  return { readers: job.readers, dropped };
}

const jobs = { build, refusalCost, health, editors, refuser, slowReaders } as const;

process.once('message', (job: Job) => {
  (jobs[job.kind] as (j: Job) => Promise<unknown>)(job).then(
    (result) => process.send!({ result }, () => process.exit(0)),
    (err: unknown) => process.send!({ error: String(err) }, () => process.exit(1)),
  );
});
