/**
 * Sensitivity: a tornado of one year's total, moving each banded assumption alone to the low and
 * high end of its band (rules T1-T3 in lib/model/README.md, "Analyses").
 */
import { ASSUMPTIONS, type AssumptionId, type Assumptions } from '../assumptions';
import type { AssumptionSpecs } from '../assumptions';
import { TARGET_YEAR } from '../kpis';
import type { Actual } from '../actuals';
import { effectiveBandList, type Bands } from './bands';
import { TotalAt } from './evaluate';

export interface TornadoOptions {
  /** Default TARGET_YEAR (2028). Any year from 2023 to 2040; past the horizon is projected (see TotalAt). */
  year?: number;
  /** Per-assumption band overrides (see effectiveBands). */
  bands?: Bands;
  /** The board's model version's specs (default: the newest model's); they give the default bands. */
  specs?: AssumptionSpecs;
  /** R22: the board's reported actuals (their years are fixed, no uncertainty, no lever moves them). */
  actuals?: readonly Actual[] | null;
}

export interface TornadoBar {
  id: AssumptionId;
  label: string;
  /** The band's ends: the values the assumption was moved to. */
  lowValue: number;
  highValue: number;
  /** Total in `year` (US dollars) with only this assumption at lowValue / highValue. */
  totalAtLow: number;
  totalAtHigh: number;
  /** |totalAtHigh - totalAtLow|. */
  swing: number;
}

export interface TornadoResult {
  year: number;
  /** T1: the deterministic total in `year`, every assumption at the scenario's value. */
  base: number;
  /** T2: one bar per banded assumption, largest swing first (ties in display order). */
  bars: TornadoBar[];
}

/** One-at-a-time sensitivity of the total in `year` to each assumption's band. */
export function tornado(values: Assumptions, options: TornadoOptions = {}): TornadoResult {
  const at = new TotalAt(values, options.year ?? TARGET_YEAR, options.actuals);
  const base = at.total();
  const bars = effectiveBandList(values, options.bands, options.specs).map((b): TornadoBar => {
    const totalAtLow = at.totalWith(b.id, b.low);
    const totalAtHigh = at.totalWith(b.id, b.high);
    return {
      id: b.id,
      label: ASSUMPTIONS[b.id].label,
      lowValue: b.low,
      highValue: b.high,
      totalAtLow,
      totalAtHigh,
      swing: Math.abs(totalAtHigh - totalAtLow),
    };
  });
  // Array.prototype.sort is stable, so equal swings keep display order (T2).
  bars.sort((x, y) => y.swing - x.swing);
  return { year: at.year, base, bars };
}
