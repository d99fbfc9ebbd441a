/**
 * Monte Carlo over the uncertainty bands: P10/P50/P90 and mean per year, and the probability of
 * meeting each policy target. Rules M1-M6 in lib/model/README.md ("Analyses").
 *
 * Hot path: the scenario as one assumption vector (Float64Array) overwritten for every sample,
 * totals written by projectVectorTotalsInto into one buffer (no allocation per sample), and
 * percentiles by quickselect instead of sorting.
 */
import { ASSUMPTIONS, BASE_YEAR, type AssumptionId, type Assumptions } from '../assumptions';
import type { AssumptionSpecs } from '../assumptions';
import { TARGETS, TARGET_YEAR, type Target } from '../kpis';
import {
  ASSUMPTION_INDEX,
  assumptionVector,
  horizonYear,
  projectVectorTotalsInto,
} from '../project';
import { actualsTable, type Actual, type ActualsTable } from '../actuals';
import { effectiveBandList, type Bands, type EffectiveBand } from './bands';
import { AnalysisInputError } from './errors';
import { percentilesInPlace } from './quantiles';
import { Rng, checkSeed } from './random';

export type TargetId = Target['id'];

export const DEFAULT_SAMPLES = 10_000;
/** M6: enough for any chart; bounds memory (samples x years x 8 bytes: 14 MB at 100,000 to 2040). */
export const MAX_SAMPLES = 100_000;

export interface MonteCarloOptions {
  /** Number of sampled scenarios, 1..MAX_SAMPLES (default 10,000). */
  samples?: number;
  /** Seed of the sfc32 generator (a non-negative safe integer): same seed, same result (M1). */
  seed: number;
  /** Per-assumption band overrides (see effectiveBands). */
  bands?: Bands;
  /** The board's model version's specs (default: the newest model's); they give the default bands. */
  specs?: AssumptionSpecs;
  /** R22: the board's reported actuals (their years are fixed, no uncertainty, no lever moves them). */
  actuals?: readonly Actual[] | null;
}

export interface MonteCarloResult {
  /** BASE_YEAR .. the scenario's horizon. */
  years: number[];
  /** Percentiles of the total per year, US dollars (M3: type 7 interpolation, p10 <= p50 <= p90). */
  p10: number[];
  p50: number[];
  p90: number[];
  mean: number[];
  /** M4: P(total in TARGET_YEAR >= target), in [0, 1]. Simulated past the horizon if it ends earlier. */
  probabilityMet: Record<TargetId, number>;
  /** M4: per year of `years`, P(total in that year >= target). */
  probabilityMetByYear: Record<TargetId, number[]>;
  /** M4: P(total reaches the target in some year up to the horizon) — "met by the horizon". */
  probabilityMetByHorizon: Record<TargetId, number>;
  /** Assumptions that were sampled, in display order (the others stayed at the scenario's value). */
  sampled: AssumptionId[];
  samples: number;
  seed: number;
}

const PERCENTILES = [0.1, 0.5, 0.9] as const;

/** M2: the sampled assumptions' triangular parameters, precomputed for the hot loop. */
interface Sampler {
  m: number;
  /** Position of each sampled assumption in the assumption vector. */
  index: Int32Array;
  low: Float64Array;
  high: Float64Array;
  /** u * width < split: rising side of the triangle (u < (mode - low) / width without a division). */
  split: Float64Array;
  width: Float64Array;
  /** width * (mode - low) */
  rise: Float64Array;
  /** width * (high - mode) */
  fall: Float64Array;
  integer: Uint8Array;
}

function samplerFor(bands: readonly EffectiveBand[]): Sampler {
  const m = bands.length;
  const s: Sampler = {
    m,
    index: Int32Array.from(bands, (b) => ASSUMPTION_INDEX[b.id]),
    low: new Float64Array(m),
    high: new Float64Array(m),
    split: new Float64Array(m),
    width: new Float64Array(m),
    rise: new Float64Array(m),
    fall: new Float64Array(m),
    integer: new Uint8Array(m),
  };
  bands.forEach((b, j) => {
    const width = b.high - b.low;
    s.low[j] = b.low;
    s.high[j] = b.high;
    s.width[j] = width;
    s.split[j] = b.value - b.low;
    s.rise[j] = width * (b.value - b.low);
    s.fall[j] = width * (b.high - b.value);
    s.integer[j] = ASSUMPTIONS[b.id].integer ? 1 : 0;
  });
  return s;
}

/**
 * The hot loop, kept in its own small function so V8 optimises it whole (a loop inside a long
 * function is compiled on-stack and deoptimised again when the code after it first runs).
 * Writes sample i's total for year t to buf[t * n + i]; counts, per target, the samples whose
 * total reaches it in some year < reportYears.
 */
