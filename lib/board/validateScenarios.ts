/**
 * The write rules for scenarios (validate.ts): their fields and values (declared in
 * scenarios.ts), what the moderator holds back from the room, and locks.
 */
import * as v from 'valibot';
import * as Y from 'yjs';
import { ASSUMPTIONS, checkAssumptionValue, isAssumptionId } from '../model';
import { ROOT } from './layout';
import { readMeta } from './meta';
import { REQUIRED_SCENARIO_FIELDS, SCENARIO_FIELDS, readScenario } from './scenarios';
import { readLocks } from './locks';
import { readPresenter } from './presenter';
import { BASELINE_DELETE, scenarioHold } from './facilitation';
import { hasListItems } from './docPaths';
import { sameValue } from './plainValue';
import { ABSENT, type Actor, type Change, type Refusal } from './refusal';

type Invalid = (message: string) => Refusal;

const fieldRule = (field: string) =>
  Object.hasOwn(SCENARIO_FIELDS, field) ? SCENARIO_FIELDS[field] : undefined;

export function checkScenarioField(
  field: string,
  before: unknown,
  after: unknown,
  actor: Actor,
  invalid: Invalid,
): Refusal | null {
  const rule = fieldRule(field);
  if (!rule) return invalid('unknown field');
  if (after === ABSENT) return invalid('cannot be removed');
  if (!v.safeParse(rule.schema, after).success) return invalid(rule.message);
  if (field === 'createdAt' && before !== ABSENT && actor.role !== 'server')
    return invalid('cannot be changed');
  if (field === 'values') return checkValuesMap(after as Y.Map<unknown>, invalid);
  return null;
}

/** A scenario created by this write: types created in a transaction are not in `tr.changed`. */
export function checkNewScenario(id: string, value: unknown, invalid: Invalid): Refusal | null {
  if (!(value instanceof Y.Map) || hasListItems(value)) return invalid('must be a scenario');
  for (const field of REQUIRED_SCENARIO_FIELDS)
    if (!value.has(field)) return invalid(`scenario ${id} needs a ${field}`);
  for (const [field, fieldValue] of value.entries()) {
    const rule = fieldRule(field);
    if (!rule) return invalid(`unknown field ${field}`);
    if (!v.safeParse(rule.schema, fieldValue).success) return invalid(`${field} ${rule.message}`);
  }
  return checkValuesMap(value.get('values') as Y.Map<unknown>, invalid);
}

function checkValuesMap(values: Y.Map<unknown>, invalid: Invalid): Refusal | null {
  if (hasListItems(values)) return invalid('must be a map without list items');
  for (const [id, v] of values.entries()) {
    const problem = checkAssumptionField(id, v, invalid);
    if (problem) return problem;
  }
  return null;
}

export function checkAssumptionField(id: string, value: unknown, invalid: Invalid): Refusal | null {
  const checked = checkAssumptionValue(id, value);
  if (!checked.ok) return invalid(checked.error);
  // Whole-number assumptions are stored whole: 1.5 people is refused, not rounded.
  if (checked.value !== value) return invalid(`${id} must be a whole number`);
  return null;
}

/**
 * What the moderator keeps out of the room's hands, scenario by scenario: the baseline (unless
 * opened for editing; deleting it is the moderator's in any case) and, while the room works only
 * on the presented scenario, every other scenario (creating and deleting ones included).
 */
export function scenarioRefusal(truth: Y.Doc, changes: Change[]): Refusal | null {
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
export function lockedRefusal(probe: Y.Doc, truth: Y.Doc, changes: Change[]): Refusal | null {
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
