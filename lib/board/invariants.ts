/**
 * The board's invariants: at least one scenario; the baseline and the order name existing
 * scenarios (the order lists each exactly once); every scenario has its fields; required meta
 * fields exist. A write may not break one that held before it (a board already broken, e.g.
 * by an old bug, can still be edited and repaired).
 */
import * as Y from 'yjs';
import { ROOT } from './layout';
import { META_FIELDS } from './meta';
import { REQUIRED_SCENARIO_FIELDS } from './scenarios';
import type { Refusal } from './refusal';

/** The first invariant `probe` (after a write) breaks that `truth` (before it) did not. */
export function newInvariantViolation(probe: Y.Doc, truth: Y.Doc): Refusal | null {
  const before = new Set(invariantViolations(truth).map((v) => v.path + v.message));
  return invariantViolations(probe).find((v) => !before.has(v.path + v.message)) ?? null;
}

/**
 * Whether a change at `path` can make or break an invariant: the invariants read the scenario
 * map and each scenario's own fields, the meta map and the order, never anything deeper (an
 * assumption value, a comment, the log).
 */
export function mayAffectInvariants(path: readonly string[]): boolean {
  const [root] = path;
  if (root === ROOT.meta || root === ROOT.scenarioOrder) return true;
  return root === ROOT.scenarios && path.length <= 3;
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
  for (const [key, rule] of Object.entries(META_FIELDS))
    if (!rule.optional && !meta.has(key)) broken(`meta.${key}`, 'is required');
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
