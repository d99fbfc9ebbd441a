/**
 * The decision record as stored (root `decisions`): its schemas, reading the one that stands and
 * writing one. Split from decision.ts, which composes records (poll summaries, participation), so
 * that a page showing whether a decision exists loads no poll statistics (issue 11's phone budget).
 */
import type * as Y from 'yjs';
import * as z from 'zod/mini';
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
export const decisionPollSchema = z.strictObject({
  /** The closed poll it came from; null for a result the moderator typed. */
  pollId: z.nullable(z.string().check(z.maxLength(KEY_MAX))),
  question: z.string().check(z.maxLength(POLL_QUESTION_MAX)),
  result: z.string().check(z.minLength(1), z.maxLength(DECISION_POLL_TEXT_MAX)),
});
export type DecisionPoll = z.infer<typeof decisionPollSchema>;

/** Who took part, counted by the server when the decision was recorded. */
export const participationSchema = z.strictObject({
  /** People connected to the board then (distinct participants), by role. */
  moderators: z.number().check(z.int(), z.nonnegative()),
  editors: z.number().check(z.int(), z.nonnegative()),
  viewers: z.number().check(z.int(), z.nonnegative()),
  /** Distinct people who changed an assumption during the board's life. */
  contributors: z.number().check(z.int(), z.nonnegative()),
  /** The most answers any of the cited polls had. */
  voters: z.number().check(z.int(), z.nonnegative()),
});
export type Participation = z.infer<typeof participationSchema>;

export const decisionRecordSchema = z.strictObject({
  id: z.string().check(z.maxLength(KEY_MAX)),
  scenarioId: z.string().check(z.maxLength(ID_MAX)),
  /** The scenario's name and values when the decision was recorded (the scenario may change later). */
  scenarioName: z.string().check(z.maxLength(SCENARIO_NAME_MAX)),
  values: z.record(z.string().check(z.maxLength(ID_MAX)), z.number()),
  reasons: z.string().check(z.minLength(1), z.maxLength(DECISION_REASONS_MAX)),
  polls: z.array(decisionPollSchema).check(z.maxLength(DECISION_POLLS_MAX)),
  participation: participationSchema,
  by: z.extend(authorSchema, { id: z.string().check(z.maxLength(KEY_MAX)) }),
  at: z.number(),
});
export type DecisionRecord = z.infer<typeof decisionRecordSchema>;

/** What the moderator sends; everything else is the server's to fill in. */
export const decisionRequestSchema = z.strictObject({
  scenarioId: z.string().check(z.minLength(1), z.maxLength(ID_MAX)),
  reasons: z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'Write the reasons in a few lines'),
      z.maxLength(DECISION_REASONS_MAX, `Reasons fit in ${DECISION_REASONS_MAX} characters`),
    ),
  /** Ids of polls closed on this board whose results informed the decision. */
  pollIds: z._default(
    z.array(z.string().check(z.maxLength(KEY_MAX))).check(z.maxLength(DECISION_POLLS_MAX)),
    [],
  ),
  /** Results typed by the moderator (e.g. a show of hands in the room). */
  typedPolls: z._default(
    z
      .array(
        z.strictObject({
          question: z._default(z.string().check(z.trim(), z.maxLength(POLL_QUESTION_MAX)), ''),
          result: z.string().check(z.trim(), z.minLength(1), z.maxLength(DECISION_POLL_TEXT_MAX)),
        }),
      )
      .check(z.maxLength(DECISION_POLLS_MAX)),
    [],
  ),
});
export type DecisionRequest = z.infer<typeof decisionRequestSchema>;

/** Every decision on record, newest first (invalid entries ignored). */
export function readDecisions(doc: Y.Doc): DecisionRecord[] {
  const out: DecisionRecord[] = [];
  for (const value of doc.getMap<unknown>(DECISIONS_ROOT).values()) {
    const parsed = decisionRecordSchema.safeParse(value);
    if (parsed.success) out.push(parsed.data);
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
