/**
 * Two-lever frontier: for each of ~25 values of lever A, the least (or most) of lever B that still
 * meets a target in a year — the curve a workshop reads as "this much training needs at least this
 * much conversion". Rules F1-F3 in lib/model/README.md ("Analyses").
 */
import { ASSUMPTIONS, type AssumptionId, type Assumptions } from '../assumptions';
import { TARGET_YEAR } from '../kpis';
import type { Actual } from '../actuals';
import { AnalysisInputError } from './errors';
import { TotalAt, checkLever, checkTarget } from './evaluate';
import { crossing, rangeGrid, refinePeak, snapToStep, type Probe } from './search';

export interface FrontierOptions {
  /** The lever on the horizontal axis (e.g. trainingOutput). */
  leverA: AssumptionId;
  /** The lever solved for (e.g. conversionRate). */
  leverB: AssumptionId;
  /** US dollars. */
  target: number;
  /** Default TARGET_YEAR (2028). */
  year?: number;
  /** Values of A, evenly spaced over its whole range (default 25, 2-201). */
  points?: number;
  /**
   * F2: 'min' (default) finds the least B that meets the target — for levers where more helps;
   * 'max' the most B that still meets it — for levers where more hurts (attrition, churn).
   */
  seek?: 'min' | 'max';
  /** R22: the board's reported actuals (their years are fixed, no uncertainty, no lever moves them). */
  actuals?: readonly Actual[] | null;
}

export interface FrontierPoint {
  /** Lever A's value (on its step). */
  a: number;
  /** F2: lever B's value, on its step, that meets the target; null if none in B's range does. */
  b: number | null;
  /** Total in the year at (a, b); null with b. */
  total: number | null;
}

export interface FrontierResult {
  year: number;
  target: number;
  leverA: AssumptionId;
  leverB: AssumptionId;
  seek: 'min' | 'max';
  points: FrontierPoint[];
}

/** Intervals of the coarse scan over B per point (F3). */
export const FRONTIER_GRID = 16;

/**
 * For each value of lever A, the least (seek 'min') or most (seek 'max') value of lever B in its
 * range that makes the total in `year` reach `target`, every other assumption at the scenario's
 * value.
 */
export function frontier(values: Assumptions, options: FrontierOptions): FrontierResult {
  const idA = checkLever(options.leverA, 'leverA');
  const idB = checkLever(options.leverB, 'leverB');
  if (idA === idB) {
    throw new AnalysisInputError('leverB', 'Choose two different assumptions for a frontier.');
  }
  const target = checkTarget(options.target);
  const count = options.points ?? 25;
  if (!Number.isInteger(count) || count < 2 || count > 201) {
    throw new AnalysisInputError(
      'points',
      `The number of frontier points must be a whole number from 2 to 201, got ${String(count)}.`,
    );
  }
  const seek = options.seek ?? 'min';
  const specA = ASSUMPTIONS[idA];
  const specB = ASSUMPTIONS[idB];
  const at = new TotalAt(values, options.year ?? TARGET_YEAR, options.actuals);
  const f = (x: number) => at.totalWith(idB, x);

  // F1: A's values, on its step, without repeats (a coarse step can merge neighbours).
  const as: number[] = [];
  for (const x of rangeGrid(specA, count - 1)) {
    const a = snapToStep(specA, x, 0);
    if (as[as.length - 1] !== a) as.push(a);
  }

  // Scan B from the end F2 prefers: ascending for 'min', descending for 'max'.
  const xs = rangeGrid(specB, FRONTIER_GRID);
  if (seek === 'max') xs.reverse();

  const points = as.map((a): FrontierPoint => {
    at.set(idA, a);
    const fs = xs.map(f);
    const j = fs.findIndex((t) => t >= target);
    let found: Probe | null = null;
    if (j === 0) found = { x: xs[0]!, total: fs[0]! };
    else if (j > 0) found = crossing(specB, f, target, xs[j - 1]!, { x: xs[j]!, total: fs[j]! });
    else {
      // F3: a peak between grid points may still reach the target.
      let b = 0;
      fs.forEach((t, k) => {
        if (t > fs[b]!) b = k;
      });
      const peak = refinePeak(specB, f, xs, fs, b);
      if (peak.total >= target) found = crossing(specB, f, target, xs[Math.max(0, b - 1)]!, peak);
    }
    return found ? { a, b: found.x, total: found.total } : { a, b: null, total: null };
  });
  return { year: at.year, target, leverA: idA, leverB: idB, seek, points };
}
