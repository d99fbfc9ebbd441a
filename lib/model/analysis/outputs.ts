/**
 * Small reshaping helpers for charts: a projection as parallel series, and Monte Carlo bands as
 * rows (the shape chart libraries such as Recharts take). No new numbers: everything here is read
 * from project() / monteCarlo() results.
 */
import type { Projection } from '../project';
import type { MonteCarloResult } from './monteCarlo';

/** A projection as one array per output, index-aligned with `years`. Money in US dollars. */
export interface ProjectionSeries {
  years: number[];
  total: number[];
  existing: number[];
  services: number[];
  products: number[];
  freelance: number[];
  /** Everything but products over the total, 0..1 (R9). */
  servicesShareOfTotal: number[];
  /** Placed trainees still in export work (R10). */
  workforceAdded: number[];
  /** New exports since the base year: total minus the base year's total. */
  addedSinceBase: number[];
}

export function projectionSeries(p: Projection): ProjectionSeries {
  const base = p.years[0]?.total ?? 0;
  return {
    years: p.years.map((y) => y.year),
    total: p.years.map((y) => y.total),
    existing: p.years.map((y) => y.existing),
    services: p.years.map((y) => y.services),
    products: p.years.map((y) => y.products),
    freelance: p.years.map((y) => y.freelance),
    servicesShareOfTotal: p.years.map((y) => y.servicesShareOfTotal),
    workforceAdded: p.years.map((y) => y.workforceAdded),
    addedSinceBase: p.years.map((y) => y.total - base),
  };
}

/** One chart row per year of a Monte Carlo run, with the deterministic total beside the bands. */
export interface UncertaintyRow {
  year: number;
  p10: number;
  p50: number;
  p90: number;
  mean: number;
  /** p90 - p10: the band's height, for stacked-area charts. */
  spread: number;
  /** The scenario's own total that year, if a projection was given. */
  deterministic: number | null;
}

export function uncertaintyRows(mc: MonteCarloResult, p?: Projection): UncertaintyRow[] {
  const byYear = new Map(p?.years.map((y) => [y.year, y.total]));
  return mc.years.map((year, i) => {
    const p10 = mc.p10[i]!;
    const p90 = mc.p90[i]!;
    return {
      year,
      p10,
      p50: mc.p50[i]!,
      p90,
      mean: mc.mean[i]!,
      spread: p90 - p10,
      deterministic: byYear.get(year) ?? null,
    };
  });
}
