import { TARGETS, type Target } from '../model';
import { formatCompact } from '../format';

/** A policy target as people say it: "$5B", "$10B", "$18B". */
export function targetAmount(t: Pick<Target, 'value'>): string {
  return `$${formatCompact(t.value / 1e9)}B`;
}

/** The $10B target (the low end of the 2028 goal), which the headline gap is measured against. */
export const GOAL_TARGET: Target = TARGETS.find((t) => t.id === 't10') ?? (TARGETS[0] as Target);

/**
 * The one framing of the targets (issue 13): "$5B policy target; $10B-$18B aspiration by 2028".
 * Each target's name in that framing, for chart lines and tables.
 */
export function targetName(t: Pick<Target, 'id' | 'value'>): string {
  if (t.id === 't5') return `${targetAmount(t)} policy target`;
  if (t.id === 't10') return `${targetAmount(t)} aspiration (low)`;
  if (t.id === 't18') return `${targetAmount(t)} aspiration (high)`;
  return `${targetAmount(t)} target`;
}
