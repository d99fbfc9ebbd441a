/**
 * Attribution: a waterfall from a baseline scenario's total to another scenario's total in one
 * year, one bar per assumption that differs, the bars adding up to the difference. Rules W1-W4 in
 * lib/model/README.md ("Analyses").
 *
 * The model is not additive (training output multiplies placement, revenue per worker and skill),
 * so "the effect of changing X" depends on what else has changed. Shapley values split the
 * difference fairly: each assumption gets its marginal contribution averaged over every order in
 * which the changes could be applied; they always sum to the total difference.
 */
import { ASSUMPTIONS, ASSUMPTION_IDS, type AssumptionId, type Assumptions } from '../assumptions';
import { TARGET_YEAR } from '../kpis';
import type { Actual } from '../actuals';
import { AnalysisInputError } from './errors';
import { TotalAt } from './evaluate';
import { Rng } from './random';

export interface AttributionOptions {
  /** Default TARGET_YEAR (2028). */
  year?: number;
  /** W3: seed of the permutation sample when more than EXACT_SHAPLEY_MAX assumptions differ. Default 1. */
  seed?: number;
  /** W3: permutations sampled in that case (default 1,000, even; used in antithetic pairs). */
  permutations?: number;
  /** R22: the board's reported actuals (their years are fixed, no uncertainty, no lever moves them). */
  actuals?: readonly Actual[] | null;
}

export interface AttributionBar {
  id: AssumptionId;
  label: string;
  /** Baseline's value and the scenario's value. */
  from: number;
  to: number;
  /** W1: US dollars; the bars sum to scenarioTotal - baselineTotal. */
  contribution: number;
}

export interface AttributionResult {
  year: number;
  baselineTotal: number;
  scenarioTotal: number;
  /** Largest |contribution| first (ties in display order). */
  bars: AttributionBar[];
  /** W2 'exact' (all 2^k subsets) or W3 'sampled' (seeded permutations). */
  method: 'exact' | 'sampled';
  /** Permutations averaged when sampled; 0 when exact. */
  permutations: number;
}

/** W2: up to this many changed assumptions, exact Shapley values (2^12 = 4,096 projections). */
export const EXACT_SHAPLEY_MAX = 12;
export const DEFAULT_PERMUTATIONS = 1000;

/**
 * Split `total(scenario) - total(baseline)` in `year` between the assumptions that differ (W1).
 * The projection horizon is not an assumption here: both are projected to `year`.
 */
export function attribution(
  baseline: Assumptions,
  scenario: Assumptions,
  options: AttributionOptions = {},
): AttributionResult {
  const year = options.year ?? TARGET_YEAR;
  const at = new TotalAt(baseline, year, options.actuals);
  const changed = ASSUMPTION_IDS.filter(
    (id) => id !== 'horizon' && !Object.is(baseline[id], scenario[id]),
  );
  const k = changed.length;
  const from = changed.map((id) => baseline[id]);
  const to = changed.map((id) => scenario[id]);

  const baselineTotal = at.total();
  let scenarioTotal = baselineTotal;
  let phi: Float64Array;
  let method: AttributionResult['method'] = 'exact';
  let permutations = 0;

  if (k <= EXACT_SHAPLEY_MAX) {
    // W2: v(S) for every subset S of the changed assumptions (bit i set: assumption i at the
    // scenario's value), visited in Gray-code order so each step changes one assumption.
    const size = 1 << k;
    const v = new Float64Array(size);
    v[0] = baselineTotal;
    let mask = 0;
    for (let g = 1; g < size; g++) {
      const bit = 31 - Math.clz32(g & -g); // the bit that flips between Gray codes g - 1 and g
      mask ^= 1 << bit;
      at.set(changed[bit]!, (mask >> bit) & 1 ? to[bit]! : from[bit]!);
      v[mask] = at.total();
    }
    scenarioTotal = v[size - 1]!;
    // phi_i = sum over S without i of |S|! (k - |S| - 1)! / k! * (v(S + i) - v(S)).
    const weight = new Float64Array(Math.max(k, 1));
    for (let s = 0; s < k; s++) weight[s] = 1 / (k * binomial(k - 1, s));
    phi = new Float64Array(k);
    for (let S = 0; S < size; S++) {
      const w = weight[popcount(S)] ?? 0;
      for (let i = 0; i < k; i++) {
        if (S & (1 << i)) continue;
        phi[i] = phi[i]! + w * (v[S | (1 << i)]! - v[S]!);
      }
    }
  } else {
    // W3: too many subsets; average marginal contributions over seeded random orders, each with
    // its reverse (antithetic pairs halve the variance for near-additive models). Every order's
    // contributions telescope to the full difference, so the bars still sum to it.
    method = 'sampled';
    permutations = options.permutations ?? DEFAULT_PERMUTATIONS;
    if (
      !Number.isInteger(permutations) ||
      permutations < 2 ||
      permutations % 2 !== 0 ||
      permutations > 100_000
    ) {
      throw new AnalysisInputError(
        'permutations',
        `Permutations must be an even whole number from 2 to 100,000, got ${String(permutations)}.`,
      );
    }
    const rng = new Rng(options.seed ?? 1);
    phi = new Float64Array(k);
    const order = Array.from({ length: k }, (_, i) => i);
    const walk = (seq: readonly number[]) => {
      for (let i = 0; i < k; i++) at.set(changed[i]!, from[i]!);
      let prev = baselineTotal;
      for (const i of seq) {
        at.set(changed[i]!, to[i]!);
        const t = at.total();
        phi[i] = phi[i]! + (t - prev);
        prev = t;
      }
      scenarioTotal = prev;
    };
    for (let p = 0; p < permutations / 2; p++) {
      // Fisher-Yates, continuing from the previous order.
      for (let i = k - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      walk(order);
      walk([...order].reverse());
    }
    for (let i = 0; i < k; i++) phi[i] = phi[i]! / permutations;
  }

  const bars = changed.map((id, i): AttributionBar => ({
    id,
    label: ASSUMPTIONS[id].label,
    from: from[i]!,
    to: to[i]!,
    contribution: phi[i]!,
  }));
  // Stable sort: ties keep display order.
  bars.sort((x, y) => Math.abs(y.contribution) - Math.abs(x.contribution));
  return { year: at.year, baselineTotal, scenarioTotal, bars, method, permutations };
}

function popcount(x: number): number {
  let n = 0;
  for (let y = x; y; y &= y - 1) n++;
  return n;
}

function binomial(n: number, r: number): number {
  let b = 1;
  for (let i = 1; i <= r; i++) b = (b * (n - r + i)) / i;
  return b;
}
