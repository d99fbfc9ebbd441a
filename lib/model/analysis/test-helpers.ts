/**
 * Helpers for the analyses' tests (not shipped; imported only by *.test.ts).
 */
import fc from 'fast-check';
import { ASSUMPTIONS, ASSUMPTION_IDS, type AssumptionId, type Assumptions } from '../assumptions';
import { project } from '../project';
import type { Bands } from './bands';

/** Total in `year` by the plain projection (extending the horizon to the year if needed). */
export function totalIn(a: Assumptions, year: number): number {
  const years = project({ ...a, horizon: Math.max(year, ASSUMPTIONS.horizon.min) }).years;
  const y = years.find((r) => r.year === year);
  if (!y) throw new Error(`no result for ${year}`);
  return y.total;
}

/**
 * Bands `relWidth` wide (e.g. 0.01 = 1%) centred on every value; integer assumptions whose band
 * would be under one unit wide are switched off (a zero-width override), since B4 would widen them
 * to whole numbers.
 */
export function narrowBands(a: Assumptions, relWidth: number): Bands {
  const out: Bands = {};
  for (const id of ASSUMPTION_IDS) {
    const v = a[id];
    const half = (Math.abs(v) * relWidth) / 2;
    out[id] =
      ASSUMPTIONS[id].integer && half < 1 ? { low: v, high: v } : { low: v - half, high: v + half };
  }
  return out;
}

/** Zero-width overrides for every assumption except `keep`: only those are sampled. */
export function onlyBands(a: Assumptions, keep: Bands): Bands {
  const out: Bands = {};
  for (const id of ASSUMPTION_IDS) out[id] = keep[id] ?? { low: a[id], high: a[id] };
  return out;
}

/** Levers the analyses may move. */
export const LEVERS: readonly AssumptionId[] = ASSUMPTION_IDS.filter(
  (id) => id !== 'horizon' && id !== 'programmeStart', // G0 (NOT_SEEKABLE)
);

/**
 * Scenarios at least `margin` (a fraction of each range) away from both ends of every range, so a
 * narrow band around any value is symmetric (not clamped at an end).
 */
export function interiorAssumptionsArb(margin = 0.02): fc.Arbitrary<Assumptions> {
  return fc.record(
    Object.fromEntries(
      ASSUMPTION_IDS.map((id) => {
        const s = ASSUMPTIONS[id];
        const lo = s.min + margin * (s.max - s.min);
        const hi = s.max - margin * (s.max - s.min);
        return [
          id,
          s.integer
            ? fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) })
            : fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true }),
        ];
      }),
    ) as Record<AssumptionId, fc.Arbitrary<number>>,
  );
}
