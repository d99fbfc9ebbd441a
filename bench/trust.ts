/**
 * Trust benchmarks (issue 8): what a hostile low-role client costs the server. The server runs in
 * its own process (SQLite, default limits); every load generator runs in its own process
 * (bench/trustWorker.ts) and reports its own saturation.
 *   (a) cost of one refused update (a viewer's small edit) on a small and on a ~2 MB board;
 *   (b) /api/health p99 and other editors' edit p99 while one viewer sends refused updates as
 *       fast as the rate limit allows, against the same figures when quiet;
 *   (c) server RSS growth with 20 readers of the 2 MB board that never read, while an editor
 *       keeps editing.
 * `npm run bench:trust` runs it alone; BENCH_TRUST_PARTS=ac (say) runs only some parts.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createBoard, tempDir, type CreatedBoard } from '../test/helpers';
import { startChildServer, type ChildServer } from '../test/childServer';
import { fmtMs } from './stats';
import type { Job, Saturation } from './trustWorker';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const workerPath = path.join(import.meta.dirname, 'trustWorker.ts');

interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

interface RunningJob<T> {
  /** Set up (connected, synced) and waiting for `go()` (jobs that measure wait for it). */
  ready: Promise<void>;
  go(): void;
  result: Promise<T>;
}

/** Run one job in a fresh generator process. */
function startJob<T>(job: Job): RunningJob<T> {
  const child: ChildProcess = fork(workerPath, [], {
    execArgv: ['--import', 'tsx'],
    stdio: 'inherit',
  });
  let onReady = () => {};
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const result = new Promise<T>((resolve, reject) => {
    child.on('message', (m: { ready?: true; result?: T; error?: string }) => {
      if (m.ready) onReady();
      else if (m.error) reject(new Error(`${job.kind}: ${m.error}`));
      else if (m.result !== undefined) resolve(m.result);
    });
    child.once('exit', (code) => reject(new Error(`${job.kind} worker exited with ${code}`)));
  });
  child.send(job);
  return { ready, go: () => child.send('go'), result };
}
/** Run a job that needs no go-ahead. */
const runJob = <T>(job: Job) => startJob<T>(job).result;
/** Start jobs together: each sets up, then all begin measuring at once. */
async function together<T extends unknown[]>(jobs: { [K in keyof T]: RunningJob<T[K]> }) {
  await Promise.all(jobs.map((j) => j.ready));
  for (const j of jobs) j.go();
  return Promise.all(jobs.map((j) => j.result)) as Promise<T>;
}

const rssMb = (pid: number): number => {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
};
/** CPU time (user + system) the process has used, in ms (Linux clock ticks are 10 ms). */
const cpuMs = (pid: number): number => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
const gcRss = async (server: ChildServer) => {
  server.process.kill('SIGUSR2'); // full GC in the server (it runs with --expose-gc)
  await sleep(400);
  return rssMb(server.process.pid!);
};
const sat = (name: string, s: Saturation) =>
  `${name} ELU ${(s.elu * 100).toFixed(0)}%${s.sendLagP99 ? `, send lag p99 ${fmtMs(s.sendLagP99)}` : ''}`;
const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');

type Urls = { http: string; ws: string };
const urlsOf = (s: ChildServer): Urls => ({
  http: `http://127.0.0.1:${s.port}`,
  ws: `ws://127.0.0.1:${s.port}/yjs`,
});

