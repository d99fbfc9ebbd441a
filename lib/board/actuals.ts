/**
 * Reported actuals for past years (meta.actuals; moderators only; R22 in lib/model/README.md):
 * their schema, reading, writing and the write check the server applies.
 */
import type * as Y from 'yjs';
import * as v from 'valibot';
import {
  FIRST_ACTUAL_YEAR,
  LAST_ACTUAL_YEAR,
  MAX_ACTUALS,
  MAX_ACTUAL_SOURCE,
  MAX_ACTUAL_USD,
  type Actual,
} from '../model';
import { metaOf } from './layout';

/**
 * One reported past year, as stored in meta.actuals. Years from the year after the model's base
 * year; the write check (actualsProblem) also refuses the current year and later, which have not
 * been reported yet. USD, not billions, like the model's outputs.
 */
export const actualSchema = v.pipe(
  v.strictObject({
    year: v.pipe(
      v.number(),
      v.safeInteger('The year must be a whole year.'),
      v.minValue(
        FIRST_ACTUAL_YEAR,
        `Actuals start in ${FIRST_ACTUAL_YEAR} (2023 is the model's base year).`,
      ),
      v.maxValue(LAST_ACTUAL_YEAR, `The year must be ${LAST_ACTUAL_YEAR} or earlier.`),
    ),
    // No v.finite(): the bounds refuse Infinity, in their own words.
    totalUsd: v.pipe(
      v.number(),
      v.minValue(0, 'The total cannot be negative.'),
      v.maxValue(MAX_ACTUAL_USD, 'The total must be under $1,000B.'),
    ),
    freelanceUsd: v.optional(
      v.pipe(
        v.number(),
        v.minValue(0, 'The freelancers figure cannot be negative.'),
        v.maxValue(MAX_ACTUAL_USD, 'The freelancers figure must be under $1,000B.'),
      ),
    ),
    source: v.pipe(
      v.string(),
      v.trim(),
      v.minLength(1, 'Say where the figure comes from.'),
      v.maxLength(MAX_ACTUAL_SOURCE, `The source must be up to ${MAX_ACTUAL_SOURCE} characters.`),
    ),
  }),
  v.forward(
    v.check(
      (a) => a.freelanceUsd === undefined || a.freelanceUsd <= a.totalUsd,
      'Freelancers are part of the total: their figure cannot exceed it.',
    ),
    ['freelanceUsd'],
  ),
);

/** A board's actuals: at most MAX_ACTUALS, one per year. */
export const actualsSchema = v.pipe(
  v.array(actualSchema),
  v.maxLength(MAX_ACTUALS, `At most ${MAX_ACTUALS} reported years.`),
  v.check(
    (list) => new Set(list.map((a) => a.year)).size === list.length,
    'Each year can be reported once.',
  ),
);

/** The latest year an actual may be written for: the last full year before `now`. */
export function lastReportableYear(now: number = Date.now()): number {
  return Math.min(LAST_ACTUAL_YEAR, new Date(now).getUTCFullYear() - 1);
}

/**
 * Why a meta.actuals value is refused, in words for the moderator, or null if it is fine: the
 * schema's rules plus "only years already over" (the current year has not been reported yet).
 */
export function actualsProblem(value: unknown, now: number = Date.now()): string | null {
  const parsed = v.safeParse(actualsSchema, value);
  if (!parsed.success) return parsed.issues[0]?.message ?? 'must be a list of reported years';
  const last = lastReportableYear(now);
  const late = parsed.output.find((a) => a.year > last);
  return late ? `Actuals are for years already over: ${late.year} is after ${last}.` : null;
}

/** The board's reported actuals by year (invalid entries ignored: the server refuses them). */
export function readActuals(doc: Y.Doc): Actual[] {
  const raw = metaOf(doc).get('actuals');
  if (!Array.isArray(raw)) return [];
  const byYear = new Map<number, Actual>();
  for (const entry of raw.slice(0, MAX_ACTUALS)) {
    const a = v.safeParse(actualSchema, entry);
    if (a.success && !byYear.has(a.output.year)) byYear.set(a.output.year, a.output);
  }
  return [...byYear.values()].sort((x, y) => x.year - y.year);
}

/** Replace the board's actuals (moderators; the server refuses it from anyone else). */
export function setActuals(doc: Y.Doc, actuals: readonly Actual[]): void {
  const list = [...actuals].sort((x, y) => x.year - y.year).map((a) => ({ ...a }));
  if (list.length === 0) metaOf(doc).delete('actuals');
  else metaOf(doc).set('actuals', list);
}
