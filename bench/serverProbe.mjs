// Preloaded into the server under test (`npm run bench:scale -- --server-args=--import=$PWD/bench/serverProbe.mjs`,
// an absolute path): GC pauses by kind and event-loop delay every 5 s, on stderr.
// For finding where latency tails come from (issue 12, rooms p99).
import { PerformanceObserver, monitorEventLoopDelay } from 'node:perf_hooks';
import { setInterval } from 'node:timers';
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
