/**
 * The decision record as stored (root `decisions`): its schemas, reading the one that stands and
 * writing one. Split from decision.ts, which composes records (poll summaries, participation), so
 * that a page showing whether a decision exists loads no poll statistics (issue 11's phone budget).
 */
import type * as Y from 'yjs';
import * as v from 'valibot';
import { notArray } from '../notArray';
import { ID_MAX, KEY_MAX, POLL_QUESTION_MAX, SCENARIO_NAME_MAX } from './limits';
import { ROOT } from './layout';
import { authorSchema } from './author';

export const DECISIONS_ROOT = ROOT.decisions;

export const DECISION_REASONS_MAX = 1200;
export const DECISION_POLL_TEXT_MAX = 300;
export const DECISION_POLLS_MAX = 12;
/** Records a board keeps (a workshop records one, maybe revises it a few times). */
export const DECISIONS_MAX = 50;

/** A poll result as it informed the decision: a closed poll of the session, or typed in. */
export const decisionPollSchema = v.strictObject({
  /** The closed poll it came from; null for a result the moderator typed. */
  pollId: v.nullable(v.pipe(v.string(), v.maxLength(KEY_MAX))),
  question: v.pipe(v.string(), v.maxLength(POLL_QUESTION_MAX)),
  result: v.pipe(v.string(), v.minLength(1), v.maxLength(DECISION_POLL_TEXT_MAX)),
});
export type DecisionPoll = v.InferOutput<typeof decisionPollSchema>;

/** Who took part, counted by the server when the decision was recorded. */
export const participationSchema = v.strictObject({
  /** People connected to the board then (distinct participants), by role. */
  moderators: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  editors: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  viewers: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  /** Distinct people who changed an assumption during the board's life. */
  contributors: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  /** The most answers any of the cited polls had. */
  voters: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
});
export type Participation = v.InferOutput<typeof participationSchema>;

export const decisionRecordSchema = v.strictObject({
  id: v.pipe(v.string(), v.maxLength(KEY_MAX)),
  scenarioId: v.pipe(v.string(), v.maxLength(ID_MAX)),
  /** The scenario's name and values when the decision was recorded (the scenario may change later). */
  scenarioName: v.pipe(v.string(), v.maxLength(SCENARIO_NAME_MAX)),
  values: notArray(
    v.record(v.pipe(v.string(), v.maxLength(ID_MAX)), v.pipe(v.number(), v.finite())),
  ),
  reasons: v.pipe(v.string(), v.minLength(1), v.maxLength(DECISION_REASONS_MAX)),
  polls: v.pipe(v.array(decisionPollSchema), v.maxLength(DECISION_POLLS_MAX)),
  participation: participationSchema,
  by: v.strictObject({ ...authorSchema.entries, id: v.pipe(v.string(), v.maxLength(KEY_MAX)) }),
  at: v.pipe(v.number(), v.finite()),
});
export type DecisionRecord = v.InferOutput<typeof decisionRecordSchema>;

/** What the moderator sends; everything else is the server's to fill in. */
export const decisionRequestSchema = v.strictObject({
  scenarioId: v.pipe(v.string(), v.minLength(1), v.maxLength(ID_MAX)),
  reasons: v.pipe(
    v.string(),
    v.trim(),
    v.minLength(1, 'Write the reasons in a few lines'),
    v.maxLength(DECISION_REASONS_MAX, `Reasons fit in ${DECISION_REASONS_MAX} characters`),
  ),
  /** Ids of polls closed on this board whose results informed the decision. */
  pollIds: v.optional(
    v.pipe(v.array(v.pipe(v.string(), v.maxLength(KEY_MAX))), v.maxLength(DECISION_POLLS_MAX)),
    [],
  ),
  /** Results typed by the moderator (e.g. a show of hands in the room). */
  typedPolls: v.optional(
    v.pipe(
      v.array(
        v.strictObject({
          question: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(POLL_QUESTION_MAX)), ''),
          result: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(DECISION_POLL_TEXT_MAX)),
        }),
      ),
      v.maxLength(DECISION_POLLS_MAX),
    ),
    [],
  ),
});
export type DecisionRequest = v.InferOutput<typeof decisionRequestSchema>;

/** Every decision on record, newest first (invalid entries ignored). */
export function readDecisions(doc: Y.Doc): DecisionRecord[] {
  const out: DecisionRecord[] = [];
  for (const value of doc.getMap<unknown>(DECISIONS_ROOT).values()) {
    const parsed = v.safeParse(decisionRecordSchema, value);
    if (parsed.success) out.push(parsed.output);
  }
  return out.sort((a, b) => b.at - a.at || b.id.localeCompare(a.id));
}

/** The decision that stands (the latest), or null. */
export function currentDecision(doc: Y.Doc): DecisionRecord | null {
  return readDecisions(doc)[0] ?? null;
}

/** Write a record (server only: the validation stage refuses it from anyone else). */
export function saveDecision(doc: Y.Doc, record: DecisionRecord): void {
  doc.getMap<unknown>(DECISIONS_ROOT).set(record.id, record);
}

/** "Recorded by Maria on 2 December 2026, 14:05" style absolute date and time, in the reader's locale. */
export function formatDateTime(at: number, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(at);
}
