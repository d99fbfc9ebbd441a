/**
 * The one rule that turns a value poll's answers into the room's estimate: the median for the
 * lever and the middle half of the answers (25th-75th percentile) for its uncertainty band,
 * exactly those answers (never widened to include the lever's current value). Used by the
 * moderator's close step in the browser and by the server's `poll:close { applyBand }` path.
 */
import { percentilesInPlace } from '../model/analysis/quantiles';
import type { PollState } from '../protocol';
import type { Band } from './bands';

export type AnswerSummary = NonNullable<PollState['summary']>;

/** Percentiles of the answers, interpolated as the model's Monte Carlo does (type 7). */
function percentiles(values: readonly number[], ps: readonly number[]): number[] {
  const out = new Float64Array(ps.length);
  percentilesInPlace(Float64Array.from(values), 0, values.length, ps, out);
  return Array.from(out);
}

/** Spread of the answers to a value poll (needs at least one answer). */
export function summarizeAnswers(values: readonly number[]): AnswerSummary {
  const [min = 0, p25 = 0, median = 0, p75 = 0, max = 0] = percentiles(
    values,
    [0, 0.25, 0.5, 0.75, 1],
  );
  return { count: values.length, min, p25, median, p75, max };
}

/** The band a poll's answers give: their middle half, labelled as the room's estimate. */
export function roomBand(summary: Pick<AnswerSummary, 'p25' | 'p75'>): Band {
  return { low: summary.p25, high: summary.p75, origin: 'poll' };
}

/** The room's band straight from the answers (none without answers). */
export function roomBandFromAnswers(values: readonly number[]): Band | null {
  return values.length === 0 ? null : roomBand(summarizeAnswers(values));
}
