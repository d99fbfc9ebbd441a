/** Model benchmarks: the deterministic projection (what every slider move recomputes). */
import { defaultAssumptions, kpis, project } from '../lib/model';
import { fmtMs, summarize, timeRuns } from './stats';

export function benchModel(): void {
  const a = defaultAssumptions();
  // Vary one lever per run so nothing can be cached between runs.
  let i = 0;
  const runs = timeRuns(() => {
    a.conversionRate = 1 + (i++ % 40);
    return kpis(project(a));
  }, 20_000);
  const s = summarize(runs);
  console.log(
    `model: projection + KPIs, ${s.n} runs: median ${fmtMs(s.p50)}, p95 ${fmtMs(s.p95)} (target <= 0.1 ms)`,
  );
}
