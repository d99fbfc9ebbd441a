/**
 * Reported actuals for past years (R22 in README.md). The model starts from its base year (2023);
 * years since then are history, so a moderator can type what was reported for them. Actual years
 * show the reported figures whatever the levers; the projection continues from the latest one.
 */
import { ASSUMPTIONS, BASE_YEAR } from './assumptions';

/** One reported year. Money in US dollars (not billions), like every model output. */
export interface Actual {
  year: number;
  /** Reported ICT exports that year. */
  totalUsd: number;
  /** Reported freelancer earnings, where known (part of totalUsd). */
  freelanceUsd?: number;
  /** Where the figure comes from, one line. */
  source: string;
}

/** Whether a year of a projection is a reported actual or the model's projection. */
export type YearKind = 'actual' | 'projected';

/** Earliest year an actual may be reported for: the base year is the calibration itself. */
export const FIRST_ACTUAL_YEAR = BASE_YEAR + 1;
/** Latest year the model knows of (the largest horizon); callers bound it further by today's year. */
export const LAST_ACTUAL_YEAR = ASSUMPTIONS.horizon.max;
/** Years a table covers: BASE_YEAR to the largest horizon (project.ts's MAX_PROJECTION_YEARS). */
const TABLE_YEARS = LAST_ACTUAL_YEAR - BASE_YEAR + 1;
/** At most this many actuals per board. */
export const MAX_ACTUALS = 20;
/** A source line's length limit. */
export const MAX_ACTUAL_SOURCE = 200;
/** Largest reported total accepted: $1 trillion (the model's base year is $2.6B). */
export const MAX_ACTUAL_USD = 1e12;

/**
 * Actuals by year index (t = year - BASE_YEAR), NaN where a year has none: the form the
 * projection's hot loop reads (no allocation per Monte Carlo sample).
 */
export interface ActualsTable {
  readonly total: Float64Array;
  readonly freelance: Float64Array;
  /** Index of the latest actual year; -1 when there is none. */
  readonly latest: number;
}

/**
 * The table for `actuals`, or null when there is nothing to apply (so "no actuals" runs the exact
 * code path of a board without them). Entries outside FIRST_ACTUAL_YEAR..LAST_ACTUAL_YEAR, with a
 * non-finite or negative total, are ignored (validate at the edge); a later duplicate year wins.
 * A freelance figure above the total is capped at the total.
 */
export function actualsTable(actuals: readonly Actual[] | null | undefined): ActualsTable | null {
  if (!actuals || actuals.length === 0) return null;
  const total = new Float64Array(TABLE_YEARS).fill(NaN);
  const freelance = new Float64Array(TABLE_YEARS).fill(NaN);
  let latest = -1;
  for (const a of actuals) {
    if (!Number.isInteger(a.year) || a.year < FIRST_ACTUAL_YEAR || a.year > LAST_ACTUAL_YEAR)
      continue;
    if (!(Number.isFinite(a.totalUsd) && a.totalUsd >= 0)) continue;
    const t = a.year - BASE_YEAR;
    total[t] = a.totalUsd;
    const f = a.freelanceUsd;
    freelance[t] =
      typeof f === 'number' && Number.isFinite(f) && f >= 0 ? Math.min(f, a.totalUsd) : NaN;
    if (t > latest) latest = t;
  }
  return latest < 0 ? null : { total, freelance, latest };
}
