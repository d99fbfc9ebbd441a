/**
 * Plenary-scale benchmarks (issue 12): `npm run bench:scale [-- --scenario
 * plenary|joining|rooms|memory|sync|restart|wifi --size 0.3 --workers 3]`. The server (the real one, without Next:
 * test/fixtures/apiServer.ts bundled by esbuild like `npm run build`) runs in its own process; participants run in `--workers` load
 * generator processes (bench/scaleWorker.ts), each a stock y-websocket client plus a socket.io
 * live session with a participant credential. Figures are printed beside their targets, with
 * every generator's event-loop utilisation and send lag (over 80% ELU or 20 ms lag: saturated,
 * the figures are then upper bounds). The plenary times its edits in a process of its own, beside
 * `--workers` crowd processes at a lower CPU priority (see saturation and lowerCrowdPriority).
 *
 * Set-up credentials are signed with the server's TOKEN_SECRET, as the API would issue them
 * (issuing 1,000 over HTTP from one address would spend the per-address budget the trust work
 * set); the joining scenario goes through the API by link and by code, budgets included.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { ROSTER_LISTED_MAX, SocketEvent, type AckResult } from '../lib/protocol';
import type { AssumptionId } from '../lib/model';
import { TokenService } from '../server/auth/tokens';
import { RELAY_MERGE_MIN_PEERS } from '../server/collab/liveBoard';
import { decodeJwt } from 'jose';
import {
  connectSession,
  createBoard,
  followSession,
  rawSocket,
  sessionReady,
  tempDir,
  waitFor,
} from '../test/helpers';
import { bundleChildServer, startChildServer, type ChildServer } from '../test/childServer';
import { summarize } from './stats';
import { loopbackWriteMicros } from './loopbackCost';
import type { BoardRef, EditRecord, Job, MemberSpec, Result } from './scaleWorker';
import type { RestartJob, RestartResult } from './restartWorker';

const { values: args } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'all' },
    size: { type: 'string', default: '1' },
    workers: { type: 'string', default: '3' },
    run: { type: 'string', default: '30' },
    // A folder: the server writes a heap snapshot there at each memory reading (before and after
    // everyone joined), to see what a participant's memory is made of.
    'heap-snapshots': { type: 'string' },
    // Extra node flags for the server under test, space-separated (e.g. "--cpu-prof
    // --cpu-prof-dir=/tmp/prof", or "--import=/path/to/a/probe.mjs").
    'server-args': { type: 'string', default: '' },
    // Where the edit tail sits in time: the 100 ms windows (by scheduled send, wall clock) that
    // hold deliveries later than this many ms, to set beside the server probe's PROBE_STALLS.
    'tail-windows': { type: 'string' },
    // The restart scenario: seconds between the server's death and its successor starting; the
    // wifi scenario: seconds the venue's network is away.
    down: { type: 'string', default: '1' },
  },
});
const SIZE = Number(args.size);
const WORKERS = Number(args.workers);
const RUN_MS = Number(args.run) * 1000;
/** The plenary's poll opens 7 s in and takes 10 s: its run is at least 20 s. */
const PLENARY_RUN_MS = Math.max(RUN_MS, 20_000);
/** Node flags the production server runs with (server/nodeFlags.sh, as server/start.sh), here too. */
const SERVER_NODE_FLAGS = execFileSync(
  'sh',
  [path.join(import.meta.dirname, '..', 'server', 'nodeFlags.sh')],
  { encoding: 'utf8' },
)
  .split('\n')
  .filter(Boolean);
/**
 * The CPU priority of the plenary's crowd processes: on a 2-core machine every relay wakes the
 * server and every generator at once, and the crowd yields to the server and the timing process,
 * as the phones of a real crowd use their own CPUs. Linux's SCHED_IDLE policy (through util-linux's
 * `chrt`) where it can be set: a nice-10 process still held a core for the rest of its time
 * slice when the server woke, an idle-policy one gives it up at once (the server's event loop
 * waited for a core 123-161 ms/s at nice 10, 67-87 ms/s at SCHED_IDLE: bench/README.md).
 * Otherwise nice CROWD_NICE. CROWD_IDLE=0 keeps to nice; CROWD_NICE=0 turns both off.
 */
const CROWD_NICE = Number(process.env.CROWD_NICE ?? 10);
const CROWD_IDLE = process.env.CROWD_IDLE !== '0' && CROWD_NICE !== 0;
/** Whether chrt may still be tried: after one failure the other crowd processes keep to nice. */
let idlePolicyAvailable = CROWD_IDLE;
/** How the last crowd process's priority was lowered, for the harness row. */
let crowdPriority = '';

/** Lower a crowd process's priority (see CROWD_NICE): SCHED_IDLE where chrt can set it. */
function lowerCrowdPriority(pid: number): void {
  if (CROWD_NICE === 0) {
    crowdPriority = 'same priority';
    return;
  }
  os.setPriority(pid, CROWD_NICE);
  crowdPriority = `nice ${CROWD_NICE}${CROWD_IDLE ? ' (chrt failed)' : ''}`;
  if (!idlePolicyAvailable) return;
  try {
    // -a: every thread the process has started so far; those it starts later inherit it.
    execFileSync('chrt', ['--all-tasks', '--idle', '--pid', '0', String(pid)], { stdio: 'pipe' });
    crowdPriority = 'SCHED_IDLE';
  } catch (err) {
    idlePolicyAvailable = false;
    const why = (err as { stderr?: Buffer }).stderr?.toString().trim() || String(err);
    console.log(
      `bench: the crowd runs at nice ${CROWD_NICE}; chrt could not set SCHED_IDLE: ${why}`,
    );
  }
}
const SECRET = 'bench-secret-'.padEnd(48, 'x');
const workerPath = path.join(import.meta.dirname, 'scaleWorker.ts');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.timeOrigin + performance.now();
const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');
const ms = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;

const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
const cpuMs = (pid: number) => {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
};
/**
 * The server's CPU over a run, from now until the returned function is called: its share of one
 * core, and how long its main thread (its event loop) was runnable but waiting for a core (Linux
 * schedstat): what the generators, the server's own helper threads and anything else on the
 * machine took from it, which says how much of a tail is the machine's.
 */