function runSamples(
  v: Float64Array,
  s: Sampler,
  rng: Rng,
  buf: Float64Array,
  n: number,
  reportYears: number,
  targetValues: Float64Array,
  metByHorizon: Float64Array,
  actuals: ActualsTable | null,
): void {
  const { m, index, low, high, split, width, rise, fall, integer } = s;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      // M2: inverse-CDF sampling, one uniform per sampled assumption, in display order. Same
      // arithmetic as triangularQuantile().
      const u = rng.next();
      let x =
        u * width[j]! < split[j]!
          ? low[j]! + Math.sqrt(u * rise[j]!)
          : high[j]! - Math.sqrt((1 - u) * fall[j]!);
      if (x < low[j]!) x = low[j]!;
      else if (x > high[j]!) x = high[j]!;
      // M2: whole numbers for people and years.
      if (integer[j] === 1) x = Math.round(x);
      v[index[j]!] = x;
    }
    projectVectorTotalsInto(v, buf, i, n, actuals);
    let best = buf[i]!;
    for (let t = 1; t < reportYears; t++) {
      const v = buf[t * n + i]!;
      if (v > best) best = v;
    }
    for (let k = 0; k < targetValues.length; k++) if (best >= targetValues[k]!) metByHorizon[k]!++;
  }
}

/** Sum of buf[from .. from + n - 1]. */
function sumOf(buf: Float64Array, from: number, n: number): number {
  let sum = 0;
  for (let i = from; i < from + n; i++) sum += buf[i]!;
  return sum;
}

/** How many of buf[from .. from + n - 1] are >= threshold. */
function countAtLeast(buf: Float64Array, from: number, n: number, threshold: number): number {
  let count = 0;
  for (let i = from; i < from + n; i++) if (buf[i]! >= threshold) count++;
  return count;
}

/**
 * Run the scenario `samples` times with every banded assumption drawn independently from
 * triangular(low, value, high) (M2), and summarise the yearly totals (M3-M5).
 */
export function monteCarlo(values: Assumptions, options: MonteCarloOptions): MonteCarloResult {
  const n = options.samples ?? DEFAULT_SAMPLES;
  if (!Number.isInteger(n) || n < 1 || n > MAX_SAMPLES) {
    throw new AnalysisInputError(
      'samples',
      `The number of samples must be a whole number from 1 to ${MAX_SAMPLES}, got ${String(n)}.`,
    );
  }
  const seed = options.seed;
  checkSeed(seed);

  const bands = effectiveBandList(values, options.bands, options.specs);
  const sampler = samplerFor(bands);

  // M4: simulate at least to TARGET_YEAR so probabilityMet is always defined; report to the horizon.
  const horizon = horizonYear(values);
  const reportYears = horizon - BASE_YEAR + 1;
  const a: Assumptions = { ...values, horizon: Math.max(horizon, TARGET_YEAR) };
  const simYears = a.horizon - BASE_YEAR + 1;
  const targetIndex = TARGET_YEAR - BASE_YEAR;

  // Year-major, so each year's samples are one contiguous slice for selection.
  const buf = new Float64Array(simYears * n);
  const targetValues = Float64Array.from(TARGETS, (t) => t.value);
  const metByHorizon = new Float64Array(TARGETS.length);
  runSamples(
    assumptionVector(a),
    sampler,
    new Rng(seed),
    buf,
    n,
    reportYears,
    targetValues,
    metByHorizon,
    actualsTable(options.actuals),
  );

  // M3-M4: per-year summaries.
  const years: number[] = [];
  const p10: number[] = [];
  const p50: number[] = [];
  const p90: number[] = [];
  const mean: number[] = [];
  const metByYear = TARGETS.map(() => [] as number[]);
  const counts = new Float64Array(TARGETS.length);
  const pct = new Float64Array(PERCENTILES.length);
  let atTargetYear = new Float64Array(TARGETS.length);
  for (let t = 0; t < simYears; t++) {
    if (t >= reportYears && t !== targetIndex) continue;
    const from = t * n;
    const sum = sumOf(buf, from, n);
    for (let k = 0; k < targetValues.length; k++)
      counts[k] = countAtLeast(buf, from, n, targetValues[k]!);
    if (t === targetIndex) atTargetYear = counts.slice();
    if (t >= reportYears) continue;
    percentilesInPlace(buf, from, n, PERCENTILES, pct);
    years.push(BASE_YEAR + t);
    p10.push(pct[0]!);
    p50.push(pct[1]!);
    p90.push(pct[2]!);
    mean.push(sum / n);
    counts.forEach((c, k) => metByYear[k]!.push(c / n));
  }

  const byTarget = <T>(f: (k: number) => T) =>
    Object.fromEntries(TARGETS.map((target, k) => [target.id, f(k)])) as Record<TargetId, T>;
  return {
    years,
    p10,
    p50,
    p90,
    mean,
    probabilityMet: byTarget((k) => atTargetYear[k]! / n),
    probabilityMetByYear: byTarget((k) => metByYear[k]!),
    probabilityMetByHorizon: byTarget((k) => metByHorizon[k]! / n),
    sampled: bands.map((b) => b.id),
    samples: n,
    seed,
  };
}
