/**
 * The write rules for the board's records and the moderator's tools (validate.ts): locks,
 * bands, the presenter view, closed polls, the decision log, decisions on record and the agenda.
 * One rule per root, each the schema of its concept plus who may write it.
 */
import * as v from 'valibot';
import type * as Y from 'yjs';
import { checkAssumptionValue, isAssumptionId } from '../model';
import { CLOSED_POLLS_MAX, LOCK_REASON_MAX, RECORD_ID_PATTERN } from './limits';
import { isPlainValue } from './plainValue';
import { DECISIONS_MAX, decisionRecordSchema } from './decision';
import { agendaCurrentSchema, agendaStepsSchema } from './agenda';
import { ROOT } from './layout';
import { lockSchema } from './locks';
import { storedBandSchema } from './bands';
import { presenterFocusSchema } from './presenter';
import { closedPollSchema } from './polls';
import { logEntrySchema } from './decisionLog';
import { ABSENT, type Judge, type Refusal } from './refusal';

/** One changed key of a root: `key` is the map key, `probe` the board after the write. */
export interface RecordChange {
  key: string;
  before: unknown;
  after: unknown;
  j: Judge;
  probe: Y.Doc;
}

/** Whether `value` is plain data that `schema` accepts. */
const parses = (schema: v.GenericSchema, value: unknown) =>
  isPlainValue(value) && v.safeParse(schema, value).success;

export const RECORD_RULES: Readonly<Record<string, (c: RecordChange) => Refusal | null>> = {
  [ROOT.locks]: ({ key, after, j }) => {
    const denied = j.moderatorOnly('locks');
    if (denied) return denied;
    if (!isAssumptionId(key)) return j.invalid('unknown assumption');
    if (after === ABSENT) return null;
    return parses(lockSchema, after)
      ? null
      : j.invalid(`must be { by, at, reason? } with a reason up to ${LOCK_REASON_MAX} characters`);
  },

  [ROOT.bands]: ({ key, after, j }) => {
    const denied = j.moderatorOnly('uncertainty bands');
    if (denied) return denied;
    if (!isAssumptionId(key)) return j.invalid('unknown assumption');
    if (after === ABSENT) return null;
    const band = isPlainValue(after) ? v.safeParse(storedBandSchema, after) : null;
    if (!band?.success)
      return j.invalid("must be { low, high, origin? } with low <= high and origin 'poll' if any");
    const inRange = (n: number) => checkAssumptionValue(key, n).ok;
    return inRange(band.output.low) && inRange(band.output.high)
      ? null
      : j.invalid('must lie inside the assumption range');
  },

  [ROOT.presenter]: ({ key, after, j }) => {
    const denied = j.moderatorOnly('what the room follows');
    if (denied) return denied;
    if (key === 'focus')
      return after === ABSENT || parses(presenterFocusSchema, after)
        ? null
        : j.invalid('must be a presenter focus');
    if (key === 'spotlight')
      return after === ABSENT ||
        after === null ||
        (typeof after === 'string' && isAssumptionId(after))
        ? null
        : j.invalid('must be an assumption id');
    return j.invalid('unknown field');
  },

  // Results are saved by the server when a poll closes; a moderator may remove one.
  [ROOT.polls]: ({ key, after, j, probe }) => {
    const denied =
      after === ABSENT ? j.moderatorOnly('poll results') : j.serverOnly('A poll result');
    if (denied) return denied;
    if (after === ABSENT) return null;
    const poll = isPlainValue(after) ? v.safeParse(closedPollSchema, after) : null;
    if (!poll?.success || poll.output.id !== key) return j.invalid('must be a closed poll');
    if (probe.getMap(ROOT.polls).size > CLOSED_POLLS_MAX)
      return j.limit(`At most ${CLOSED_POLLS_MAX} poll results.`);
    return null;
  },

  [ROOT.log]: ({ key, after, j }) => {
    const denied = j.serverOnly('The decision log');
    if (denied) return denied;
    if (after === ABSENT) return null;
    const entry = isPlainValue(after) ? v.safeParse(logEntrySchema, after) : null;
    if (!entry?.success || entry.output.id !== key || !isAssumptionId(entry.output.assumptionId))
      return j.invalid('must be a log entry');
    return null;
  },

  // The server composes and signs every record (POST .../decision); nobody edits or removes one.
  [ROOT.decisions]: ({ key, before, after, j, probe }) => {
    const denied = j.serverOnly('A decision on record');
    if (denied) return denied;
    if (after === ABSENT) return j.invalid('a decision on record cannot be removed');
    const record = isPlainValue(after) ? v.safeParse(decisionRecordSchema, after) : null;
    if (!record?.success || record.output.id !== key || !RECORD_ID_PATTERN.test(key))
      return j.invalid('must be a decision record');
    if (before !== ABSENT) return j.invalid('a decision on record cannot be changed');
    if (probe.getMap(ROOT.decisions).size > DECISIONS_MAX)
      return j.limit(`At most ${DECISIONS_MAX} decisions.`);
    return null;
  },

  // The moderator's plan for the session: editors and viewers read it, never write it.
  [ROOT.agenda]: ({ key, after, j }) => {
    const denied = j.moderatorOnly('the agenda');
    if (denied) return denied;
    if (after === ABSENT) return null;
    if (!isPlainValue(after)) return j.invalid('must be plain data');
    if (key === 'steps') {
      const steps = v.safeParse(agendaStepsSchema, after);
      if (!steps.success)
        return j.invalid('must be a list of steps { id, title, minutes, scenarioId, done }');
      if (new Set(steps.output.map((s) => s.id)).size !== steps.output.length)
        return j.invalid('lists a step twice');
      return null;
    }
    if (key === 'currentId')
      return v.safeParse(agendaCurrentSchema, after).success
        ? null
        : j.invalid('must be a step id');
    return j.invalid('unknown field');
  },
};
