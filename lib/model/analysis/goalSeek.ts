/**
 * Goal seek: the value of one assumption that makes the total meet a target in a year, or a clear
 * statement that no value in its range does. Rules G1-G6 in lib/model/README.md ("Analyses").
 */
import { ASSUMPTIONS, type AssumptionId, type Assumptions } from '../assumptions';
import { TARGET_YEAR } from '../kpis';
import type { Actual } from '../actuals';
import {
  TotalAt,
  checkLever,
  checkTarget,
  describeRange,
  describeValue,
  usdBillions,
} from './evaluate';
import { crossing, rangeGrid, refinePeak, type Probe } from './search';

export interface GoalSeekOptions {
  /** The assumption to move (any but the horizon). */
  lever: AssumptionId;
  /** US dollars. */
  target: number;
  /** Default TARGET_YEAR (2028); 2023-2040, past the horizon is projected. */
  year?: number;
  /** R22: the board's reported actuals (their years are fixed, no uncertainty, no lever moves them). */
  actuals?: readonly Actual[] | null;
}

export type GoalSeekResult =
  | {
      status: 'reached';
      /** G4: on the slider's step, and applying it meets the target. */
      value: number;
      /** Total in the year at `value`. */
      total: number;
      /** G3: the crossing itself (before snapping to the step), also meeting the target. */
      threshold: number;
    }
  | { status: 'already-met'; /** The scenario's own value. */ value: number; total: number }
  | {
      status: 'unreachable';
      /** G5: the value in range with the highest total, and that total (< target). */
      bestValue: number;
      bestTotal: number;
      /** "not reachable within the range of <label> (<min>-<max>): best is $X.XXB at <value>" */
      message: string;
    };

/** Intervals of the coarse scan (G2): a met region narrower than 1/32 of the range can be missed. */
export const GOAL_SEEK_GRID = 32;

/**
 * The value of `lever` nearest the scenario's own that makes the total in `year` reach `target`
 * (G2), found by bisection (G3) and snapped to the lever's step (G4). Everything else stays at the
 * scenario's values.
 */
export function goalSeek(values: Assumptions, options: GoalSeekOptions): GoalSeekResult {
  const id = checkLever(options.lever);
  const target = checkTarget(options.target);
  const spec = ASSUMPTIONS[id];
  const at = new TotalAt(values, options.year ?? TARGET_YEAR, options.actuals);
  const f = (x: number) => at.totalWith(id, x);

  // G1: the scenario as it is.
  const current = at.get(id);
  const total = at.total();
  if (total >= target) return { status: 'already-met', value: current, total };

  // G2: coarse scan of the whole range, with the scenario's own value as one of the points.
  const from = Math.min(spec.max, Math.max(spec.min, current));
  const xs = rangeGrid(spec, GOAL_SEEK_GRID).filter((x) => x !== from);
  xs.push(from);
  xs.sort((x, y) => x - y);
  const fs = xs.map((x) => (x === current ? total : f(x)));
  const c = xs.indexOf(from);

  // The met grid point nearest the scenario's value on each side; ties go up.
  let right = -1;
  for (let j = c + 1; j < xs.length; j++)
    if (fs[j]! >= target) {
      right = j;
      break;
    }
  let left = -1;
  for (let j = c - 1; j >= 0; j--)
    if (fs[j]! >= target) {
      left = j;
      break;
    }
  let unmet: number | null = null;
  let met: Probe | null = null;
  if (right >= 0 && (left < 0 || xs[right]! - from <= from - xs[left]!)) {
    unmet = xs[right - 1]!;
    met = { x: xs[right]!, total: fs[right]! };
  } else if (left >= 0) {
    unmet = xs[left + 1]!;
    met = { x: xs[left]!, total: fs[left]! };
  }

  // G5: nothing on the grid meets it: look for a peak between grid points before giving up.
  let best: Probe = { x: xs[0]!, total: fs[0]! };
  if (!met) {
    fs.forEach((t, j) => {
      if (t > best.total) best = { x: xs[j]!, total: t };
    });
    const b = xs.indexOf(best.x);
    best = refinePeak(spec, f, xs, fs, b);
    if (best.total >= target) {
      // Bracket from the neighbour on the scenario's side (both neighbours are unmet).
      unmet = xs[best.x >= from ? Math.max(0, b - 1) : Math.min(xs.length - 1, b + 1)]!;
      met = best;
    }
  }
  if (met && unmet !== null) {
    const r = crossing(spec, f, target, unmet, met);
    return { status: 'reached', value: r.x, total: r.total, threshold: r.threshold };
  }
  return {
    status: 'unreachable',
    bestValue: best.x,
    bestTotal: best.total,
    message: `not reachable within the range of ${spec.label} (${describeRange(spec)}): best is ${usdBillions(best.total)} at ${describeValue(spec, best.x)}`,
  };
}