/** (a) Refused updates one at a time, on a small and on the big board. */
async function refusalCost(
  server: ChildServer,
  small: CreatedBoard,
  big: CreatedBoard,
  bigMb: number,
) {
  const { ws } = urlsOf(server);
  const cost: number[] = [];
  for (const [label, board, refusals] of [
    ['small board', small, 200],
    [`${bigMb.toFixed(1)} MB board`, big, 60],
  ] as const) {
    const cpu0 = cpuMs(server.process.pid!);
    const r = await runJob<{
      refusal: Summary;
      baseline: Summary;
      updateBytes: number;
      reconnects: number;
      saturation: Saturation;
    }>({ kind: 'refusalCost', ws, boardId: board.id, token: board.tokens.viewer, refusals });
    const cpuPerRefusal = (cpuMs(server.process.pid!) - cpu0) / refusals;
    const serverTime = Math.max(0, r.refusal.p50 - r.baseline.p50);
    cost.push(serverTime);
    console.log(
      `trust (a) one refused update (${r.updateBytes} B from a viewer) on the ${label}: answered in ` +
        `p50 ${fmtMs(r.refusal.p50)}, p99 ${fmtMs(r.refusal.p99)} (a presence query: p50 ` +
        `${fmtMs(r.baseline.p50)}), so about ${fmtMs(serverTime)} of server time each; server CPU ` +
        `${fmtMs(cpuPerRefusal)} per refusal (incl. the generator's own join); ${r.refusal.n} ` +
        `refusals, ${r.reconnects} reconnects; ${sat('generator', r.saturation)}`,
    );
  }
  const [smallCost, bigCost] = cost as [number, number];
  console.log(
    `trust (a) target: a refusal costs in proportion to the update, not the board: big/small ` +
      `${(Math.max(bigCost, 0.01) / Math.max(smallCost, 0.01)).toFixed(1)}x ` +
      `(target about 1x: ${mark(bigCost <= Math.max(2 * smallCost, 1))})`,
  );
}

/** (b) Health and other editors' edits on the big board, quiet and under a refusal flood. */
async function underRefusalFlood(server: ChildServer, big: CreatedBoard) {
  const { http, ws } = urlsOf(server);
  const phaseMs = 6000;
  const warmupMs = 1000;
  type Flood = {
    sent: number;
    answers: number;
    reconnects: number;
    closeCodes: Record<string, number>;
    saturation: Saturation;
  };
  const measure = async (withRefuser: boolean, valueBase: number) => {
    const health = startJob<{ latency: Summary; timedOut: number; saturation: Saturation }>({
      kind: 'health',
      http,
      perSecond: 50,
      durationMs: phaseMs,
      warmupMs,
    });
    const editors = startJob<{
      latency: Summary;
      edits: number;
      lost: number;
      saturation: Saturation;
    }>({
      kind: 'editors',
      ws,
      boardId: big.id,
      token: big.tokens.editor,
      clients: 4,
      perSecond: 20,
      durationMs: phaseMs,
      warmupMs,
      valueBase,
    });
    if (!withRefuser) {
      const [h, e] = await together([health, editors]);
      return { h, e, f: null };
    }
    const refuser = startJob<Flood>({
      kind: 'refuser',
      ws,
      boardId: big.id,
      token: big.tokens.viewer,
      perSecond: 190, // just under the default 200 messages/s per connection
      durationMs: phaseMs,
    });
    const [h, e, f] = await together([health, editors, refuser]);
    return { h, e, f };
  };
  const quiet = await measure(false, 100_000);
  console.log(
    `trust (b) quiet: /api/health p99 ${fmtMs(quiet.h.latency.p99)} (p50 ${fmtMs(quiet.h.latency.p50)}), ` +
      `edit p99 ${fmtMs(quiet.e.latency.p99)} (p50 ${fmtMs(quiet.e.latency.p50)}, ${quiet.e.edits} ` +
      `edits to 3 others, ${quiet.e.lost} lost) on the big board; ${sat('health', quiet.h.saturation)}; ` +
      `${sat('editors', quiet.e.saturation)}`,
  );
  const { h, e, f } = await measure(true, 150_000);
  const editTarget = 2 * quiet.e.latency.p99;
  console.log(
    `trust (b) while one viewer sends refused updates (${f!.sent} in ${phaseMs / 1000} s, ` +
      `${f!.answers} answers, ${f!.reconnects} reconnects, closes ${JSON.stringify(f!.closeCodes)}): ` +
      `/api/health p99 ${fmtMs(h.latency.p99)}` +
      `${h.timedOut ? ` (${h.timedOut} timed out at 10 s)` : ''} (target <= 50 ms: ` +
      `${mark(h.latency.p99 <= 50)}), edit p99 ${fmtMs(e.latency.p99)}, ${e.lost} lost (target <= 2x ` +
      `quiet = ${fmtMs(editTarget)}, none lost: ${mark(e.latency.p99 <= editTarget && e.lost === 0)}); ` +
      `${sat('refuser', f!.saturation)}; ${sat('health', h.saturation)}; ${sat('editors', e.saturation)}`,
  );
}

