/**
 * Analysis benchmarks (lib/model/analysis): what the Analyses panel recomputes after an edit.
 * Every run changes an input (seed or a lever) so nothing can be cached between runs.
 * Targets: projection + Monte Carlo (10,000 samples) + tornado <= 16 ms (one frame); goal seek <= 5 ms.
 */
import {
  ASSUMPTION_IDS,
  MODEL_ID,
  NOT_SEEKABLE,
  attribution,
  defaultAssumptions,
  frontier,
  getModel,
  goalSeek,
  kpis,
  monteCarlo,
  project,
  tornado,
  type Assumptions,
} from '../lib/model';
import { fmtMs, summarize, timeRuns } from './stats';

const RUNS = 100;

function report(name: string, runs: number[], target?: string): void {
  const s = summarize(runs);
  console.log(
    `analysis: ${name}, ${s.n} runs: median ${fmtMs(s.p50)}, p95 ${fmtMs(s.p95)}${target ? ` (target ${target})` : ''}`,
  );
}

export function benchAnalysis(): void {
  const a = defaultAssumptions();
  let i = 0;
  const vary = () => {
    a.conversionRate = 1 + (i % 40) * 0.25;
    a.trainingOutput = 40_000 + (i % 7) * 10_000;
    return i++;
  };

  report(
    'deterministic projection + KPIs (to 2030)',
    timeRuns(() => (vary(), kpis(project(a))), 5_000),
  );
  report(
    'Monte Carlo, 10,000 samples to 2030',
    timeRuns(() => monteCarlo(a, { seed: vary() }), RUNS),
  );
  report(
    'Monte Carlo, 10,000 samples to 2040',
    timeRuns(() => monteCarlo({ ...a, horizon: 2040 }, { seed: vary() }), RUNS),
  );
  report(
    'tornado (18 banded assumptions, 2028)',
    timeRuns(() => (vary(), tornado(a)), RUNS * 10),
  );
  // The frame budget on both model versions: a v2 board (the default) and a v1 board, each with
  // its own bands (v1's programme is pinned open; v2's ends after 5 years).
  for (const model of [getModel(MODEL_ID, 2)!, getModel(MODEL_ID, 1)!]) {
    const values = model.defaults();
    const specs = model.assumptions;
    report(
      `projection + Monte Carlo 10,000 + tornado, model v${model.version}`,
      timeRuns(() => {
        const seed = vary();
        values.conversionRate = a.conversionRate;
        values.trainingOutput = a.trainingOutput;
        return [
          kpis(project(values)),
          monteCarlo(values, { seed, specs }),
          tornado(values, { specs }),
        ];
      }, RUNS),
      '<= 16 ms',
    );
  }
  // Scenarios that miss $5B (conversion 1.3%, 40k-100k trainees), so every run really searches.
  const short = defaultAssumptions();
  const missing = () => {
    short.trainingOutput = 40_000 + (i++ % 7) * 10_000;
    return short;
  };
  report(
    'goal seek, reached (conversion for $5B in 2028)',
    timeRuns(() => goalSeek(missing(), { lever: 'conversionRate', target: 5e9 }), RUNS * 10),
    '<= 5 ms',
  );
  report(
    'goal seek, unreachable (training for $18B in 2028)',
    timeRuns(() => goalSeek(missing(), { lever: 'trainingOutput', target: 18e9 }), RUNS * 10),
    '<= 5 ms',
  );
  report(
    'frontier, 25 points (training x conversion for $10B)',
    timeRuns(
      () => (
        vary(),
        frontier(a, { leverA: 'trainingOutput', leverB: 'conversionRate', target: 10e9 })
      ),
      RUNS,
    ),
  );

  const base = defaultAssumptions();
  const changed = (k: number): Assumptions => {
    const s = { ...a };
    for (const id of ASSUMPTION_IDS.filter((x) => !NOT_SEEKABLE.has(x)).slice(0, k))
      s[id] = base[id] * 1.1 + 0.05;
    return s;
  };
  report(
    'attribution, 3 changes (exact)',
    timeRuns(() => (vary(), attribution(base, changed(3))), RUNS * 10),
  );
  report(
    'attribution, 12 changes (exact, 4,096 projections)',
    timeRuns(() => (vary(), attribution(base, changed(12))), RUNS),
  );
  report(
    'attribution, 18 changes (sampled, 1,000 permutations)',
    timeRuns(() => attribution(base, changed(18), { seed: vary() }), RUNS),
  );
}
