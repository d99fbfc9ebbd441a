/**
 * The decision on record: what a workshop agreed, why, on what evidence and with whom.
 *
 * Stored in the board document (root `decisions`, decisionId -> DecisionRecord) so it is
 * versioned with the board and travels with every export. Written only by the server (the
 * moderator asks for it through `POST /api/boards/<id>/decision`): the server fills in who
 * recorded it (the server-issued participant identity), when (its own clock), the scenario's
 * values at that moment and the participation counts, so nobody can back-date or sign one as
 * someone else. A later record supersedes an earlier one; both stay in the record.
 */
import type * as Y from 'yjs';
import { z } from 'zod';
import { ASSUMPTIONS, isAssumptionId, type AssumptionId } from '../model';
import { formatValue } from '../format';
import { ID_MAX, KEY_MAX, POLL_QUESTION_MAX, SCENARIO_NAME_MAX } from './limits';
import { roomBand, summarizeAnswers } from './pollBand';
import { ROOT } from './layout';
import { authorSchema } from './author';
import { readClosedPolls, type ClosedPoll } from './polls';
import { readLog } from './decisionLog';
import { readScenario } from './scenarios';

/** The root type holding the records (declared in layout.ts ROOT). */
export const DECISIONS_ROOT = ROOT.decisions;

export const DECISION_REASONS_MAX = 1200;
export const DECISION_POLL_TEXT_MAX = 300;
export const DECISION_POLLS_MAX = 12;
/** Records a board keeps (a workshop records one, maybe revises it a few times). */
export const DECISIONS_MAX = 50;

/** A poll result as it informed the decision: a closed poll of the session, or typed in. */
export const decisionPollSchema = z.strictObject({
  /** The closed poll it came from; null for a result the moderator typed. */
  pollId: z.string().max(KEY_MAX).nullable(),
  question: z.string().max(POLL_QUESTION_MAX),
  result: z.string().min(1).max(DECISION_POLL_TEXT_MAX),
});
export type DecisionPoll = z.infer<typeof decisionPollSchema>;

/** Who took part, counted by the server when the decision was recorded. */
export const participationSchema = z.strictObject({
  /** People connected to the board then (distinct participants), by role. */
  moderators: z.number().int().nonnegative(),
  editors: z.number().int().nonnegative(),
  viewers: z.number().int().nonnegative(),
  /** Distinct people who changed an assumption during the board's life. */
  contributors: z.number().int().nonnegative(),
  /** The most answers any of the cited polls had. */
  voters: z.number().int().nonnegative(),
});
export type Participation = z.infer<typeof participationSchema>;

export const decisionRecordSchema = z.strictObject({
  id: z.string().max(KEY_MAX),
  scenarioId: z.string().max(ID_MAX),
  /** The scenario's name and values when the decision was recorded (the scenario may change later). */
  scenarioName: z.string().max(SCENARIO_NAME_MAX),
  values: z.record(z.string().max(ID_MAX), z.number().finite()),
  reasons: z.string().min(1).max(DECISION_REASONS_MAX),
  polls: z.array(decisionPollSchema).max(DECISION_POLLS_MAX),
  participation: participationSchema,
  by: authorSchema.extend({ id: z.string().max(KEY_MAX) }),
  at: z.number().finite(),
});
export type DecisionRecord = z.infer<typeof decisionRecordSchema>;

