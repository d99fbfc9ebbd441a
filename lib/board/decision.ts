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
import { ASSUMPTIONS, isAssumptionId, type AssumptionId } from '../model';
import { formatValue } from '../format';
import { roomBand, summarizeAnswers } from './pollBand';
import { readClosedPolls, type ClosedPoll } from './polls';
import { readLogOnce } from './decisionLog';
import { readScenario } from './scenarios';

/** The root type holding the records (declared in layout.ts ROOT). */
export * from './decisionRecord';
import {
  DECISION_POLL_TEXT_MAX,
  DECISION_POLLS_MAX,
  type DecisionPoll,
  type DecisionRecord,
  type DecisionRequest,
  type Participation,
} from './decisionRecord';

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
  const contributors = new Set(readLogOnce(doc).map((e) => e.by.id ?? e.by.name)).size;
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
