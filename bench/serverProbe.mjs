// Preloaded into the server under test (`npm run bench:scale -- --server-args=--import=$PWD/bench/serverProbe.mjs`,
// an absolute path): GC pauses by kind and event-loop delay every 5 s, on stderr.
// For finding where latency tails come from (issue 12, rooms p99). In the bench's environment:
// PROBE_STALLS=1 also prints every event-loop stall over 20 ms, with its wall-clock time and the
// GCs inside it; PROBE_CPU=<file> writes a CPU profile of 15 s of the run (set-up excluded);
// PROBE_ALLOC=<file> a sampling heap profile of what the old generation collects. Read either
// with `node bench/profileTop.mjs <file>`.
import { PerformanceObserver, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setInterval, setTimeout } from 'node:timers';
// perf_hooks' NODE_PERFORMANCE_GC_* flags.
const kinds = { 1: 'minor', 4: 'major', 8: 'incremental', 16: 'weakcb' };
let gcs = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcs.push([e.detail?.kind ?? e.kind, e.duration]);
}).observe({ entryTypes: ['gc'] });
const h = monitorEventLoopDelay({ resolution: 1 });
h.enable();
setInterval(() => {
  const by = {};
  for (const [k, d] of gcs) {
    const n = kinds[k] ?? k;
    const o = (by[n] ??= { n: 0, total: 0, max: 0 });
    o.n++;
    o.total += d;
    o.max = Math.max(o.max, d);
  }
  gcs = [];
  const gcText = Object.entries(by)
    .map(([k, o]) => `${k} ${o.n}x total ${o.total.toFixed(0)} max ${o.max.toFixed(1)}`)
    .join('; ');
  process.stderr.write(
    `[gcwatch] loop delay p50 ${(h.percentile(50) / 1e6).toFixed(1)} p99 ${(h.percentile(99) / 1e6).toFixed(1)} max ${(h.max / 1e6).toFixed(1)} ms | gc ${gcText} | heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MB\n`,
  );
  h.reset();
}, 5000).unref();
if (process.env.PROBE_STALLS) {
  // Every stall of the event loop over 20 ms, with its wall-clock time and the GCs in it.
  const gcLog = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      gcLog.push([performance.timeOrigin + e.startTime, e.duration, kinds[e.detail?.kind] ?? '?']);
  }).observe({ entryTypes: ['gc'] });
  // The main thread's time on a CPU and waiting for one (Linux schedstat, ns): whether a stall
  // was our own work or the scheduler giving the core to another process.
  const { readFileSync } = await import('node:fs');
  const schedFile = `/proc/self/task/${process.pid}/schedstat`;
  const sched = () => {
    try {
      const [onCpu, waiting] = readFileSync(schedFile, 'utf8').split(' ').map(Number);
      return { onCpu, waiting };
    } catch {
      return { onCpu: 0, waiting: 0 };
    }
  };
  let lastSched = sched();
  let last = performance.now();
  setInterval(() => {
    const t = performance.now();
    const late = t - last - 5;
    const nowSched = sched();
    const cpuMs = (nowSched.onCpu - lastSched.onCpu) / 1e6;
    const waitMs = (nowSched.waiting - lastSched.waiting) / 1e6;
    lastSched = nowSched;
    if (late > 20) {
      const from = performance.timeOrigin + last;
      const gcsIn = gcLog.filter(([at]) => at >= from - 5 && at <= from + late + 10);
      process.stderr.write(
        `[stall] ${(from / 1000).toFixed(2)} ${late.toFixed(0)} ms (on cpu ${cpuMs.toFixed(0)}, waiting for one ${waitMs.toFixed(0)}) gc: ${gcsIn.map(([, d, k]) => `${k} ${d.toFixed(0)}`).join(',')}\n`,
      );
    }
    if (gcLog.length > 1000) gcLog.splice(0, 500);
    last = t;
  }, 5).unref();
}
/**
 * Through the inspector, after `afterSeconds` of the run: `start`, then after `forMs` `stop`,
 * whose profile is written to `file` (PROBE_ALLOC and PROBE_CPU below).
 */
async function profileLater(name, file, afterSeconds, forMs, start, stop) {
  const { Session } = await import('node:inspector/promises');
  const { writeFile } = await import('node:fs/promises');
  const session = new Session();
  session.connect();
  const begin = async () => {
    await start(session);
    process.stderr.write(`[${name}] profiling started\n`);
    setTimeout(async () => {
      await writeFile(file, JSON.stringify(await stop(session)));
      process.stderr.write(`[${name}] profile written to ${file}\n`);
    }, forMs).unref();
  };
  setTimeout(begin, Number(afterSeconds ?? 60) * 1000).unref();
}
if (process.env.PROBE_ALLOC) {
  // Where the old generation's garbage comes from: a sampling heap profile that keeps objects a
  // major GC collected (they survived the scavenges, i.e. were promoted) but not those a
  // scavenge collected. PROBE_ALLOC_AFTER seconds in (default 60), for 20 s.
  await profileLater(
    'alloc',
    process.env.PROBE_ALLOC,
    process.env.PROBE_ALLOC_AFTER,
    20_000,
    (session) =>
      session.post('HeapProfiler.startSampling', {
        samplingInterval: 16384,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: process.env.PROBE_ALLOC_MINOR === '1',
      }),
    async (session) => (await session.post('HeapProfiler.stopSampling')).profile,
  );
}
if (process.env.PROBE_CPU) {
  // A CPU profile of the run alone (set-up excluded, unlike --cpu-prof): PROBE_CPU_AFTER seconds
  // in (default 60), for 15 s, sampled every 0.5 ms.
  await profileLater(
    'cpu',
    process.env.PROBE_CPU,
    process.env.PROBE_CPU_AFTER,
    15_000,
    async (session) => {
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 500 });
      await session.post('Profiler.start');
    },
    async (session) => (await session.post('Profiler.stop')).profile,
  );
}