/** What the moderator sends; everything else is the server's to fill in. */
export const decisionRequestSchema = z.strictObject({
  scenarioId: z.string().min(1).max(ID_MAX),
  reasons: z
    .string()
    .trim()
    .min(1, 'Write the reasons in a few lines')
    .max(DECISION_REASONS_MAX, `Reasons fit in ${DECISION_REASONS_MAX} characters`),
  /** Ids of polls closed on this board whose results informed the decision. */
  pollIds: z.array(z.string().max(KEY_MAX)).max(DECISION_POLLS_MAX).default([]),
  /** Results typed by the moderator (e.g. a show of hands in the room). */
  typedPolls: z
    .array(
      z.strictObject({
        question: z.string().trim().max(POLL_QUESTION_MAX).default(''),
        result: z.string().trim().min(1).max(DECISION_POLL_TEXT_MAX),
      }),
    )
    .max(DECISION_POLLS_MAX)
    .default([]),
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

/**
 * A closed poll's result in one line, as a memo quotes it:
 * "Skills-first 7, Status quo 2 (9 answers)" or
 * "Conversion rate: median 4.5%, middle half 3.0% - 6.0% (12 answers)".
 */
export function pollResultText(poll: ClosedPoll): string {
  const answers = `${poll.voters} ${poll.voters === 1 ? 'answer' : 'answers'}`;
  if (poll.kind === 'choice') {
    const options = [...poll.options].sort((a, b) => b.votes - a.votes);
    return `${options.map((o) => `${o.label} ${o.votes}`).join(', ')} (${answers})`.slice(
      0,
      DECISION_POLL_TEXT_MAX,
    );
  }
  const id = poll.assumptionId;
  if (!id || !isAssumptionId(id) || poll.values.length === 0) return `No answers (${answers})`;
  const spec = ASSUMPTIONS[id];
  const s = summarizeAnswers(poll.values);
  const band = roomBand(s);
  const f = (v: number) => formatValue(spec, v);
  return `${spec.label}: median ${f(s.median)}, middle half ${f(band.low)} - ${f(band.high)} (${answers})`;
}

/** The agreed scenario's assumptions as "label: value" lines (for the card, print and CSV). */
export function decisionValueLines(
  record: DecisionRecord,
): { id: AssumptionId; label: string; value: string }[] {
  const out: { id: AssumptionId; label: string; value: string }[] = [];
  for (const [id, v] of Object.entries(record.values)) {
    if (!isAssumptionId(id)) continue;
    out.push({ id, label: ASSUMPTIONS[id].label, value: formatValue(ASSUMPTIONS[id], v) });
  }
  return out;
}

/** "Recorded by Maria on 2 December 2026, 14:05" style absolute date and time, in the reader's locale. */
export function formatDateTime(at: number, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(at);
}

/** A request the board cannot turn into a record (unknown scenario or poll); `field` names it. */
export class DecisionRequestError extends Error {
  override name = 'DecisionRequestError';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/**
 * Build the record the server writes: the moderator's words and choices, the board's facts
 * (scenario name and values, cited polls' results) and the server's (who, when, who was there).
 */
export function composeDecision(
  doc: Y.Doc,
  request: DecisionRequest,
  context: {
    id: string;
    by: { id: string; name: string; color: string };
    /** Distinct participants connected now, by role. */
    present: { moderators: number; editors: number; viewers: number };
    now: number;
  },
): DecisionRecord {
  const scenario = readScenario(doc, request.scenarioId);
  if (!scenario) throw new DecisionRequestError('That scenario is not on the board', 'scenarioId');
  const closed = new Map(readClosedPolls(doc).map((p) => [p.id, p]));
  const polls: DecisionPoll[] = [];
  let voters = 0;
  for (const pollId of new Set(request.pollIds)) {
    const poll = closed.get(pollId);
    if (!poll)
      throw new DecisionRequestError('No closed poll with that id on this board', 'pollIds');
    voters = Math.max(voters, poll.voters);
    polls.push({ pollId, question: poll.question, result: pollResultText(poll) });
  }
  for (const typed of request.typedPolls)
    polls.push({ pollId: null, question: typed.question, result: typed.result });
  if (polls.length > DECISION_POLLS_MAX)
    throw new DecisionRequestError(`Cite at most ${DECISION_POLLS_MAX} poll results`, 'pollIds');
  const contributors = new Set(readLog(doc).map((e) => e.by.id ?? e.by.name)).size;
  return {
    id: context.id,
    scenarioId: scenario.id,
    scenarioName: scenario.name,
    values: { ...scenario.values },
    reasons: request.reasons,
    polls,
    participation: { ...context.present, contributors, voters },
    by: { id: context.by.id, name: context.by.name, color: context.by.color },
    at: context.now,
  };
}

const counted = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "Present: 1 moderator, 5 editors, 2 viewers · 6 people changed assumptions · 9 answered a poll" */
export function participationText(p: Participation): string {
  const parts = [
    `Present: ${counted(p.moderators, 'moderator', 'moderators')}, ${counted(p.editors, 'editor', 'editors')}, ${counted(p.viewers, 'viewer', 'viewers')}`,
    `${counted(p.contributors, 'person', 'people')} changed assumptions`,
  ];
  if (p.voters > 0) parts.push(`${p.voters} answered the cited poll${p.voters === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

/** "3 min ago", "7 days ago", "5 weeks ago": the secondary, relative half of a time label. */
export function formatAgo(at: number, now = Date.now(), locale?: string): string {
  const s = Math.round((now - at) / 1000);
  if (Math.abs(s) < 45) return 'just now';
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'always' });
  const steps: [number, Intl.RelativeTimeFormatUnit][] = [
    [60, 'minute'],
    [3600, 'hour'],
    [86_400, 'day'],
    [14 * 86_400, 'week'],
    [61 * 86_400, 'month'],
    [730 * 86_400, 'year'],
  ];
  const unitSeconds = {
    minute: 60,
    hour: 3600,
    day: 86_400,
    week: 604_800,
    month: 2_629_800,
    year: 31_557_600,
  } as Record<string, number>;
  let unit: Intl.RelativeTimeFormatUnit = 'minute';
  for (const [threshold, u] of steps) if (Math.abs(s) >= threshold) unit = u;
  return rtf.format(-Math.round(s / unitSeconds[unit]!), unit);
}
