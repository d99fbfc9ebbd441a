/**
 * The one validation and authorization stage for every write to a board: Yjs updates from
 * clients, HTTP imports, and changes the server makes itself (restores, closed polls).
 *
 * The server applies a write to a probe copy of the board inside one Yjs transaction, then asks
 * `checkTransaction` whether what that transaction changed may stand. Only the final values
 * matter (a change followed by its own undo is no change), and every change is judged:
 * writes and deletions alike, against the schema, the writer's role, locks, the board's
 * invariants and its limits. Fails closed: a value that is not plain data is refused, never
 * stringified or stripped.
 */
import * as Y from 'yjs';
import type { ParticipantIdentity, Role } from '../protocol';
import {
  ASSUMPTIONS,
  checkAssumptionValue,
  getModel,
  isAssumptionId,
  type AssumptionId,
} from '../model';
import {
  CLOSED_POLLS_MAX,
  COMMENTS_MAX,
  KEY_MAX,
  LOCK_REASON_MAX,
  LOG_ENTRIES_MAX,
  NOTES_MAX,
  RECORD_ID_PATTERN,
  SCENARIOS_MAX,
  SCENARIO_ID_PATTERN,
  SCENARIO_NAME_MAX,
  TITLE_MAX,
} from './limits';
import { isPlainValue, sameValue } from './plainValue';
import { SCHEMA_VERSION } from './schemaVersion';
import { LOCALES, isLocale } from '../i18n/locales';
import { BASELINE_DELETE, scenarioHold } from './facilitation';
import { DECISIONS_MAX, decisionRecordSchema } from './decision';
import { agendaCurrentSchema, agendaStepsSchema } from './agenda';
import {
  ROOT,
  actualsSchema,
  lastReportableYear,
  bandSchema,
  closedPollSchema,
  commentSchema,
  lockSchema,
  logEntrySchema,
  presenterFocusSchema,
  readLocks,
  readMeta,
  readPresenter,
  readScenario,
  type Comment,
} from './schema';

/** Who is writing: a connection's role and participant, or the server itself. */
export interface Actor {
  role: Role | 'server';
  participant: ParticipantIdentity | null;
}

export const SERVER_ACTOR: Actor = { role: 'server', participant: null };

/** A map key that is not there (as opposed to one holding `undefined`). */
export const ABSENT: unique symbol = Symbol('absent');

/**
 * Why a write was refused. `kind` lets the UI pick its words; `message` is already plain
 * words a participant can read.
 */
export type RefusalKind =
  'malformed' | 'invalid' | 'viewOnly' | 'frozen' | 'locked' | 'forbidden' | 'limit';
export interface Refusal {
  kind: RefusalKind;
  /** Where in the board, e.g. "scenarios.ab12cd34ef56.values.conversionRate". */
  path: string;
  message: string;
}

/** An assumption value the write changed (the server logs these). */
export interface AssumptionChange {
  scenarioId: string;
  id: AssumptionId;
  from: number | null;
  to: number;
}

export interface CheckResult {
  refusal: Refusal | null;
  assumptionChanges: AssumptionChange[];
}

/** Where a shared type sits in the board layout. */
type Place =
  | { kind: 'root'; name: string }
  | { kind: 'scenario'; scenarioId: string }
  | { kind: 'values'; scenarioId: string }
  | { kind: 'unknown' };

/** One key whose value differs between the board before and after the write. */
interface Change {
  path: string[];
  before: unknown;
  after: unknown;
}

/** The names of a board's root types: anything else is not part of a board. */
export const ROOT_NAMES: ReadonlySet<string> = new Set(Object.values(ROOT));

const refuse = (kind: RefusalKind, path: string[] | string, message: string): CheckResult => ({
  refusal: { kind, path: typeof path === 'string' ? path : path.join('.'), message },
  assumptionChanges: [],
});

/**
 * Judge what transaction `tr` changed on `probe` (the board after the write), comparing with
 * `truth` (the board before it). Never throws on hostile content; the caller still treats an
 * exception as a refusal.
 */
