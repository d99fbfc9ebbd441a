/**
 * The one validation and authorization stage for every write to a board: Yjs updates from
 * clients, HTTP imports, and changes the server makes itself (restores, closed polls).
 *
 * The server applies a write to a probe copy of the board inside one Yjs transaction, then asks
 * `checkTransaction` whether what that transaction changed may stand. Only the final values
 * matter (a change followed by its own undo is no change), and every change is judged:
 * writes and deletions alike, against the schema, the writer's role, locks, the board's
 * invariants and its limits. Fails closed: a value that is not plain data is refused, never
 * stringified or stripped. The rule for each root lives with its concept (validateMeta.ts,
 * validateScenarios.ts, validateComments.ts, validateRecords.ts).
 */
import * as Y from 'yjs';
import { getModel, isAssumptionId, type ModelDefinition } from '../model';
import { ID_MAX, KEY_MAX, SCENARIOS_MAX, SCENARIO_ID_PATTERN } from './limits';
import { sameValue } from './plainValue';
import { ROOT, ROOT_NAMES } from './layout';
import { readMeta } from './meta';
import { basePath, placeOf, rawAt } from './docPaths';
import { checkMeta } from './validateMeta';
import {
  checkAssumptionField,
  checkNewScenario,
  checkScenarioField,
  lockedRefusal,
  scenarioRefusal,
} from './validateScenarios';
import { checkComment } from './validateComments';
import { RECORD_RULES } from './validateRecords';
import { mayAffectInvariants, newInvariantViolation } from './invariants';
import {
  ABSENT,
  judge,
  type Actor,
  type AssumptionChange,
  type Change,
  type CheckResult,
  type Refusal,
  type RefusalKind,
} from './refusal';

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
  // Reading the invariants walks the whole board twice: only for writes that can break one.
  const broken = changes.some((c) => mayAffectInvariants(c.path))
    ? newInvariantViolation(probe, truth)
    : null;
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
  const ids = model ? assumptionIdSet(model) : NO_IDS;
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

const NO_IDS: ReadonlySet<string> = new Set();
const assumptionIdSets = new WeakMap<ModelDefinition, ReadonlySet<string>>();
/** A model's assumption ids as a set, built once per model (not per write). */
function assumptionIdSet(model: ModelDefinition): ReadonlySet<string> {
  let ids = assumptionIdSets.get(model);
  if (!ids) assumptionIdSets.set(model, (ids = new Set(model.assumptionIds)));
  return ids;
}

/** The rules for one changed key: schema, then who may change it. */
function checkChange(change: Change, actor: Actor, probe: Y.Doc, truth: Y.Doc): Refusal | null {
  const { path, before, after } = change;
  const where = path.join('.');
  const j = judge(where, actor);
  const { invalid } = j;
  const [root, key, field, sub] = path;
  if (key !== undefined && key.length > KEY_MAX) return invalid('key too long');

  switch (root) {
    case ROOT.scenarioOrder: {
      const ids = after as unknown[];
      if (!ids.every((v) => typeof v === 'string' && v.length <= ID_MAX))
        return invalid('must list scenario ids');
      return null;
    }
    case ROOT.meta:
      return checkMeta(key!, before, after, j);
    case ROOT.scenarios: {
      if (field === undefined) {
        if (!SCENARIO_ID_PATTERN.test(key!)) return invalid('not a scenario id');
        if (after === ABSENT) return null; // deleting a scenario: the invariants judge it
        const count = (doc: Y.Doc) => doc.getMap(ROOT.scenarios).size;
        if (count(probe) > SCENARIOS_MAX && count(probe) > count(truth))
          return j.limit(`A board can have at most ${SCENARIOS_MAX} scenarios.`);
        return checkNewScenario(key!, after, invalid);
      }
      if (sub === undefined) return checkScenarioField(field, before, after, actor, invalid);
      if (after === ABSENT) return invalid('an assumption value cannot be removed');
      return checkAssumptionField(sub, after, invalid);
    }
    case ROOT.comments:
      return checkComment(key!, before, after, actor, probe, truth, invalid);
    default: {
      const rule = Object.hasOwn(RECORD_RULES, root!) ? RECORD_RULES[root!] : undefined;
      return rule ? rule({ key: key!, before, after, j, probe }) : invalid('not part of a board');
    }
  }
}
