/**
 * Turning what someone typed into an assumption value, and saying what happened to it.
 * Pure functions (no React, no Yjs) so they can be tested alone.
 */
import type { AssumptionSpec } from '../model';
import { formatValue } from '../format';

/** Why typed text is not a value: `code` lets the UI say it in the page's language. */
export type InputProblem = 'empty' | 'notNumber' | 'tooLarge';
export type ParsedInput =
  { ok: true; value: number } | { ok: false; error: string; code: InputProblem };

const SUFFIX: Record<string, number> = { k: 1e3, m: 1e6, b: 1e9 };

/**
 * Parse typed text: tolerates thousands separators, spaces, a leading "$", a trailing "%" and
 * k/M/B suffixes on counts and money ("40k", "1.2M"). Never returns NaN or Infinity.
 */
export function parseAssumptionInput(spec: AssumptionSpec, text: string): ParsedInput {
  let s = text
    .trim()
    .toLowerCase()
    .replace(/[,\s_]/g, '')
    .replace(/^\$/, '')
    .replace(/%$/, '');
  if (s === '') return { ok: false, error: 'Enter a number.', code: 'empty' };
  let factor = 1;
  const last = s[s.length - 1] ?? '';
  // "$B" assumptions are already in billions: a trailing "b" there is just the unit.
  if (last in SUFFIX && spec.unit !== 'year' && !spec.unit.includes('%')) {
    factor = spec.unit === '$B' ? (last === 'b' ? 1 : 0) : (SUFFIX[last] ?? 1);
    s = s.slice(0, -1);
  }
  if (factor === 0 || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/.test(s)) {
    return {
      ok: false,
      error: `“${text.trim().slice(0, 20)}” is not a number.`,
      code: 'notNumber',
    };
  }
  const value = Number(s) * factor;
  if (!Number.isFinite(value))
    return { ok: false, error: 'That number is too large.', code: 'tooLarge' };
  return { ok: true, value };
}

/** What to tell the person when the stored value differs from what they asked for; null if equal. */
export function adjustmentMessage(
  spec: AssumptionSpec,
  requested: number,
  stored: number,
): string | null {
  const kind = adjustmentKind(spec, requested, stored);
  if (kind === null) return null;
  const shown = formatValue(spec, stored);
  if (kind === 'max') return `Clamped to ${shown} (max)`;
  if (kind === 'min') return `Clamped to ${shown} (min)`;
  return `Rounded to ${shown}`;
}

/** How the stored value differs from the requested one (for messages in other languages). */
export function adjustmentKind(
  spec: AssumptionSpec,
  requested: number,
  stored: number,
): 'max' | 'min' | 'rounded' | null {
  if (requested === stored) return null;
  if (requested > spec.max) return 'max';
  if (requested < spec.min) return 'min';
  return 'rounded';
}

// Built once: toLocaleString with options builds a new formatter on every call (every row, every
// render of a lever drag).
const GROUPED = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4, useGrouping: true });
const PLAIN = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4, useGrouping: false });

/** The number shown in an assumption's text box: exact, grouped for big counts, no unit. */
export function formatInputValue(spec: AssumptionSpec, value: number): string {
  if (!Number.isFinite(value)) return '';
  if (spec.unit === 'year') return String(Math.round(value));
  return (Math.abs(value) >= 10_000 ? GROUPED : PLAIN).format(value);
}