export function checkTransaction(
  probe: Y.Doc,
  truth: Y.Doc,
  tr: Y.Transaction,
  actor: Actor,
): CheckResult {
  const changes: Change[] = [];
  for (const [type, keys] of tr.changed) {
    const place = placeOf(probe, type);
    if (place.kind === 'unknown') return refuse('malformed', '?', 'change outside the board');
    if (place.kind === 'root' && !ROOT_NAMES.has(place.name))
      return refuse('malformed', place.name, 'not part of a board');
    if (place.kind === 'root' && place.name === ROOT.scenarioOrder) {
      // Keyed entries on an array are invisible to every reader: hidden content.
      if (!(type instanceof Y.Array) || [...keys].some((k) => k !== null))
        return refuse('malformed', 'scenarioOrder', 'must be a plain list');
      const before = truth.getArray(ROOT.scenarioOrder).toArray();
      const after = type.toArray();
      if (!sameValue(before, after)) changes.push({ path: [ROOT.scenarioOrder], before, after });
      continue;
    }
    const base = basePath(place);
    if (!(type instanceof Y.Map)) return refuse('malformed', base, 'must be a map');
    // List items inside a map are invisible to toJSON and to every reader: hidden content.
    if (keys.has(null)) return refuse('malformed', base, 'must be a map without list items');
    for (const key of keys) {
      if (key === null) continue;
      const path = [...base, key];
      const after: unknown = type.has(key) ? type.get(key) : ABSENT;
      const before = rawAt(truth, path);
      if (!sameValue(before, after)) changes.push({ path, before, after });
    }
  }
  if (changes.length === 0) return { refusal: null, assumptionChanges: [] };

  if (actor.role === 'viewer')
    return refuse('viewOnly', changes[0]!.path, 'This board is view-only: changes are not saved.');
  if (actor.role === 'editor' && readMeta(truth).frozen)
    return refuse('frozen', changes[0]!.path, 'The moderator has frozen the board for now.');

  const assumptionChanges: AssumptionChange[] = [];
  for (const change of changes) {
    const problem = checkChange(change, actor, probe, truth);
    if (problem) return { refusal: problem, assumptionChanges: [] };
    const [root, sid, field, id] = change.path;
    if (
      root === ROOT.scenarios &&
      field === 'values' &&
      sid !== undefined &&
      id !== undefined &&
      isAssumptionId(id) &&
      typeof change.after === 'number'
    ) {
      const from = typeof change.before === 'number' ? change.before : null;
      assumptionChanges.push({ scenarioId: sid, id, from, to: change.after });
    }
  }
  const offModel = modelRefusal(probe, changes);
  if (offModel) return { refusal: offModel, assumptionChanges: [] };
  if (actor.role === 'editor') {
    const held = scenarioRefusal(truth, changes);
    if (held) return { refusal: held, assumptionChanges: [] };
    const locked = lockedRefusal(probe, truth, changes);
    if (locked) return { refusal: locked, assumptionChanges: [] };
  }
  const broken = newInvariantViolation(probe, truth);
  if (broken) return { refusal: broken, assumptionChanges: [] };
  return { refusal: null, assumptionChanges };
}

/**
 * The board's model after the write decides which assumptions a scenario may hold: a v1 board
 * has no programme (model v2 added it), and a model or version this build does not know is
 * refused (fail closed: its assumptions are unknown).
 */
function modelRefusal(probe: Y.Doc, changes: Change[]): Refusal | null {
  const meta = readMeta(probe);
  const model = getModel(meta.modelId, meta.modelVersion);
  const ids: ReadonlySet<string> = new Set(model?.assumptionIds ?? []);
  const unknownModel = `model ${meta.modelId} v${meta.modelVersion} is not one this server knows`;
  for (const { path, after } of changes) {
    const [root, sid, field, id] = path;
    if (root === ROOT.meta && (sid === 'modelId' || sid === 'modelVersion') && !model)
      return { kind: 'invalid', path: path.join('.'), message: unknownModel };
    if (root !== ROOT.scenarios || after === ABSENT) continue;
    let written: Iterable<string> = [];
    if (field === undefined && after instanceof Y.Map) {
      const values: unknown = after.get('values');
      if (values instanceof Y.Map) written = (values as Y.Map<unknown>).keys();
    } else if (field === 'values' && id === undefined && after instanceof Y.Map)
      written = (after as Y.Map<unknown>).keys();
    else if (field === 'values' && id !== undefined) written = [id];
    for (const key of written) {
      if (ids.has(key)) continue;
      return {
        kind: 'invalid',
        path: path.join('.'),
        message: model
          ? `${key} is not an assumption of model ${model.id} v${model.version}`
          : unknownModel,
      };
    }
  }
  return null;
}