/** (c) Server RSS with 20 readers of the big board that never read, while an editor edits. */
async function slowReaders(server: ChildServer, big: CreatedBoard, reaskMs: number, label: string) {
  const { ws } = urlsOf(server);
  const editing = startJob<{ latency: Summary; lost: number; saturation: Saturation }>({
    kind: 'editors',
    ws,
    boardId: big.id,
    token: big.tokens.editor,
    clients: 2,
    perSecond: 20,
    durationMs: 11_000,
    warmupMs: 0,
    valueBase: 200_000 + reaskMs * 10,
  });
  await editing.ready; // joined, the board is loaded
  editing.go();
  await sleep(1000);
  const before = await gcRss(server);
  const readers = startJob<{ readers: number; dropped: number }>({
    kind: 'slowReaders',
    ws,
    boardId: big.id,
    token: big.tokens.viewer,
    readers: 20,
    reaskMs,
  });
  await readers.ready;
  let peak = before;
  const until = performance.now() + 7000;
  while (performance.now() < until) {
    peak = Math.max(peak, rssMb(server.process.pid!));
    await sleep(100);
  }
  const settled = await gcRss(server);
  readers.go(); // read again, and count the connections the server dropped
  const [r, e] = await Promise.all([readers.result, editing.result]);
  const growth = peak - before;
  console.log(
    `trust (c) 20 readers of the big board (${label}) while an editor edits 20/s: server RSS ` +
      `${before.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB: growth ${growth.toFixed(0)} MB ` +
      `(target < 64 MB: ${mark(growth < 64)}), ${(settled - before).toFixed(0)} MB after a GC; ` +
      `${r.dropped}/${r.readers} readers dropped by the server; edits meanwhile p50 ` +
      `${fmtMs(e.latency.p50)}, p99 ${fmtMs(e.latency.p99)}, ${e.lost} lost; ${sat('editors', e.saturation)}`,
  );
}

export async function benchTrust(parts = process.env.BENCH_TRUST_PARTS ?? 'abc'): Promise<void> {
  const dataDir = tempDir('sb-bench-trust-');
  const start = () => startChildServer({ DATA_DIR: dataDir, LOG_LEVEL: 'error' }, ['--expose-gc']);
  let server = await start();
  /** A fresh server process on the same data: no backlog or garbage from the previous part. */
  const restart = async () => {
    await server.kill9();
    server = await start();
  };
  try {
    const { http, ws } = urlsOf(server);
    const small = await createBoard(http, { title: 'bench small' });
    const big = await createBoard(http, { title: 'bench big' });
    const t0 = performance.now();
    const built = await runJob<{ bytes: number; scenarios: number }>({
      kind: 'build',
      ws,
      boardId: big.id,
      token: big.token,
      targetBytes: 2_000_000,
    });
    const bigMb = built.bytes / 1e6;
    console.log(
      `trust: big board: ${bigMb.toFixed(2)} MB, ${built.scenarios} scenarios, comments and logged ` +
        `edits (built in ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
    );
    if (parts.includes('a')) await refusalCost(server, small, big, bigMb);
    if (parts.includes('b')) {
      await restart();
      await underRefusalFlood(server, big);
    }
    if (parts.includes('c')) {
      await restart();
      await slowReaders(server, big, 0, 'join once, then never read');
      await restart();
      await slowReaders(server, big, 500, 'never read, ask for the whole board every 500 ms');
    }
  } finally {
    await server.kill9();
  }
}

// Run alone: `npm run bench:trust`.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  await benchTrust();
  process.exit(0);
}
