/**
 * Scenarios: a named, coloured set of assumption values (root `scenarios`, display order in
 * `scenarioOrder`). Adding, editing, deleting and reading them, writing one assumption, and the
 * declarative rule for each stored scenario field that validate.ts enforces.
 */
import * as Y from 'yjs';
import * as v from 'valibot';
import {
  checkAssumptionValue,
  clampAssumption,
  type AssumptionId,
  type Assumptions,
} from '../model';
import { NOTES_MAX, SCENARIO_NAME_MAX } from './limits';
import { metaOf, orderOf, scenariosOf } from './layout';
import { boardModel, readMeta } from './meta';
import { randomHex } from '../randomHex';

/** Scenario colours: distinguishable, calm on a projector, readable on white. */
export const SCENARIO_COLORS = [
  '#2563eb',
  '#d97706',
  '#059669',
  '#7c3aed',
  '#db2777',
  '#0891b2',
  '#65a30d',
  '#dc2626',
] as const;

/** A scenario colour as stored: #rrggbb. */
export const SCENARIO_COLOR_PATTERN = /^#[0-9a-fA-F]{6}$/;

export interface ScenarioState {
  id: string;
  name: string;
  color: string;
  notes: string;
  createdAt: number;
  values: Assumptions;
}

/** Every field of a stored scenario: its schema and the refusal's words. Others are refused. */
export const SCENARIO_FIELDS: Readonly<
  Record<string, { schema: v.GenericSchema; message: string }>
> = {
  name: {
    schema: v.pipe(v.string(), v.maxLength(SCENARIO_NAME_MAX)),
    message: `must be text up to ${SCENARIO_NAME_MAX} characters`,
  },
  color: {
    schema: v.pipe(v.string(), v.regex(SCENARIO_COLOR_PATTERN)),
    message: 'must be a #rrggbb colour',
  },
  notes: {
    schema: v.pipe(v.string(), v.maxLength(NOTES_MAX)),
    message: `must be text up to ${NOTES_MAX} characters`,
  },
  createdAt: { schema: v.pipe(v.number(), v.finite()), message: 'must be a time' },
  values: { schema: v.instance(Y.Map), message: 'must be a map of assumption values' },
};
/** Fields every scenario has (notes may be missing on old boards). */
export const REQUIRED_SCENARIO_FIELDS = ['name', 'color', 'createdAt', 'values'] as const;

/** A short random id (URL-safe) for scenarios; boards use the server's id generator. */
export const newScenarioId = (): string => randomHex(6);

/** Insert a scenario under `id`; `ordered` also appends it to the display order. */
export function insertScenario(
  doc: Y.Doc,
  id: string,
  s: { name: string; color: string; values: Assumptions; notes?: string; createdAt: number },
  ordered = true,
): void {
  const scenario = new Y.Map<unknown>();
  const values = new Y.Map<number>();
  for (const key of boardModel(doc).assumptionIds) values.set(key, s.values[key]);
  scenario.set('name', s.name.slice(0, SCENARIO_NAME_MAX));
  scenario.set('color', s.color);
  scenario.set('notes', s.notes ?? '');
  scenario.set('createdAt', s.createdAt);
  scenario.set('values', values);
  scenariosOf(doc).set(id, scenario);
  if (ordered) orderOf(doc).push([id]);
}

/** Scenario ids in display order: the order first, then any missing from it; each once. */
export function scenarioIds(doc: Y.Doc): string[] {
  const ids = new Set<string>();
  for (const id of orderOf(doc).toArray())
    if (scenariosOf(doc).get(id) instanceof Y.Map) ids.add(id);
  for (const [id, s] of scenariosOf(doc).entries()) if (s instanceof Y.Map) ids.add(id);
  return [...ids];
}