/** The rules for one changed key: schema, then who may change it. */
function checkChange(change: Change, actor: Actor, probe: Y.Doc, truth: Y.Doc): Refusal | null {
  const { path, before, after } = change;
  const where = path.join('.');
  const invalid = (message: string): Refusal => ({ kind: 'invalid', path: where, message });
  const moderatorOnly = (what: string): Refusal | null =>
    actor.role === 'moderator' || actor.role === 'server'
      ? null
      : { kind: 'forbidden', path: where, message: `Only the moderator can change ${what}.` };
  const serverOnly = (what: string): Refusal | null =>
    actor.role === 'server'
      ? null
      : { kind: 'forbidden', path: where, message: `${what} is written by the server only.` };
  const [root, key, field, sub] = path;
  if (key !== undefined && key.length > KEY_MAX) return invalid('key too long');

  switch (root) {
    case ROOT.scenarioOrder: {
      const ids = after as unknown[];
      if (!ids.every((v) => typeof v === 'string' && v.length <= 64))
        return invalid('must list scenario ids');
      return null;
    }
    case ROOT.meta:
      return checkMeta(key!, before, after, invalid, moderatorOnly, serverOnly);
    case ROOT.scenarios: {
      if (field === undefined) {
        if (!SCENARIO_ID_PATTERN.test(key!)) return invalid('not a scenario id');
        if (after === ABSENT) return null; // deleting a scenario: the invariants judge it
        if (
          scenarioMapSize(probe) > SCENARIOS_MAX &&
          scenarioMapSize(probe) > scenarioMapSize(truth)
        )
          return {
            kind: 'limit',
            path: where,
            message: `A board can have at most ${SCENARIOS_MAX} scenarios.`,
          };
        return checkNewScenario(key!, after, invalid);
      }
      if (sub === undefined) return checkScenarioField(field, before, after, actor, invalid);
      if (after === ABSENT) return invalid('an assumption value cannot be removed');
      return checkAssumptionField(sub, after, invalid);
    }
    case ROOT.locks: {
      const denied = moderatorOnly('locks');
      if (denied) return denied;
      if (!isAssumptionId(key!)) return invalid('unknown assumption');
      if (after === ABSENT) return null;
      if (!isPlainValue(after) || !lockSchema.safeParse(after).success)
        return invalid(
          `must be { by, at, reason? } with a reason up to ${LOCK_REASON_MAX} characters`,
        );
      return null;
    }
    case ROOT.bands: {
      const denied = moderatorOnly('uncertainty bands');
      if (denied) return denied;
      if (!isAssumptionId(key!)) return invalid('unknown assumption');
      if (after === ABSENT) return null;
      const band = isPlainValue(after) ? bandSchema.safeParse(after) : null;
      if (!band?.success || band.data.low > band.data.high)
        return invalid("must be { low, high, origin? } with low <= high and origin 'poll' if any");
      const id = key ?? '';
      const ok =
        checkAssumptionValue(id, band.data.low).ok && checkAssumptionValue(id, band.data.high).ok;
      return ok ? null : invalid('must lie inside the assumption range');
    }
    case ROOT.presenter: {
      const denied = moderatorOnly('what the room follows');
      if (denied) return denied;
      if (key === 'focus') {
        if (after === ABSENT) return null;
        return isPlainValue(after) && presenterFocusSchema.safeParse(after).success
          ? null
          : invalid('must be a presenter focus');
      }
      if (key === 'spotlight')
        return after === ABSENT ||
          after === null ||
          (typeof after === 'string' && isAssumptionId(after))
          ? null
          : invalid('must be an assumption id');
      return invalid('unknown field');
    }
    case ROOT.polls: {
      // Results are saved by the server when a poll closes; a moderator may remove one.
      const denied = after === ABSENT ? moderatorOnly('poll results') : serverOnly('A poll result');
      if (denied) return denied;
      if (after === ABSENT) return null;
      const poll = isPlainValue(after) ? closedPollSchema.safeParse(after) : null;
      if (!poll?.success || poll.data.id !== key) return invalid('must be a closed poll');
      if (probe.getMap(ROOT.polls).size > CLOSED_POLLS_MAX)
        return { kind: 'limit', path: where, message: `At most ${CLOSED_POLLS_MAX} poll results.` };
      return null;
    }
    case ROOT.log: {
      const denied = serverOnly('The decision log');
      if (denied) return denied;
      if (after === ABSENT) return null;
      const entry = isPlainValue(after) ? logEntrySchema.safeParse(after) : null;
      if (!entry?.success || entry.data.id !== key || !isAssumptionId(entry.data.assumptionId))
        return invalid('must be a log entry');
      return null;
    }
    case ROOT.decisions: {
      // The server composes and signs every record (POST .../decision); nobody edits or removes one.
      const denied = serverOnly('A decision on record');
      if (denied) return denied;
      if (after === ABSENT) return invalid('a decision on record cannot be removed');
      const record = isPlainValue(after) ? decisionRecordSchema.safeParse(after) : null;
      if (!record?.success || record.data.id !== key || !RECORD_ID_PATTERN.test(key))
        return invalid('must be a decision record');
      if (before !== ABSENT) return invalid('a decision on record cannot be changed');
      if (probe.getMap(ROOT.decisions).size > DECISIONS_MAX)
        return { kind: 'limit', path: where, message: `At most ${DECISIONS_MAX} decisions.` };
      return null;
    }
    case ROOT.agenda: {
      // The moderator's plan for the session: editors and viewers read it, never write it.
      const denied = moderatorOnly('the agenda');
      if (denied) return denied;
      if (after === ABSENT) return null;
      if (!isPlainValue(after)) return invalid('must be plain data');
      if (key === 'steps') {
        const steps = agendaStepsSchema.safeParse(after);
        if (!steps.success)
          return invalid('must be a list of steps { id, title, minutes, scenarioId, done }');
        if (new Set(steps.data.map((s) => s.id)).size !== steps.data.length)
          return invalid('lists a step twice');
        return null;
      }
      if (key === 'currentId')
        return agendaCurrentSchema.safeParse(after).success ? null : invalid('must be a step id');
      return invalid('unknown field');
    }
    case ROOT.comments:
      return checkComment(key!, before, after, actor, probe, truth, invalid);
    default:
      return invalid('not part of a board');
  }
}

