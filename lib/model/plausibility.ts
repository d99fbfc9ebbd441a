/**
 * The plausibility guard (MODEL.md v2, item 5; rule R21): years a projection reaches outside what
 * this model was built for. Extreme settings give trillions; the model says so instead of
 * showing them silently. Warnings change no number.
 */
import type { Projection } from './project';

/** A total above this multiple of the base year's is flagged. */
export const TENFOLD_LIMIT = 10;
/** A total growing by more than this fraction in one year is flagged. */
export const YEARLY_GROWTH_LIMIT = 0.6;

export type WarningKind = 'beyondTenfold' | 'fastGrowth';

export interface ProjectionWarning {
  year: number;
  kind: WarningKind;
  message: string;
}

const OUTSIDE = 'outside what this model was built for';

/**
 * R21: a warning for each year whose total is more than 10x the base year's (`beyondTenfold`), and
 * for each year whose total grows more than 60% on the year before (`fastGrowth`), in year order.
 */
export function plausibilityWarnings(p: Projection): ProjectionWarning[] {
  const out: ProjectionWarning[] = [];
  const base = p.years[0]?.total ?? 0;
  for (let t = 1; t < p.years.length; t++) {
    const y = p.years[t]!;
    const prev = p.years[t - 1]!.total;
    if (y.total > TENFOLD_LIMIT * base)
      out.push({
        year: y.year,
        kind: 'beyondTenfold',
        message: `${y.year}: more than ${TENFOLD_LIMIT}x the ${p.years[0]!.year} total, ${OUTSIDE}.`,
      });
    if (y.total > (1 + YEARLY_GROWTH_LIMIT) * prev)
      out.push({
        year: y.year,
        kind: 'fastGrowth',
        message: `${y.year}: grows more than ${YEARLY_GROWTH_LIMIT * 100}% in one year, ${OUTSIDE}.`,
      });
  }
  return out;
}