/** Add a scenario copied from `fromId` (or from the defaults); returns its id. */
export function addScenario(
  doc: Y.Doc,
  options: {
    name: string;
    fromId?: string;
    /** Values (already validated); missing ids come from `fromId` or the defaults. */
    values?: Partial<Assumptions>;
    color?: string;
    notes?: string;
    now?: number;
  },
): string {
  const id = newScenarioId();
  const from = options.fromId ? readScenario(doc, options.fromId) : null;
  const used = new Set(scenarioIds(doc).map((sid) => readScenario(doc, sid)?.color));
  const color = options.color ?? SCENARIO_COLORS.find((c) => !used.has(c)) ?? SCENARIO_COLORS[0];
  doc.transact(() =>
    insertScenario(doc, id, {
      name: options.name,
      color,
      values: { ...(from?.values ?? boardModel(doc).defaults()), ...options.values },
      notes: options.notes ?? from?.notes,
      createdAt: options.now ?? Date.now(),
    }),
  );
  return id;
}

/** Rename, recolour or re-annotate a scenario. */
export function updateScenario(
  doc: Y.Doc,
  scenarioId: string,
  fields: { name?: string; color?: string; notes?: string },
): void {
  const scenario = scenariosOf(doc).get(scenarioId);
  if (!(scenario instanceof Y.Map)) return;
  doc.transact(() => {
    if (fields.name !== undefined)
      scenario.set('name', fields.name.trim().slice(0, SCENARIO_NAME_MAX) || 'Untitled scenario');
    if (fields.color !== undefined && SCENARIO_COLOR_PATTERN.test(fields.color))
      scenario.set('color', fields.color);
    if (fields.notes !== undefined) scenario.set('notes', fields.notes.slice(0, NOTES_MAX));
  });
}

/** Delete a scenario (not the last one); the baseline moves to the first remaining one. */
export function deleteScenario(doc: Y.Doc, scenarioId: string): boolean {
  const ids = scenarioIds(doc);
  if (ids.length <= 1 || !ids.includes(scenarioId)) return false;
  const baselineScenarioId = readMeta(doc).baselineScenarioId;
  doc.transact(() => {
    scenariosOf(doc).delete(scenarioId);
    const order = orderOf(doc);
    const listed = order.toArray();
    for (let i = listed.length - 1; i >= 0; i--) if (listed[i] === scenarioId) order.delete(i, 1);
    if (baselineScenarioId === scenarioId) {
      const next = ids.find((id) => id !== scenarioId);
      if (next) metaOf(doc).set('baselineScenarioId', next);
    }
  });
  return true;
}

/** Read one scenario; stored values that are missing or invalid read as the model's defaults. */
export function readScenario(doc: Y.Doc, id: string): ScenarioState | null {
  const scenario = scenariosOf(doc).get(id);
  if (!(scenario instanceof Y.Map)) return null;
  const values = scenario.get('values');
  const raw: Record<string, number> = {};
  if (values instanceof Y.Map) {
    for (const [key, value] of values.entries()) {
      const checked = checkAssumptionValue(key, value);
      if (checked.ok) raw[key] = checked.value;
    }
  }
  const name = scenario.get('name');
  const color = scenario.get('color');
  const notes = scenario.get('notes');
  const createdAt = scenario.get('createdAt');
  return {
    id,
    name: typeof name === 'string' && name ? name : 'Untitled scenario',
    color: typeof color === 'string' ? color : SCENARIO_COLORS[0],
    notes: typeof notes === 'string' ? notes : '',
    createdAt: typeof createdAt === 'number' ? createdAt : 0,
    values: boardModel(doc).readValues(raw),
  };
}

export type SetAssumptionResult =
  { ok: true; value: number; clamped: boolean } | { ok: false; error: string };

/**
 * Write one assumption of one scenario. Non-finite input is refused; out-of-range input is clamped
 * into range and reported as `clamped`, so the UI can say so. The write is a normal shared edit;
 * the server records it in the decision log, attributed to whoever's connection sent it.
 */
export function setAssumption(
  doc: Y.Doc,
  scenarioId: string,
  id: AssumptionId,
  value: number,
  origin?: unknown,
): SetAssumptionResult {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return { ok: false, error: `${id} must be a number` };
  }
  const scenario = scenariosOf(doc).get(scenarioId);
  const values = scenario instanceof Y.Map ? scenario.get('values') : undefined;
  if (!(values instanceof Y.Map)) return { ok: false, error: `no scenario ${scenarioId}` };
  const next = clampAssumption(id, value);
  if (values.get(id) !== next) doc.transact(() => values.set(id, next), origin);
  return { ok: true, value: next, clamped: next !== value };
}