function serverCpuMeter(pid: number): () => { share: number; text: string } {
  const loopWaitMs = () =>
    Number(fs.readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
  const cpu0 = cpuMs(pid);
  const wait0 = loopWaitMs();
  const t0 = now();
  return () => {
    const elapsed = now() - t0;
    const share = (cpuMs(pid) - cpu0) / elapsed;
    const waited = (loopWaitMs() - wait0) / (elapsed / 1000);
    const text = `${(share * 100).toFixed(0)}% (its event loop waited ${waited.toFixed(0)} ms/s for a core)`;
    return { share, text };
  };
}
async function gcRss(server: ChildServer): Promise<number> {
  server.process.kill('SIGUSR2'); // a full GC (the server runs with --expose-gc)
  await sleep(500);
  return rssMb(server.process.pid!);
}

/** The server's V8 heap in use (MB), from its own /metrics (read after a forced GC). */
async function heapMb(
  server: ChildServer,
  metric = 'nodejs_heap_size_used_bytes',
): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
  return Number(new RegExp(`^${metric} (\\S+)`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20;
}

// Bundled with esbuild as `npm run build` bundles the server: through tsx every named function
// carries an extra property (esbuild's keepNames), which inflates per-connection memory.
let compiledServer: Promise<string> | undefined;

/**
 * The server under test; `at`: on the port and data of one that was killed (restart).
 * `manyVenues`: its cap on connections per address lifted, for the scenarios whose thousands of
 * people stand for many venues (rooms, memory); the plenary, joining and restart are one venue
 * behind one address and run with the default cap, as a deployment would.
 */
async function startServer(
  at: { port?: number; dataDir?: string; manyVenues?: boolean; host?: string } = {},
): Promise<ChildServer> {
  compiledServer ??= bundleChildServer();
  return startChildServer(
    {
      DATA_DIR: at.dataDir ?? tempDir('sb-bench-scale-'),
      ...(at.port ? { PORT: String(at.port) } : {}),
      ...(at.host ? { HOST: at.host } : {}),
      TOKEN_SECRET: SECRET,
      LOG_LEVEL: 'error',
      // Every simulated participant connects from 127.0.0.1.
      ...(at.manyVenues ? { MAX_CONNECTIONS_PER_ADDRESS: '100000' } : {}),
      BOARDS_PER_HOUR: '100000',
      // A board visited before the readings (visitBoards) stays loaded until everyone joined.
      IDLE_UNLOAD_MS: '3600000',
      ...(args['heap-snapshots']
        ? { HEAP_SNAPSHOT_DIR: path.resolve(args['heap-snapshots']) }
        : {}),
    },
    [
      '--expose-gc',
      ...SERVER_NODE_FLAGS,
      ...(args['server-args'] ?? '').split(' ').filter(Boolean),
    ],
    await compiledServer,
  );
}

/** A generator's result, and whether it timed edits or only made up the crowd. */
type WorkerResult = Result & { role: 'mixed' | 'timing' | 'crowd' };

interface Workers {
  ready: Promise<void>;
  go(at: number): void;
  measured: Promise<void>;
  finish(): Promise<WorkerResult[]>;
}

/** The first message from a worker process with `key`; its error or a failed exit rejects. */
function fromWorker(child: ChildProcess, key: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    child.on('message', (m: Record<string, unknown>) => {
      if (typeof m.error === 'string') reject(new Error(m.error));
      else if (key in m) resolve(m[key]);
    });
    child.once('exit', (code) => code !== 0 && reject(new Error(`worker exited ${code}`)));
  });
}

/**
 * Split `members` over the worker processes: whole boards per worker (`board`), round robin
 * (`index`), or `timing`: the stock clients (the plenary's movers and observers) in a process of
 * their own, the light crowd round robin over the others.
 */