const META_RULES: Record<string, { check: (v: unknown) => boolean; message: string }> = {
  title: {
    check: (v) => typeof v === 'string' && v.trim().length > 0 && v.length <= TITLE_MAX,
    message: `must be text of 1 to ${TITLE_MAX} characters`,
  },
  description: {
    check: (v) => typeof v === 'string' && v.length <= NOTES_MAX,
    message: `must be text up to ${NOTES_MAX} characters`,
  },
  modelId: { check: (v) => typeof v === 'string' && v.length <= 64, message: 'must be a model id' },
  modelVersion: {
    check: (v) => Number.isInteger(v) && (v as number) >= 1,
    message: 'must be a version number',
  },
  schemaVersion: {
    check: (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= SCHEMA_VERSION,
    message: `must be a schema version this server knows (1 to ${SCHEMA_VERSION})`,
  },
  createdAt: {
    check: (v) => typeof v === 'number' && Number.isFinite(v),
    message: 'must be a time',
  },
  baselineScenarioId: {
    check: (v) => typeof v === 'string' && SCENARIO_ID_PATTERN.test(v),
    message: 'must be a scenario id',
  },
  frozen: { check: (v) => typeof v === 'boolean', message: 'must be true or false' },
  baselineOpen: { check: (v) => typeof v === 'boolean', message: 'must be true or false' },
  editPresentedOnly: { check: (v) => typeof v === 'boolean', message: 'must be true or false' },
  defaultLocale: { check: isLocale, message: `must be one of ${LOCALES.join(', ')}` },
  actuals: {
    check: (v) => actualsProblem(v) === null,
    message: 'must be a list of reported years',
  },
};

/**
 * Why a meta.actuals value is refused, in words for the moderator, or null if it is fine: the
 * schema's rules plus "only years already over" (the current year has not been reported yet).
 */
export function actualsProblem(v: unknown, now: number = Date.now()): string | null {
  const parsed = actualsSchema.safeParse(v);
  if (!parsed.success) return parsed.error.issues[0]?.message ?? 'must be a list of reported years';
  const last = lastReportableYear(now);
  const late = parsed.data.find((a) => a.year > last);
  return late ? `Actuals are for years already over: ${late.year} is after ${last}.` : null;
}
/** Meta fields a board may lack (all others are required). */
const OPTIONAL_META = new Set([
  'description',
  'frozen',
  'baselineOpen',
  'editPresentedOnly',
  'actuals',
  'defaultLocale',
  // Boards saved before versions existed lack it until the server migrates them.
  'schemaVersion',
]);

/** Meta fields only a moderator changes, and how the refusal names them. */
const MODERATOR_META: Record<string, string> = {
  frozen: 'whether the board is frozen',
  modelId: "the board's model",
  modelVersion: "the board's model",
  baselineScenarioId: 'which scenario is the baseline',
  baselineOpen: 'whether the baseline is open for editing',
  editPresentedOnly: 'whether the room edits only the presented scenario',
  actuals: 'the reported actuals',
  defaultLocale: "the board's default language",
};

function checkMeta(
  key: string,
  before: unknown,
  after: unknown,
  invalid: (m: string) => Refusal,
  moderatorOnly: (what: string) => Refusal | null,
  serverOnly: (what: string) => Refusal | null,
): Refusal | null {
  const rule = Object.hasOwn(META_RULES, key) ? META_RULES[key] : undefined;
  if (!rule) return invalid('unknown field');
  if (key === 'createdAt') return serverOnly("The board's creation time");
  if (key === 'schemaVersion') {
    const denied = serverOnly("The board's schema version");
    if (denied) return denied;
  }
  if (Object.hasOwn(MODERATOR_META, key)) {
    const denied = moderatorOnly(MODERATOR_META[key]!);
    if (denied) return denied;
  }
  if (after === ABSENT)
    return OPTIONAL_META.has(key) || before === ABSENT ? null : invalid('cannot be removed');
  if (key === 'actuals') {
    const problem = actualsProblem(after);
    return problem ? invalid(problem) : null;
  }
  return rule.check(after) ? null : invalid(rule.message);
}

const SCENARIO_RULES: Record<string, { check: (v: unknown) => boolean; message: string }> = {
  name: {
    check: (v) => typeof v === 'string' && v.length <= SCENARIO_NAME_MAX,
    message: `must be text up to ${SCENARIO_NAME_MAX} characters`,
  },
  color: {
    check: (v) => typeof v === 'string' && /^#[0-9a-fA-F]{6}$/.test(v),
    message: 'must be a #rrggbb colour',
  },
  notes: {
    check: (v) => typeof v === 'string' && v.length <= NOTES_MAX,
    message: `must be text up to ${NOTES_MAX} characters`,
  },
  createdAt: {
    check: (v) => typeof v === 'number' && Number.isFinite(v),
    message: 'must be a time',
  },
  values: { check: (v) => v instanceof Y.Map, message: 'must be a map of assumption values' },
};
const REQUIRED_SCENARIO_FIELDS = ['name', 'color', 'createdAt', 'values'] as const;

function checkScenarioField(
  field: string,
  before: unknown,
  after: unknown,
  actor: Actor,
  invalid: (m: string) => Refusal,
): Refusal | null {
  const rule = Object.hasOwn(SCENARIO_RULES, field) ? SCENARIO_RULES[field] : undefined;
  if (!rule) return invalid('unknown field');
  if (after === ABSENT) return invalid('cannot be removed');
  if (!rule.check(after)) return invalid(rule.message);
  if (field === 'createdAt' && before !== ABSENT && actor.role !== 'server')
    return invalid('cannot be changed');
  if (field === 'values') return checkValuesMap(after as Y.Map<unknown>, invalid);
  return null;
}

/** A scenario created by this write: types created in a transaction are not in `tr.changed`. */
function checkNewScenario(
  id: string,
  value: unknown,
  invalid: (m: string) => Refusal,
): Refusal | null {
  if (!(value instanceof Y.Map) || hasListItems(value)) return invalid('must be a scenario');
  for (const field of REQUIRED_SCENARIO_FIELDS)
    if (!value.has(field)) return invalid(`scenario ${id} needs a ${field}`);
  for (const [field, v] of value.entries()) {
    const rule = Object.hasOwn(SCENARIO_RULES, field) ? SCENARIO_RULES[field] : undefined;
    if (!rule) return invalid(`unknown field ${field}`);
    if (!rule.check(v)) return invalid(`${field} ${rule.message}`);
  }
  return checkValuesMap(value.get('values') as Y.Map<unknown>, invalid);
}

function checkValuesMap(values: Y.Map<unknown>, invalid: (m: string) => Refusal): Refusal | null {
  if (hasListItems(values)) return invalid('must be a map without list items');
  for (const [id, v] of values.entries()) {
    const problem = checkAssumptionField(id, v, invalid);
    if (problem) return problem;
  }
  return null;
}

function checkAssumptionField(
  id: string,
  value: unknown,
  invalid: (m: string) => Refusal,
): Refusal | null {
  const checked = checkAssumptionValue(id, value);
  if (!checked.ok) return invalid(checked.error);
  // Whole-number assumptions are stored whole: 1.5 people is refused, not rounded.
  if (checked.value !== value) return invalid(`${id} must be a whole number`);
  return null;
}

/**
 * Comments: anyone who may edit adds comments signed with their own server-known identity;
 * anyone may resolve or reopen a thread; only the author or a moderator edits or removes one.
 */
function checkComment(
  key: string,
  before: unknown,
  after: unknown,
  actor: Actor,
  probe: Y.Doc,
  truth: Y.Doc,
  invalid: (m: string) => Refusal,
): Refusal | null {
  const privileged = actor.role === 'moderator' || actor.role === 'server';
  const prior = parseComment(before);
  const isAuthor = (c: Comment) =>
    actor.participant !== null && c.by.id !== undefined && c.by.id === actor.participant.id;
  const notYours: Refusal = {
    kind: 'forbidden',
    path: `comments.${key}`,
    message: "Only the comment's author or the moderator can change it.",
  };
  if (after === ABSENT) return prior && (privileged || isAuthor(prior)) ? null : notYours;
  const comment = parseComment(after);
  if (!comment || comment.id !== key || !RECORD_ID_PATTERN.test(key))
    return invalid('must be a comment (text up to 2000 characters)');
  if (!prior) {
    if (
      actor.role !== 'server' &&
      (actor.participant === null ||
        comment.by.id !== actor.participant.id ||
        comment.by.name !== actor.participant.name)
    )
      return {
        kind: 'forbidden',
        path: `comments.${key}`,
        message: 'A comment must be signed by its writer.',
      };
    if (
      probe.getMap(ROOT.comments).size > COMMENTS_MAX &&
      probe.getMap(ROOT.comments).size > truth.getMap(ROOT.comments).size
    )
      return {
        kind: 'limit',
        path: `comments.${key}`,
        message: `A board can hold at most ${COMMENTS_MAX} comments.`,
      };
    if (comment.parentId !== null) {
      const parent = parseComment(probe.getMap(ROOT.comments).get(comment.parentId));
      if (!parent || parent.parentId !== null) return invalid('replies must answer a thread');
    }
    return checkCommentTarget(comment, probe, invalid);
  }
  // A change to an existing comment: who wrote it, when and about what never changes.
  if (
    !sameValue(prior.by, comment.by) ||
    prior.at !== comment.at ||
    prior.parentId !== comment.parentId ||
    !sameValue(prior.target, comment.target)
  )
    return invalid("a comment's author, time and subject cannot change");
  if (prior.text !== comment.text && !privileged && !isAuthor(prior)) return notYours;
  return null;
}

function checkCommentTarget(
  comment: Comment,
  probe: Y.Doc,
  invalid: (m: string) => Refusal,
): Refusal | null {
  const { kind, id } = comment.target;
  if (kind === 'assumption') return isAssumptionId(id) ? null : invalid('unknown assumption');
  return probe.getMap(ROOT.scenarios).has(id) ? null : invalid('unknown scenario');
}

function parseComment(value: unknown): Comment | null {
  if (value === ABSENT || !isPlainValue(value)) return null;
  const parsed = commentSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/**
 * What the moderator keeps out of the room's hands, scenario by scenario: the baseline (unless
 * opened for editing; deleting it is the moderator's in any case) and, while the room works only
 * on the presented scenario, every other scenario (creating and deleting ones included).
 */
function scenarioRefusal(truth: Y.Doc, changes: Change[]): Refusal | null {
  const meta = readMeta(truth);
  const presentedId = readPresenter(truth).focus?.scenarioId ?? null;
  const nameOf = (id: string) => readScenario(truth, id)?.name;
  for (const { path, after } of changes) {
    if (path[0] !== ROOT.scenarios || path[1] === undefined) continue;
    const where = path.join('.');
    const deletesBaseline =
      path[1] === meta.baselineScenarioId && path.length === 2 && after === ABSENT;
    const held = deletesBaseline
      ? BASELINE_DELETE
      : scenarioHold(meta, presentedId, path[1], nameOf);
    if (held) return { kind: 'forbidden', path: where, message: held };
  }
  return null;
}

/**
 * Locks hold for every way of changing a value: setting the key, replacing a scenario's whole
 * values map, or the whole scenario. A new scenario may carry a locked assumption only at a
 * value some existing scenario has (a duplicate), never a new one.
 */
function lockedRefusal(probe: Y.Doc, truth: Y.Doc, changes: Change[]): Refusal | null {
  const locks = readLocks(truth);
  const lockedIds = Object.keys(locks).filter(isAssumptionId);
  if (lockedIds.length === 0) return null;
  const scenarios = new Set<string>();
  for (const { path } of changes) if (path[0] === ROOT.scenarios) scenarios.add(path[1]!);
  const existing = [...truth.getMap(ROOT.scenarios).keys()].map((id) => valuesOf(truth, id));
  for (const sid of scenarios) {
    const after = valuesOf(probe, sid);
    if (!after) continue; // deleted: a deletion changes no locked value
    const before = valuesOf(truth, sid);
    for (const id of lockedIds) {
      const ok = before
        ? sameValue(before.get(id), after.get(id))
        : existing.some((v) => v !== null && sameValue(v.get(id), after.get(id)));
      if (!ok)
        return {
          kind: 'locked',
          path: `scenarios.${sid}.values.${id}`,
          message: `${ASSUMPTIONS[id].label} is locked by ${locks[id]!.by}${
            locks[id]!.reason ? `: ${locks[id]!.reason}` : ''
          }.`,
        };
    }
  }
  return null;
}

function valuesOf(doc: Y.Doc, scenarioId: string): Y.Map<unknown> | null {
  const scenario: unknown = doc.getMap(ROOT.scenarios).get(scenarioId);
  const values: unknown = scenario instanceof Y.Map ? scenario.get('values') : undefined;
  return values instanceof Y.Map ? (values as Y.Map<unknown>) : null;
}

/**
 * The board's invariants: at least one scenario; the baseline and the order name existing
 * scenarios (the order lists each exactly once); every scenario has its fields; required meta
 * fields exist. A write may not break one that held before it (a board already broken, e.g.
 * by an old bug, can still be edited and repaired).
 */
function newInvariantViolation(probe: Y.Doc, truth: Y.Doc): Refusal | null {
  const before = new Set(invariantViolations(truth).map((v) => v.path + v.message));
  return invariantViolations(probe).find((v) => !before.has(v.path + v.message)) ?? null;
}

/** Every board invariant `doc` breaks now (empty for a sound board). */
export function invariantViolations(doc: Y.Doc): Refusal[] {
  const out: Refusal[] = [];
  const broken = (path: string, message: string) => out.push({ kind: 'invalid', path, message });
  const scenarios = doc.getMap(ROOT.scenarios);
  if (scenarios.size === 0) broken('scenarios', 'a board keeps at least one scenario');
  for (const [id, scenario] of scenarios.entries()) {
    if (!(scenario instanceof Y.Map)) {
      broken(`scenarios.${id}`, 'must be a scenario');
      continue;
    }
    for (const field of REQUIRED_SCENARIO_FIELDS)
      if (!scenario.has(field)) broken(`scenarios.${id}.${field}`, 'is required');
  }
  const meta = doc.getMap(ROOT.meta);
  for (const key of Object.keys(META_RULES))
    if (!OPTIONAL_META.has(key) && !meta.has(key)) broken(`meta.${key}`, 'is required');
  const baseline = meta.get('baselineScenarioId');
  if (typeof baseline === 'string' && !scenarios.has(baseline))
    broken('meta.baselineScenarioId', 'must name an existing scenario');
  const order = doc.getArray<unknown>(ROOT.scenarioOrder).toArray();
  const listed = new Set<unknown>(order);
  if (listed.size !== order.length) broken('scenarioOrder', 'lists a scenario twice');
  for (const id of order)
    if (typeof id !== 'string' || !scenarios.has(id))
      broken('scenarioOrder', 'must list existing scenarios only');
  for (const id of scenarios.keys())
    if (!listed.has(id)) broken('scenarioOrder', `must list scenario ${id}`);
  return out;
}

function scenarioMapSize(doc: Y.Doc): number {
  return doc.getMap(ROOT.scenarios).size;
}

/** Whether the decision log has room for `more` entries. */
export function logHasRoom(doc: Y.Doc, more: number): boolean {
  return doc.getMap(ROOT.log).size + more <= LOG_ENTRIES_MAX;
}

/** A Y.Map holding list items (possible only in a hand-made update): content no reader sees. */
function hasListItems(map: Y.Map<unknown>): boolean {
  return map._start !== null;
}

function basePath(place: Place): string[] {
  switch (place.kind) {
    case 'root':
      return [place.name];
    case 'scenario':
      return [ROOT.scenarios, place.scenarioId];
    case 'values':
      return [ROOT.scenarios, place.scenarioId, 'values'];
    default:
      return [];
  }
}

/**
 * The raw value at a path of map keys (Yjs types as they are), or ABSENT. A key set to
 * `undefined` is present (and invalid), not absent: it would otherwise hide in the map.
 */
function rawAt(doc: Y.Doc, path: string[]): unknown {
  const [root, ...rest] = path;
  if (root === undefined || !doc.share.has(root)) return ABSENT;
  let current: unknown = doc.share.get(root);
  for (const key of rest) {
    if (!(current instanceof Y.Map) || !current.has(key)) return ABSENT;
    current = current.get(key);
  }
  return current;
}

/** Where a shared type sits, as a path of keys from its root; null outside the board layout. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Yjs types are generic over their event type
export function pathOfType(doc: Y.Doc, type: Y.AbstractType<any>): string[] | null {
  const place = placeOf(doc, type);
  return place.kind === 'unknown' ? null : basePath(place);
}

export { rawAt };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Yjs types are generic over their event type
function rootName(doc: Y.Doc, type: Y.AbstractType<any>): string | null {
  for (const [name, t] of doc.share) if (t === type) return name;
  return null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
function placeOf(doc: Y.Doc, type: Y.AbstractType<any>): Place {
  const item = type._item;
  if (item === null) {
    const name = rootName(doc, type);
    return name === null ? { kind: 'unknown' } : { kind: 'root', name };
  }
  const parent = item.parent;
  if (!(parent instanceof Y.AbstractType) || item.parentSub === null) return { kind: 'unknown' };
  const parentPlace = placeOf(doc, parent);
  if (parentPlace.kind === 'root' && parentPlace.name === ROOT.scenarios)
    return { kind: 'scenario', scenarioId: item.parentSub };
  if (parentPlace.kind === 'scenario' && item.parentSub === 'values')
    return { kind: 'values', scenarioId: parentPlace.scenarioId };
  return { kind: 'unknown' };
}