function startWorkers(
  base: Omit<Job, 'members'>,
  members: MemberSpec[],
  split: 'board' | 'index' | 'timing',
): Workers {
  const parts: MemberSpec[][] = Array.from({ length: WORKERS }, () => []);
  const timing: MemberSpec[] = [];
  members.forEach((m, i) => {
    if (split === 'timing' && !m.light) timing.push(m);
    else parts[(split === 'board' ? m.board : i) % WORKERS]!.push(m);
  });
  if (split === 'timing') parts.unshift(timing);
  const children = parts.map((part, index) => {
    // WORKER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/gen"): flags for the generators,
    // to see what they spend their time on.
    const extra = (process.env.WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child = fork(workerPath, [], {
      execArgv: ['--import', 'tsx', ...extra],
      stdio: 'inherit',
    });
    // The crowd's processes yield the CPU to the server and the timing process when they want it
    // at the same moment (every relay wakes all of them at once), as separate machines would.
    const role: WorkerResult['role'] =
      split !== 'timing' ? 'mixed' : index === 0 ? 'timing' : 'crowd';
    if (role === 'crowd') lowerCrowdPriority(child.pid!);
    const on = (key: string) => fromWorker(child, key);
    const handles = { ready: on('ready'), measured: on('measured'), result: on('result') };
    child.send({ ...base, members: part } satisfies Job);
    return { child, role, ...handles };
  });
  return {
    ready: Promise.all(children.map((c) => c.ready)).then(() => undefined),
    go: (at) => children.forEach((c) => c.child.send({ go: at })),
    measured: Promise.all(children.map((c) => c.measured)).then(() => undefined),
    finish: async () => {
      children.forEach((c) => c.child.send('finish'));
      const results = (await Promise.all(children.map((c) => c.result))) as Result[];
      return results.map((r, i) => ({ ...r, role: children[i]!.role }));
    },
  };
}

const lostText = (e: { lost: number; expected: number; superseded: number }) =>
  `${e.lost} of ${e.expected}` +
  (e.superseded > 0 ? ` (${e.superseded} arrived merged with a later value, timed by it)` : '');

/**
 * Whether every light participant received every update message: the server sends every
 * connection of a board but the senders the same ones (one per edit, or one per event-loop turn
 * in a large room, merged), so each light participant must have counted as many as its board's
 * observers, whose documents show they hold every edit.
 */
function lightFigures(results: Result[]) {
  const expected = new Map<number, number>();
  for (const [board, count] of results.flatMap((r) => r.observerUpdates))
    expected.set(board, Math.max(expected.get(board) ?? 0, count));
  const lightCounts = results.flatMap((r) => r.lightUpdates);
  let short = 0;
  let wanted = 0;
  for (const [board, count] of lightCounts) {
    wanted += expected.get(board) ?? 0;
    short += Math.max(0, (expected.get(board) ?? 0) - count);
  }
  const observersBehind = results
    .flatMap((r) => r.observerUpdates)
    .filter(([board, count]) => count < expected.get(board)!).length;
  const counts = lightCounts.map(([, count]) => count);
  const observerCounts = [...expected.values()];
  return {
    lights: lightCounts.length,
    ok: short === 0 && observersBehind === 0,
    text:
      `${short} of ${wanted} (light min ${Math.min(...counts)}, max ${Math.max(...counts)}; ` +
      `observers' counts per board ${Math.min(...observerCounts)} to ${Math.max(...observerCounts)}, ` +
      `${observersBehind} observers behind their board's; ` +
      `${results.reduce((a, r) => a + r.edits.length, 0)} edits)`,
  };
}

/**
 * Edit latencies (scheduled send to receipt); undelivered ones are lost. Each edit is due at
 * `observersPerEdit` observers (its own board's), or at every observer when omitted (one board).
 * In a room the server relays merged (RELAY_MERGE_MIN_PEERS or more connections) an edit is
 * also delivered when the observer sees a later value of the same writer: a value overwritten in
 * the same event-loop turn never shows on its own. It is then timed by the later value
 * (`superseded`). In smaller rooms an edit must be seen itself.
 */
function editFigures(results: Result[], roomSize: number, observersPerEdit?: number) {
  // Only a room the server relays merged can show a value through a later one; anywhere else an
  // edit not seen itself (e.g. skipped by a resync) is lost, as before merging existed.
  const merging = roomSize >= RELAY_MERGE_MIN_PEERS;
  // key -> observer -> value -> first time seen.
  const seen = new Map<string, Map<string, Map<number, number>>>();
  for (const r of results)
    for (const [keyValue, sightings] of Object.entries(r.seen)) {
      const cut = keyValue.lastIndexOf(':');
      const key = keyValue.slice(0, cut);
      const value = Number(keyValue.slice(cut + 1));
      const byObserver = seen.get(key) ?? seen.set(key, new Map()).get(key)!;
      for (const [observer, t] of sightings) {
        const values =
          byObserver.get(observer) ?? byObserver.set(observer, new Map()).get(observer)!;
        if (!values.has(value)) values.set(value, t);
      }
    }
  const editsByKey = new Map<string, EditRecord[]>();
  for (const r of results)
    for (const e of r.edits)
      (editsByKey.get(e.key) ?? editsByKey.set(e.key, []).get(e.key)!).push(e);
  const latencies: number[] = [];
  const late: number[] = []; // scheduled send times of deliveries over --tail-windows
  const tailOverMs = args['tail-windows'] === undefined ? null : Number(args['tail-windows']);
  let lost = 0;
  let expected = 0;
  let superseded = 0;
  const want = observersPerEdit ?? results.reduce((n, r) => n + r.observers, 0);
  // Per edit, the latency of its first observer: one process's observers read each relay one
  // after another, so the last one's time holds the others' work and the first's does not; the
  // gap between the two figures bounds that harness's share (the plenary prints both).
  const firstLatencies: number[] = [];
  for (const [key, edits] of editsByKey) {
    edits.sort((a, b) => a.at - b.at);
    const delivered = edits.map(() => 0);
    const first = edits.map(() => Infinity);
    for (const values of seen.get(key)?.values() ?? []) {
      // Walking back from the last edit: the earliest time this observer saw it or a later one.
      let earliest = Infinity;
      for (let i = edits.length - 1; i >= 0; i--) {
        const own = values.get(edits[i]!.value);
        if (!merging) earliest = own ?? Infinity;
        else if (own !== undefined && own <= earliest) earliest = own;
        else if (Number.isFinite(earliest)) superseded += edits[i]!.counted ? 1 : 0;
        if (!Number.isFinite(earliest) || !edits[i]!.counted) continue;
        delivered[i]!++;
        latencies.push(earliest - edits[i]!.at);
        first[i] = Math.min(first[i]!, earliest - edits[i]!.at);
        if (tailOverMs !== null && earliest - edits[i]!.at > tailOverMs) late.push(edits[i]!.at);
      }
    }
    for (const [i, e] of edits.entries()) {
      if (!e.counted) continue;
      if (Number.isFinite(first[i])) firstLatencies.push(first[i]!);
      expected += want;
      lost += Math.max(0, want - delivered[i]!);
    }
  }
  if (tailOverMs !== null) printTailWindows(late, latencies.length, tailOverMs);
  return {
    latency: summarize(latencies),
    firstLatency: summarize(firstLatencies),
    lost,
    expected,
    superseded,
  };
}

/** How the late deliveries cluster: per 100 ms window of scheduled time, the busiest first. */
function printTailWindows(late: number[], delivered: number, overMs: number): void {
  const windows = new Map<number, number>();
  for (const at of late) {
    const w = Math.floor(at / 100);
    windows.set(w, (windows.get(w) ?? 0) + 1);
  }
  const busiest = [...windows].sort((a, b) => b[1] - a[1]).slice(0, 20);
  console.log(
    `${late.length} of ${delivered} deliveries over ${overMs} ms, in ${windows.size} windows of 100 ms; busiest (wall-clock s: late deliveries): ` +
      busiest.map(([w, n]) => `${(w / 10).toFixed(1)}: ${n}`).join(', '),
  );
}

/**
 * Whether the generators kept up: over the run's schedule, or over the joins (`joins`). A process
 * that times edits (or shares its loop with members that do) is saturated past 80% ELU or 20 ms
 * of send lag at p99: its own delays would be in the latencies. A crowd process (plenary: it
 * times nothing, see startWorkers) only has to keep its schedule: 80% ELU, or 100 ms of lag at
 * p99, a tenth of its slowest period (presence at 1 Hz); later than that, it would be sending
 * the server less than the scenario says.
 */
const saturation = (results: WorkerResult[], { joins = false } = {}) => {
  const elu = (r: WorkerResult) => (joins ? r.joinElu : r.elu);
  const lag = (r: WorkerResult) => (joins ? r.joinLagP99 : r.sendLagP99);
  const over = (r: WorkerResult) => elu(r) > 0.8 || lag(r) > (r.role === 'crowd' ? 100 : 20);
  const figures = (group: WorkerResult[]) =>
    `ELU max ${(Math.max(...group.map(elu)) * 100).toFixed(0)}%, send lag p99 max ${ms(Math.max(...group.map(lag)))}`;
  const crowd = results.filter((r) => r.role === 'crowd');
  const timing = results.filter((r) => r.role !== 'crowd');
  const saturated = results.some(over);
  const text =
    crowd.length > 0
      ? `timing process: ${figures(timing)}; crowd (${crowd.length}, ${crowdPriority}): ${figures(crowd)}`
      : `generators: ${figures(results)}`;
  return {
    text: `${text}${saturated ? ' (SATURATED: figures are upper bounds)' : ' (not saturated)'}`,
    saturated,
  };
};

const boardRef = (b: Awaited<ReturnType<typeof createBoard>>): BoardRef => ({
  id: b.id,
  tokens: { editor: b.tokens.editor, viewer: b.tokens.viewer },
  joinCode: (b as unknown as { joinCode: string }).joinCode,
});

const rows: string[][] = [];
const row = (scenario: string, figure: string, target: string, seen: string, ok: boolean | null) =>
  rows.push([scenario, figure, target, seen, ok === null ? '' : mark(ok)]);

/** The epoch a role link was signed with (participant credentials carry it). */
const epochOf = (roleToken: string) => decodeJwt<{ ep: number }>(roleToken).ep;

/**
 * Load every board (document and live session) with one short visit each, both connections, so
 * that a memory reading taken afterwards counts participants, not boards (whose cost is read on
 * its own, as sync.ts does), and the server's code for both has run once.
 */
async function visitBoards(http: string, boards: BoardRef[]): Promise<void> {
  const tokens = new TokenService(SECRET);
  const visit = async (board: BoardRef, i: number) => {
    const credential = await tokens.signParticipant({
      boardId: board.id,
      role: 'viewer',
      epoch: epochOf(board.tokens.viewer),
      participant: {
        id: `pvisit${String(i).padStart(10, '0')}`,
        name: 'Visitor',
        color: '#555555',
      },
    });
    const session = connectSession(http, board.id, credential);
    await sessionReady(session);
    const yjs = await rawSocket(`${http.replace('http', 'ws')}/yjs`, board.id, credential);
    await waitFor(() => yjs.messages.length > 0, 'the board greets its visitor');
    yjs.ws.close();
    session.disconnect();
  };
  for (let i = 0; i < boards.length; i += 20)
    await Promise.all(boards.slice(i, i + 20).map((b, j) => visit(b, i + j)));
}

/** The moderator, in this process: opens the poll and times the exact count. */
async function moderator(http: string, boardId: string, roleToken: string) {
  const tokens = new TokenService(SECRET);
  const credential = await tokens.signParticipant({
    boardId,
    role: 'moderator',
    epoch: epochOf(roleToken),
    participant: { id: 'pmoderator000000', name: 'Mo', color: '#111111' },
  });
  const socket = connectSession(http, boardId, credential);
  const view = followSession(socket);
  socket.on('disconnect', (reason) => {
    if (reason !== 'io client disconnect') console.log(`moderator disconnected: ${reason}`);
  });
  await new Promise((r) => socket.once(SocketEvent.snapshot, r));
  return { socket, view };
}

async function plenary() {
  const n = Math.round(1000 * SIZE);
  const editors = Math.max(5, Math.round(50 * SIZE));
  const server = await startServer();
  const http = `http://127.0.0.1:${server.port}`;
  const board = await createBoard(http, { title: 'Plenary' });
  const mod = await moderator(http, board.id, board.token);
  await visitBoards(http, [boardRef(board)]);
  const rssBefore = await gcRss(server);
  const heapBefore = await heapMb(server);
  const movers: { assumption: AssumptionId; key: string }[] = (
    [
      'trainingOutput',
      'organicSignups',
      'earningsPerFreelancer',
      'revenuePerWorker',
      'servicesShare',
    ] as const
  ).map((assumption, i) => ({ assumption, key: `w${i}` }));
  // The movers and these viewers are stock clients that time the edits, in a process of their
  // own (startWorkers' `timing`); the crowd around them runs in the other generators.
  const observers = Math.min(70, n - editors);
  const observes = (i: number) => i >= editors && i < editors + observers;
  const members: MemberSpec[] = Array.from({ length: n }, (_, i) => ({
    board: 0,
    role: i < editors ? 'editor' : 'viewer',
    ...(i < movers.length ? { writer: { ...movers[i]!, hz: 5 } } : {}),
    observe: observes(i),
    // Everyone else speaks the protocol without a Y.Doc (bench/lightPeer.ts) and counts updates.
    light: i >= movers.length && !observes(i),
    presenceHz: 1,
    vote: true,
    hand: i < editors && i % 5 === 0,
    reactHz: i % 50 === 0 ? 1 : 0,
    join: 'minted',
    // Joined at 100/s for the set-up (the joining scenario measures a faster crowd).
    joinAtMs: i * 10,
  }));
  const warmupMs = 5000;
  const workers = startWorkers(
    {
      http,
      ws: `ws://127.0.0.1:${server.port}/yjs`,
      secret: SECRET,
      boards: [boardRef(board)],
      runMs: PLENARY_RUN_MS,
      warmupMs,
      pollWindowMs: 10_000,
      writersByBoard: { 0: movers },
    },
    members,
    'timing',
  );
  await workers.ready;
  const rssJoined = await gcRss(server);
  const heapJoined = await heapMb(server);
  const go = now() + 500;
  workers.go(go);
  await sleep(go - now());
  const cpuOfRun = serverCpuMeter(server.process.pid!);
  // The poll opens after the warm-up; everyone answers within 10 s.
  await sleep(warmupMs + 2000);
  let exactAt = 0;
  const voters = n;
  mod.socket.on(SocketEvent.changes, (c) => {
    if (c.tally && c.tally.voters === voters && exactAt === 0) exactAt = now();
  });
  const opened: AckResult = await mod.socket
    .timeout(10_000)
    .emitWithAck(SocketEvent.pollOpen, {
      kind: 'choice',
      question: 'Which?',
      options: ['A', 'B', 'C'],
    })
    .then(
      (a) => a as AckResult,
      (err: unknown) => ({ ok: false as const, code: 'noAnswer' as const, error: String(err) }),
    );
  if (!opened.ok) console.log(`plenary: the poll did not open: ${JSON.stringify(opened)}`);
  await workers.measured;
  const cpu = cpuOfRun();
  const results = await workers.finish();
  const edits = editFigures(results, n + 1);
  const lastVote = Math.max(...results.map((r) => r.lastVoteAt));
  const votesCounted = mod.view.poll?.voters ?? 0;
  const handsRaised = results.reduce((a, r) => a + r.handsRaised, 0);
  const reactionsSent = results.reduce((a, r) => a + r.reactionsSent, 0);
  const reactionsSeen = [...mod.view.reactionCounts.values()].reduce((a, b) => a + b, 0);
  const rosters = results.flatMap((r) => r.rosters);
  const listedSize = 1 + Math.min(ROSTER_LISTED_MAX, n);
  const presence = results.flatMap((r) => r.presenceSeen);
  const ioBytes = summarize(results.flatMap((r) => r.ioBytes));
  const ioMessages = summarize(results.flatMap((r) => r.ioMessages));
  const disconnects = results.reduce((a, r) => a + r.disconnects, 0);
  const tallyDelay = exactAt ? exactAt - lastVote : Number.POSITIVE_INFINITY;
  const perParticipantKb = ((rssJoined - rssBefore) * 1024) / n;
  const heapPerParticipantKb = ((heapJoined - heapBefore) * 1024) / n;
  const sat = saturation(results);
  const label = `plenary ${n}`;
  row(
    label,
    'edit p99 (5 movers x 5 Hz, to observers)',
    '<= 50 ms',
    `${ms(edits.latency.p99)} (p50 ${ms(edits.latency.p50)}, n ${edits.latency.n}; to each edit's first observer: p99 ${ms(edits.firstLatency.p99)}, p50 ${ms(edits.firstLatency.p50)})`,
    edits.latency.p99 <= 50,
  );
  row(label, 'edits lost', '0', lostText(edits), edits.lost === 0);
  const light = lightFigures(results);
  row(
    label,
    `update messages missing at light participants (${light.lights})`,
    '0',
    `${light.text}; ${results.reduce((a, r) => a + r.lightEchoes, 0)} awareness echoes sent`,
    light.ok,
  );
  row(
    label,
    'moderator exact tally after last vote',
    '<= 1 s',
    `${ms(tallyDelay)} (${votesCounted}/${voters} votes counted, ${results.reduce((a, r) => a + r.votesAcked, 0)} acknowledged)`,
    tallyDelay <= 1000 && votesCounted === voters,
  );
  row(
    label,
    'hands / reactions at moderator',
    'all',
    `${mod.view.hands.length}/${handsRaised} hands, ${reactionsSeen}/${reactionsSent} reactions`,
    mod.view.hands.length === handsRaised && reactionsSeen === reactionsSent,
  );
  const present = rosters.map((r) => r.present);
  const listed = rosters.map((r) => r.listed);
  row(
    label,
    'room count / listed roster at observers',
    `${n + 1} / ${listedSize}`,
    `present min ${Math.min(...present)}, max ${Math.max(...present)}; listed min ${Math.min(...listed)}, max ${Math.max(...listed)}`,
    Math.min(...present) === n + 1 &&
      Math.max(...present) === n + 1 &&
      Math.min(...listed) === listedSize &&
      Math.max(...listed) === listedSize,
  );
  row(
    label,
    'presence at observers (editors only)',
    `${editors}`,
    `min ${Math.min(...presence)}, max ${Math.max(...presence)}`,
    Math.min(...presence) >= editors,
  );
  row(
    label,
    'socket.io per observer over the run',
    'linear',
    `${ioMessages.p50} msgs, ${(ioBytes.p50 / 1024).toFixed(0)} KB (p50)`,
    null,
  );
  row(label, 'server CPU, run average', '<= 60% of a core', cpu.text, cpu.share <= 0.6);
  row(
    label,
    'server RSS per participant (Yjs + socket.io)',
    '<= 20 KB',
    `${perParticipantKb.toFixed(1)} KB (${rssBefore.toFixed(0)} -> ${rssJoined.toFixed(0)} MB)`,
    perParticipantKb <= 20,
  );
  row(
    label,
    'server heap per participant',
    '<= 20 KB',
    `${heapPerParticipantKb.toFixed(1)} KB`,
    heapPerParticipantKb <= 20,
  );
  row(label, 'disconnects', '0', `${disconnects}`, disconnects === 0);
  row(label, 'harness', 'not saturated', sat.text, !sat.saturated);
  row(
    label,
    'connections reset while joining, tried again',
    'reported',
    `${results.reduce((n, r) => n + r.connectRetries, 0)}`,
    null,
  );
  mod.socket.disconnect();
  await server.stop();
}

async function joining() {
  const n = Math.round(1000 * SIZE);
  const server = await startServer();
  const http = `http://127.0.0.1:${server.port}`;
  const board = await createBoard(http, { title: 'Joining' });
  const windowMs = 30_000 * Math.min(1, SIZE * 2);
  const members: MemberSpec[] = Array.from({ length: n }, (_, i) => ({
    board: 0,
    role: 'editor',
    observe: false,
    presenceHz: 0,
    vote: false,
    hand: false,
    reactHz: 0,
    join: i % 2 === 0 ? 'link' : 'code',
    joinAtMs: (i / n) * windowMs,
    // Four in five are light (lightPeer.ts): ready when the Yjs sync and the socket.io snapshot
    // (sent after the server added them) have arrived. Every fifth (by link and by code in turn)
    // keeps a stock client with the live view.
    light: i % 5 !== 0,
  }));
  const workers = startWorkers(
    {
      http,
      ws: `ws://127.0.0.1:${server.port}/yjs`,
      secret: SECRET,
      boards: [boardRef(board)],
      runMs: 0,
      warmupMs: 0,
      pollWindowMs: 0,
      writersByBoard: {},
    },
    members,
    'index',
  );
  await workers.ready;
  workers.go(now());
  await workers.measured;
  const results = await workers.finish();
  const allIn = Math.max(...results.map((r) => r.allJoinedMs));
  const ready = summarize(results.flatMap((r) => r.readyMs));
  const yjs = summarize(results.flatMap((r) => r.yjsMs));
  const io = summarize(results.flatMap((r) => r.ioMs));
  const refusals = results.reduce((a, r) => a + r.issueRefusals, 0);
  // Its schedule is the joins themselves (the run after them is empty).
  const sat = saturation(results, { joins: true });
  const label = `joining ${n}`;
  row(
    label,
    `all joined (scheduled over ${(windowMs / 1000).toFixed(0)} s, half by link, half by code)`,
    `<= ${(windowMs / 1000).toFixed(0)} s`,
    `${(allIn / 1000).toFixed(1)} s; ${refusals} credential requests refused (429) and retried`,
    allIn <= windowMs + 2000,
  );
  row(
    label,
    'board + roster after connecting',
    '<= 2 s each',
    `p50 ${ms(ready.p50)}, p99 ${ms(ready.p99)}, max ${ms(ready.max)} (Yjs p99 ${ms(yjs.p99)}, socket.io p99 ${ms(io.p99)})`,
    ready.max <= 2000,
  );
  row(label, 'harness', 'not saturated', sat.text, !sat.saturated);
  await server.stop();
}

/**
 * The sync benchmarks (formerly in-process in bench/sync.ts), Yjs connections only, with the
 * clients in the generator processes: 1 board x 20 (5 writers at 40 Hz, 200 edits/s, 15
 * observers) and 50 boards x 10 (1 writer at 10 Hz per board, 500 edits/s, 9 observers each).
 * Comparable with the reference y-websocket server (Yjs sockets alone). Not scaled by --size.
 */
async function sync() {
  const levers = [
    'trainingOutput',
    'organicSignups',
    'earningsPerFreelancer',
    'revenuePerWorker',
    'servicesShare',
  ] as const;
  for (const sc of [
    { boards: 1, per: 20, writers: 5, hz: 40, target: 'p50 <= 2 ms, p99 <= 10 ms', p99: 10 },
    { boards: 50, per: 10, writers: 1, hz: 10, target: 'p99 <= 25 ms', p99: 25 },
  ]) {
    const server = await startServer();
    const http = `http://127.0.0.1:${server.port}`;
    const boards: BoardRef[] = [];
    for (let b = 0; b < sc.boards; b++)
      boards.push(boardRef(await createBoard(http, { title: `Sync ${b}` })));
    const writersByBoard: Job['writersByBoard'] = {};
    const members: MemberSpec[] = [];
    for (let b = 0; b < sc.boards; b++) {
      writersByBoard[b] = levers.slice(0, sc.writers).map((assumption, w) => ({
        assumption,
        key: `b${b}w${w}`,
      }));
      for (let i = 0; i < sc.per; i++)
        members.push({
          board: b,
          role: 'editor',
          ...(i < sc.writers ? { writer: { ...writersByBoard[b]![i]!, hz: sc.hz } } : {}),
          observe: i >= sc.writers,
          presenceHz: 0,
          vote: false,
          hand: false,
          reactHz: 0,
          join: 'minted',
          joinAtMs: members.length * 5,
        });
    }
    const workers = startWorkers(
      {
        http,
        ws: `ws://127.0.0.1:${server.port}/yjs`,
        secret: SECRET,
        boards,
        runMs: RUN_MS,
        warmupMs: 5000,
        pollWindowMs: 0,
        writersByBoard,
        yjsOnly: true,
      },
      members,
      // One board's 20 clients (4,000 updates applied a second) would fill one generator.
      sc.boards < WORKERS ? 'index' : 'board',
    );
    await workers.ready;
    const go = now() + 500;
    workers.go(go);
    await workers.measured;
    const results = await workers.finish();
    // Each edit is due at its own board's observers only.
    const edits = editFigures(results, sc.per, sc.per - sc.writers);
    const { latency, lost } = edits;
    const label = `sync ${sc.boards} x ${sc.per}`;
    row(
      label,
      `edit to other clients (${sc.writers * sc.boards * sc.hz} edits/s)`,
      sc.target,
      `p50 ${ms(latency.p50)}, p99 ${ms(latency.p99)} (n ${latency.n})`,
      latency.p99 <= sc.p99,
    );
    row(label, 'edits lost', '0', lostText(edits), lost === 0);
    const sat = saturation(results);
    row(label, 'harness', 'not saturated', sat.text, !sat.saturated);
    await server.stop();
  }
}

/**
 * Memory per participant, as the marginal cost: a first crowd of n/2 joins (warming the server's
 * code paths and fixed-size structures), then a second crowd of n/2; the second crowd's growth
 * (after a forced GC) over n/2 is what one more participant costs. Everyone holds both
 * connections and sends presence every 5 s; 5% are editors.
 */
async function memory() {
  const n = Math.round(1000 * SIZE);
  const half = Math.floor(n / 2);
  const server = await startServer({ manyVenues: true });
  const http = `http://127.0.0.1:${server.port}`;
  const board = await createBoard(http, { title: 'Memory' });
  const mod = await moderator(http, board.id, board.token);
  const crowd = (offset: number): MemberSpec[] =>
    Array.from({ length: half }, (_, i) => ({
      board: 0,
      role: (offset + i) % 20 === 0 ? 'editor' : 'viewer',
      observe: false,
      light: true,
      presenceHz: 0.2,
      vote: false,
      hand: false,
      reactHz: 0,
      join: 'minted',
      // 40 a second per generator: at 200 a busy 2-core server's listen queue overflowed (resets).
      joinAtMs: i * 25,
    }));
  const job = {
    http,
    ws: `ws://127.0.0.1:${server.port}/yjs`,
    secret: SECRET,
    boards: [boardRef(board)],
    runMs: 2000,
    warmupMs: 0,
    pollWindowMs: 1000,
    writersByBoard: {},
  };
  const rss0 = await gcRss(server);
  const heap0 = await heapMb(server);
  const first = startWorkers(job, crowd(0), 'index');
  await first.ready;
  await sleep(1500); // let the last joins' batches go out before reading
  const rss1 = await gcRss(server);
  const heap1 = await heapMb(server);
  const external1 = await heapMb(server, 'nodejs_external_memory_bytes');
  const heapTotal1 = await heapMb(server, 'nodejs_heap_size_total_bytes');
  const second = startWorkers(job, crowd(half), 'index');
  await second.ready;
  await sleep(1500);
  const rss2 = await gcRss(server);
  const heap2 = await heapMb(server);
  const external2 = await heapMb(server, 'nodejs_external_memory_bytes');
  const heapTotal2 = await heapMb(server, 'nodejs_heap_size_total_bytes');
  const kb = (mb: number, people: number) => (mb * 1024) / people;
  const label = `memory ${n}`;
  const marginalHeap = kb(heap2 - heap1, half);
  const marginalRss = kb(rss2 - rss1, half);
  row(
    label,
    'server heap per participant, marginal',
    '<= 20 KB',
    `${marginalHeap.toFixed(1)} KB (second ${half}; average over all ${n}: ${kb(heap2 - heap0, 2 * half).toFixed(1)} KB)`,
    marginalHeap <= 20,
  );
  row(
    label,
    'server RSS per participant, marginal',
    '<= 20 KB',
    `${marginalRss.toFixed(1)} KB (${rss1.toFixed(0)} -> ${rss2.toFixed(0)} MB; first ${half}: ${kb(rss1 - rss0, half).toFixed(1)} KB)`,
    marginalRss <= 20,
  );
  // Where RSS beyond the heap in use goes: V8's reserved heap, and buffers outside it.
  row(
    label,
    'of which V8 heap reserved / external buffers, marginal',
    '',
    `${kb(heapTotal2 - heapTotal1, half).toFixed(1)} KB / ${kb(external2 - external1, half).toFixed(1)} KB`,
    null,
  );
  for (const w of [first, second]) {
    const go = now() + 200;
    w.go(go);
  }
  await Promise.all([first.measured, second.measured]);
  const retries = (await Promise.all([first.finish(), second.finish()]))
    .flat()
    .reduce((n, r) => n + r.connectRetries, 0);
  row(label, 'connections reset while joining, tried again', 'reported', `${retries}`, null);
  mod.socket.disconnect();
  await server.stop();
}

/**
 * Of a room's 9 participants besides its writer, how many time its edits with a stock client;
 * the rest are light (lightPeer.ts), counting what they receive. 2,700 stock clients applying
 * every edit saturated the generators on a machine with slow system calls.
 */
const ROOM_OBSERVERS = 3;

async function rooms() {
  const boardsN = Math.round(300 * SIZE);
  const per = 10;
  const server = await startServer({ manyVenues: true });
  const http = `http://127.0.0.1:${server.port}`;
  const boards: BoardRef[] = [];
  for (let b = 0; b < boardsN; b++)
    boards.push(boardRef(await createBoard(http, { title: `Room ${b}` })));
  const rssEmpty = await gcRss(server);
  const heapEmpty = await heapMb(server);
  await visitBoards(http, boards);
  await sleep(1000); // the visitors' sockets closed and their batches sent
  const rssBefore = await gcRss(server);
  const heapBefore = await heapMb(server);
  const writersByBoard: Job['writersByBoard'] = {};
  const members: MemberSpec[] = [];
  for (let b = 0; b < boardsN; b++) {
    const key = `b${b}`;
    writersByBoard[b] = [{ assumption: 'trainingOutput', key }];
    for (let i = 0; i < per; i++)
      members.push({
        board: b,
        role: i < 3 ? 'editor' : 'viewer',
        ...(i === 0 ? { writer: { assumption: 'trainingOutput' as const, hz: 2, key } } : {}),
        observe: i > 0 && i <= ROOM_OBSERVERS,
        light: i > ROOM_OBSERVERS,
        presenceHz: 0,
        vote: false,
        hand: false,
        reactHz: 0,
        join: 'minted',
        joinAtMs: members.length * 5,
      });
  }
  const workers = startWorkers(
    {
      http,
      ws: `ws://127.0.0.1:${server.port}/yjs`,
      secret: SECRET,
      boards,
      runMs: RUN_MS,
      warmupMs: 5000,
      pollWindowMs: 0,
      writersByBoard,
    },
    members,
    'board',
  );
  await workers.ready;
  const rssJoined = await gcRss(server);
  const heapJoined = await heapMb(server);
  const go = now() + 500;
  workers.go(go);
  await sleep(go - now());
  const cpuOfRun = serverCpuMeter(server.process.pid!);
  await workers.measured;
  const cpu = cpuOfRun();
  const results = await workers.finish();
  // Each edit is timed by its own board's observers, not every observer.
  const edits = editFigures(results, per, ROOM_OBSERVERS);
  const { latency, lost } = edits;
  const n = boardsN * per;
  const perParticipantKb = ((rssJoined - rssBefore) * 1024) / n;
  const heapPerParticipantKb = ((heapJoined - heapBefore) * 1024) / n;
  const sat = saturation(results);
  const label = `rooms ${boardsN} x ${per}`;
  row(
    label,
    'edit p99 (1 writer per board at 2 Hz)',
    '<= 25 ms',
    `${ms(latency.p99)} (p50 ${ms(latency.p50)}, n ${latency.n})`,
    latency.p99 <= 25,
  );
  row(label, 'edits lost', '0', lostText(edits), lost === 0);
  const light = lightFigures(results);
  row(
    label,
    `update messages missing at light participants (${light.lights})`,
    '0',
    light.text,
    light.ok,
  );
  row(
    label,
    'server RSS per participant (Yjs + socket.io; boards loaded before)',
    '<= 20 KB',
    `${perParticipantKb.toFixed(1)} KB (${rssBefore.toFixed(0)} -> ${rssJoined.toFixed(0)} MB)`,
    perParticipantKb <= 20,
  );
  row(
    label,
    'server heap per participant (boards loaded before)',
    '<= 20 KB',
    `${heapPerParticipantKb.toFixed(1)} KB`,
    heapPerParticipantKb <= 20,
  );
  const boardKb = (mb: number) => ((mb * 1024) / boardsN).toFixed(0);
  const withBoardsKb = ((heapJoined - heapEmpty) * 1024) / n;
  row(
    label,
    'server heap / RSS per loaded board (2 copies of its document, live session)',
    'reported',
    `${boardKb(heapBefore - heapEmpty)} / ${boardKb(rssBefore - rssEmpty)} KB; heap per participant with the boards: ${withBoardsKb.toFixed(1)} KB`,
    null,
  );
  row(label, 'server CPU, run average', 'reported', cpu.text, null);
  row(label, 'harness', 'not saturated', sat.text, !sat.saturated);
  await server.stop();
}

/**
 * A full room when its server dies (kill -9) and comes back on the same port and data `--down`
 * seconds later (1), as after a crash or a restart without a second instance: every phone reconnects at
 * once. Participants run bench/restartWorker.ts (stock clients with a browser's options and
 * reconnection). Figure: how long after the new server listens each participant has the board
 * and the roster again. Target: the clients' own longest wait between tries (socket.io-client's
 * 5 s; y-websocket's is 2.5 s) plus the joining target's 2 s, so 7 s: past that, the server's
 * handling of the storm is what people wait for. The kernel's count of dropped handshakes
 * (listen queue overflows, machine-wide) says whether the listen queue was too short.
 */
async function restart() {
  const n = Math.round(1000 * SIZE);
  const downMs = Number(args.down) * 1000;
  const dataDir = tempDir('sb-bench-restart-');
  let server = await startServer({ dataDir });
  const port = server.port;
  const http = `http://127.0.0.1:${port}`;
  const board = await createBoard(http, { title: 'Restart' });
  const children = await venueWorkers(board, n, {
    http,
    ws: `ws://127.0.0.1:${port}/yjs`,
  });
  await sleep(3000);

  const dropped0 = listenOverflows();
  // The workers hear of the crash before their connections close.
  const crashed = now() + 100;
  children.forEach((c) => c.child.send({ crashed }));
  await sleep(100);
  await server.kill9();
  await sleep(downMs);
  server = await startServer({ port, dataDir });
  const up = now();
  // Each worker reports once everyone in it is back, or after 60 s.
  const results = await Promise.all(children.map((c) => c.result));
  const dropped1 = listenOverflows();
  const dropped = dropped0 === null || dropped1 === null ? null : dropped1 - dropped0;
  const label = `restart ${n}`;
  const back = backFigures(results, up, n);
  row(
    label,
    `board + roster again after the server is back (killed, up ${((up - crashed) / 1000).toFixed(1)} s later)`,
    '<= 7 s each',
    back.text,
    back.ok,
  );
  row(
    label,
    'what the storm met',
    'reported',
    `${back.noticed}/${n} saw both connections close; ${back.failedTries}; handshakes the kernel dropped (listen queue full): ${dropped ?? 'not readable here'}; refused: ${back.refusals.length}`,
    null,
  );
  row(label, 'harness (while the room came back)', 'not saturated', back.harness, !back.saturated);
  children.forEach((c) => c.child.kill());
  await server.stop();
}

/**
 * A venue's network drops under a full room and comes back `--down` seconds later (1), the server
 * staying up: each phone does what the board page does on the browser's `offline` and `online`
 * events (closes both connections, opens both again the moment the network is back), and nothing
 * of the old connections reaches the server any more (as when the venue's router restarts and
 * forgets its NAT table). The server holds the old, half-open connections beside the new ones
 * until its heartbeats find them (Yjs: HEARTBEAT_MS, 30 s; socket.io: pingInterval + pingTimeout,
 * 45 s). Simulated on loopback with iptables (root): the venue reaches the server at 127.0.0.2,
 * whose packets are dropped at the drop, and comes back at 127.0.0.3; the server sees 127.0.0.1
 * throughout, one address, with the default cap. Figures: everyone back (target 7 s, as for a
 * restart), refusals (the per-address cap must hold old and new together), how long the old
 * connections lingered, and the server's memory and CPU meanwhile.
 */
async function wifi() {
  const n = Math.round(1000 * SIZE);
  const label = `wifi ${n}`;
  if (!iptables(['-L', 'INPUT', '-n'])) {
    row(label, 'venue network drop', 'reported', 'not run: needs iptables and root', null);
    return;
  }
  const downMs = Number(args.down) * 1000;
  // On every loopback address (127.0.0.2 and .3 are the venue's ways in).
  const server = await startServer({ host: '0.0.0.0' });
  const port = server.port;
  const board = await createBoard(`http://127.0.0.1:${port}`, { title: 'Venue' });
  const venue = (host: string) => ({
    http: `http://${host}:${port}`,
    ws: `ws://${host}:${port}/yjs`,
  });
  const children = await venueWorkers(board, n, venue('127.0.0.2'));
  // The moderator is at the venue too (127.0.0.1: the same address), but their laptop keeps its
  // connection: it reads the room's count as everyone sees it.
  const mod = await moderator(`http://127.0.0.1:${port}`, board.id, board.token);
  const counts = async () => {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const sum = (transport: string) =>
      [
        ...text.matchAll(
          new RegExp(`^sb_connections\\{transport="${transport}"[^}]*\\} (\\S+)`, 'gm'),
        ),
      ]
        .map((m) => Number(m[1]))
        .reduce((a, b) => a + b, 0);
    return { yjs: sum('yjs'), io: sum('socketio') };
  };
  await sleep(3000);
  const before = await counts();
  const rss0 = rssMb(server.process.pid!);
  const cpu = serverCpuMeter(server.process.pid!);
  const rules = [
    ['-d', '127.0.0.2', '-j', 'DROP'], // the old connections: nothing arrives, either way
    ['-s', '127.0.0.2', '-j', 'DROP'],
    ['-d', '127.0.0.3', '-p', 'tcp', '-j', 'REJECT', '--reject-with', 'tcp-reset'], // no network yet
  ];
  let peak = { ...before, rss: rss0, people: mod.view.people };
  let lingered = Number.POSITIVE_INFINITY;
  let results: RestartResult[];
  let up: number;
  try {
    for (const r of rules)
      if (!iptables(['-I', 'INPUT', ...r])) throw new Error(`iptables refused ${r.join(' ')}`);
    const dropped = now();
    children.forEach((c) => c.child.send({ dropped }));
    await sleep(downMs);
    iptables(['-D', 'INPUT', ...rules[2]!]);
    up = now();
    children.forEach((c) => c.child.send({ back: up, ...venue('127.0.0.3') }));
    // The server's connections and memory every second (a /metrics scrape of 4,000 connections
    // costs the server a few ms: every 250 ms it was 4% of its CPU): once everyone is back,
    // until the old ones are gone too (90 s at most).
    let everyoneBack = false;
    const watching = (async () => {
      while (now() - up < 90_000) {
        const c = await counts();
        peak = {
          yjs: Math.max(peak.yjs, c.yjs),
          io: Math.max(peak.io, c.io),
          rss: Math.max(peak.rss, rssMb(server.process.pid!)),
          people: Math.max(peak.people, mod.view.people),
        };
        if (
          everyoneBack &&
          c.yjs <= before.yjs &&
          c.io <= before.io &&
          mod.view.present <= before.io
        ) {
          lingered = now() - up;
          return;
        }
        await sleep(1000);
      }
    })();
    results = await Promise.all(children.map((c) => c.result));
    everyoneBack = true;
    await watching;
  } finally {
    for (const r of rules) iptables(['-D', 'INPUT', ...r]);
  }
  const cpuAfter = cpu();
  const back = backFigures(results, up, n);
  row(
    label,
    `board + roster again after the network is back (down ${args.down} s)`,
    '<= 7 s each',
    back.text,
    back.ok,
  );
  row(
    label,
    'refused while the old connections linger (one address, default cap)',
    '0',
    `${back.refusals.length}${back.refusals.length ? `: ${back.refusals[0]}` : ''}; ${back.failedTries}`,
    back.refusals.length === 0,
  );
  row(
    label,
    'old connections gone (server counts back to the room)',
    'reported',
    `${Number.isFinite(lingered) ? `${(lingered / 1000).toFixed(1)} s after the network came back` : 'not within 90 s'}; at most ${peak.yjs} Yjs + ${peak.io} socket.io connections (room: ${before.yjs} + ${before.io}); the people count everyone sees: at most ${peak.people} (room: ${n + 1})`,
    null,
  );
  row(
    label,
    'server meanwhile',
    'reported',
    `RSS ${rss0.toFixed(0)} -> at most ${peak.rss.toFixed(0)} MB; CPU ${cpuAfter.text}`,
    null,
  );
  row(label, 'harness (while the room came back)', 'not saturated', back.harness, !back.saturated);
  mod.socket.disconnect();
  children.forEach((c) => c.child.kill());
  await server.stop();
}

/** Runs iptables (false when it is missing or not permitted). */
function iptables(argv: string[]): boolean {
  try {
    execFileSync('iptables', argv, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * bench/restartWorker.ts processes holding `n` people of one board (1 in 20 an editor, the rest
 * viewers) as the board page does, joined at 100 a second; resolved once all are in.
 */
async function venueWorkers(
  board: Awaited<ReturnType<typeof createBoard>>,
  n: number,
  at: { http: string; ws: string },
) {
  const tokens = new TokenService(SECRET);
  const credentials = await Promise.all(
    Array.from({ length: n }, (_, i) => {
      const role = i % 20 === 0 ? 'editor' : 'viewer';
      return tokens.signParticipant({
        boardId: board.id,
        role,
        epoch: epochOf(board.tokens[role]),
        participant: { id: `p${String(i).padStart(15, '0')}`, name: `P${i}`, color: '#2563eb' },
      });
    }),
  );
  const children = Array.from({ length: WORKERS }, (_, w) => {
    const child = fork(path.join(import.meta.dirname, 'restartWorker.ts'), [], {
      execArgv: ['--import', 'tsx'],
      stdio: 'inherit',
    });
    const ready = fromWorker(child, 'ready');
    const result = fromWorker(child, 'result') as Promise<RestartResult>;
    child.send({
      ...at,
      boardId: board.id,
      credentials: credentials.filter((_, i) => i % WORKERS === w),
      // 100 joins a second in all.
      joinEveryMs: 10 * WORKERS,
    } satisfies RestartJob);
    return { child, ready, result };
  });
  await Promise.all(children.map((c) => c.ready));
  return children;
}

/** How long after `up` each person had the board and the session again, and the harness's load. */
function backFigures(results: RestartResult[], up: number, n: number) {
  const back = results.flatMap((r) => r.backAt.filter((t) => t > 0).map((t) => t - up));
  const yjs = summarize(results.flatMap((r) => r.yjsAt.filter((t) => t > 0).map((t) => t - up)));
  const io = summarize(results.flatMap((r) => r.ioAt.filter((t) => t > 0).map((t) => t - up)));
  const all = summarize(back);
  const saturated = results.some((r) => r.elu > 0.8 || r.lagP99 > 20);
  return {
    ok: back.length === n && all.max <= 7000,
    text: `${back.length}/${n} back; p50 ${ms(all.p50)}, p99 ${ms(all.p99)}, max ${ms(all.max)} (Yjs p99 ${ms(yjs.p99)}, socket.io p99 ${ms(io.p99)})`,
    noticed: results.reduce((a, r) => a + r.noticed, 0),
    failedTries: `failed tries: Yjs ${results.reduce((a, r) => a + r.yjsFailures, 0)}, socket.io ${results.reduce((a, r) => a + r.ioFailures, 0)}`,
    refusals: results.flatMap((r) => r.refusals),
    saturated,
    harness: `generators: ELU max ${(Math.max(...results.map((r) => r.elu)) * 100).toFixed(0)}%, event-loop lag p99 max ${ms(Math.max(...results.map((r) => r.lagP99)))}${saturated ? ' (SATURATED: figures are upper bounds)' : ' (not saturated)'}`,
  };
}

/** The kernel's count of connections dropped because a listen queue was full (Linux). */
function listenOverflows(): number | null {
  try {
    const lines = fs.readFileSync('/proc/net/netstat', 'utf8').split('\n');
    const names = lines.find((l) => l.startsWith('TcpExt:'))!.split(' ');
    const values = lines.filter((l) => l.startsWith('TcpExt:'))[1]!.split(' ');
    const at = names.indexOf('ListenOverflows');
    return at < 0 ? null : Number(values[at]);
  } catch {
    return null;
  }
}

const scenarios = { plenary, joining, rooms, memory, sync, restart, wifi } as const;
const chosen =
  args.scenario === 'all'
    ? (Object.keys(scenarios) as (keyof typeof scenarios)[])
    : (args.scenario.split(',') as (keyof typeof scenarios)[]);
console.log(
  `bench:scale size ${SIZE}, ${WORKERS} generator processes, ${RUN_MS / 1000} s runs; server: ` +
    `test/fixtures/apiServer.ts bundled by esbuild (SQLite, own process); load average now ` +
    `${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores (other work shares them: figures are noisy); ` +
    `one loopback write costs ${(await loopbackWriteMicros()).toFixed(1)} us here (a relayed message is one per connection).`,
);
for (const name of chosen) {
  const t = now();
  await scenarios[name]();
  console.log(`(${name}: ${((now() - t) / 1000).toFixed(0)} s)`);
}
const widths = [0, 1, 2, 3, 4].map((c) =>
  Math.max(...[['scenario', 'figure', 'target', 'seen', ''], ...rows].map((r) => r[c]!.length)),
);
for (const r of [['scenario', 'figure', 'target', 'seen', ''], ...rows])
  console.log(`| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`);
process.exit(0);
