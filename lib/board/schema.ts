/**
 * The board's shared Yjs document: the only module that knows its key names.
 *
 * Layout (root types):
 *   meta           Y.Map   title, description, modelId, modelVersion, schemaVersion (this layout's
 *                          version, written by the server: migrations.ts), createdAt, baselineScenarioId,
 *                          frozen, baselineOpen, editPresentedOnly, actuals (the last four: moderators
 *                          only; actuals is a plain array of reported past years, see actualsSchema),
 *                          defaultLocale (moderators only: 'en' | 'ur', the projector's language)
 *   scenarios      Y.Map   scenarioId -> Y.Map { name, color, notes, createdAt, values: Y.Map<AssumptionId, number> }
 *   scenarioOrder  Y.Array scenario ids in display order
 *   locks          Y.Map   assumptionId -> { by, at }            (moderators only)
 *   bands          Y.Map   assumptionId -> { low, high, origin? } (moderators only; uncertainty bands;
 *                          origin 'poll': set from a value poll, "the room's estimate")
 *   polls          Y.Map   pollId -> ClosedPoll                  (written by the server when a poll closes)
 *   presenter      Y.Map   focus -> PresenterFocus, spotlight -> assumptionId | null (moderators only)
 *   log            Y.Map   entryId -> LogEntry   the decision log: who changed which assumption, from, to
 *   comments       Y.Map   commentId -> Comment  threads on assumptions and scenarios
 *   decisions      Y.Map   decisionId -> DecisionRecord  the decision on record (server only; decision.ts)
 *   agenda         Y.Map   steps -> AgendaStep[], currentId -> step id | null (moderators only; agenda.ts)
 *
 * Assumption values are stored in the units the UI shows (percent as 0-100). Everything read from
 * the document is validated. A board is read with the model version in its meta (boardModel):
 * a v1 board has no programme assumptions and reads exactly as it did before v2 existed.
 */
import * as Y from 'yjs';
import { z } from 'zod';
import {
  FIRST_ACTUAL_YEAR,
  LAST_ACTUAL_YEAR,
  MAX_ACTUALS,
  MAX_ACTUAL_SOURCE,
  MAX_ACTUAL_USD,
  MODEL_ID,
  MODEL_VERSION,
  type Actual,
  checkAssumptionValue,
  clampAssumption,
  isAssumptionId,
  modelOfBoard,
  type AssumptionId,
  type Assumptions,
  type ModelDefinition,
} from '../model';
import type { ParticipantIdentity } from '../protocol';
import { SCHEMA_VERSION } from './schemaVersion';
import { DEFAULT_LOCALE, isLocale, type Locale } from '../i18n/locales';
import {
  AUTHOR_NAME_MAX,
  COMMENT_MAX,
  KEY_MAX,
  LOCK_REASON_MAX,
  NOTES_MAX,
  SCENARIO_NAME_MAX,
  TITLE_MAX,
} from './limits';

export const ROOT = {
  meta: 'meta',
  scenarios: 'scenarios',
  scenarioOrder: 'scenarioOrder',
  locks: 'locks',
  bands: 'bands',
  polls: 'polls',
  presenter: 'presenter',
  log: 'log',
  comments: 'comments',
  decisions: 'decisions',
  agenda: 'agenda',
} as const;

/**
 * Declare every root type with its real type. A document that receives an update naming a root
 * it has not declared makes it a generic type, which typed access and validation would reject.
 */
export function defineRoots(doc: Y.Doc): void {
  for (const name of Object.values(ROOT)) {
    if (name === ROOT.scenarioOrder) doc.getArray(name);
    else doc.getMap(name);
  }
}

export { TITLE_MAX, SCENARIO_NAME_MAX, NOTES_MAX, COMMENT_MAX } from './limits';

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

export interface BoardMeta {
  title: string;
  description: string;
  modelId: string;
  modelVersion: number;
  createdAt: number;
  baselineScenarioId: string | null;
  /** A frozen board takes no edits except from moderators. */
  frozen: boolean;
  /** Editors may change the baseline scenario only while the moderator keeps it open. */
  baselineOpen: boolean;
  /** While on and a scenario is presented, editors change only that scenario. */
  editPresentedOnly: boolean;
  /** The board's language: the projector shows it; participants each choose their own. */
  defaultLocale: Locale;
}

export { LOCK_REASON_MAX } from './limits';

/** A moderator's lock on one assumption (in every scenario). */
export const lockSchema = z.strictObject({
  by: z.string().max(AUTHOR_NAME_MAX),
  at: z.number().finite(),
  /** Why, in the moderator's words ("agreed in the morning session"); shown to the room. */
  reason: z.string().max(LOCK_REASON_MAX).optional(),
});
export type Lock = z.infer<typeof lockSchema>;

/** The presenter's view, which followers mirror. */
export const presenterFocusSchema = z.strictObject({
  scenarioId: z.string().max(64).nullable(),
  tab: z.string().max(32),
  assumptionId: z.string().max(64).nullable(),
  /** Bumped by "bring everyone back", so followers who stepped away re-follow. */
  recall: z.number().int().nonnegative(),
});
export type PresenterFocus = z.infer<typeof presenterFocusSchema>;

/** A poll's result as saved on the board once closed. */
export const closedPollSchema = z.strictObject({
  id: z.string().max(KEY_MAX),
  kind: z.enum(['choice', 'value']),
  question: z.string().max(200),
  /** choice polls: the options and their vote counts. */
  options: z
    .array(z.strictObject({ label: z.string().max(80), votes: z.number().int().nonnegative() }))
    .max(12),
  /** value polls: the assumption asked about and the answers given. */
  assumptionId: z.string().max(64).nullable(),
  values: z.array(z.number().finite()).max(1000),
  openedAt: z.number().finite(),
  closedAt: z.number().finite(),
  voters: z.number().int().nonnegative(),
  /**
   * Voted anonymously. Every saved poll holds counts (and value answers) only, never who gave
   * them; an anonymous one also keeps no answer order (values sorted) and is labelled so.
   */
  anonymous: z.literal(true).optional(),
  /** How many people were on the board when it closed (the "of 30" in "12 of 30 answered"). */
  present: z.number().int().nonnegative().optional(),
});
export type ClosedPoll = z.infer<typeof closedPollSchema>;

/**
 * An uncertainty band. `origin: 'poll'` marks a band set from a value poll's answers (shown as
 * "the room's estimate"); a band typed by the moderator has no origin.
 */
export const bandSchema = z.strictObject({
  low: z.number().finite(),
  high: z.number().finite(),
  origin: z.literal('poll').optional(),
});
export type Band = z.infer<typeof bandSchema>;

/**
 * Who made a change, as shown in the log and on comments: the server-issued participant id and
 * the name bound to it when the change was made. Records from before participant ids have none.
 */
export const authorSchema = z.strictObject({
  id: z.string().max(KEY_MAX).optional(),
  name: z.string().max(AUTHOR_NAME_MAX),
  color: z.string().max(16),
});
export type Author = z.infer<typeof authorSchema>;

/**
 * One line of the decision log: an assumption of a scenario went from `from` to `to`. Written
 * only by the server, for edits it accepted, attributed to the connection's participant.
 */
export const logEntrySchema = z.strictObject({
  id: z.string().max(KEY_MAX),
  by: authorSchema,
  at: z.number().finite(),
  scenarioId: z.string().max(64),
  assumptionId: z.string().max(64),
  from: z.number().finite().nullable(),
  to: z.number().finite(),
  /** Set when a moderator reverted the entry with this id (lib/board/activity.ts). */
  revertOf: z.string().max(KEY_MAX).optional(),
});
export type LogEntry = z.infer<typeof logEntrySchema>;

export const commentSchema = z.strictObject({
  id: z.string().max(KEY_MAX),
  target: z.strictObject({ kind: z.enum(['assumption', 'scenario']), id: z.string().max(64) }),
  /** null for the first comment of a thread; replies name it. */
  parentId: z.string().max(KEY_MAX).nullable(),
  by: authorSchema,
  at: z.number().finite(),
  text: z.string().min(1).max(COMMENT_MAX),
  /** Only meaningful on a thread's first comment. */
  resolved: z.boolean(),
});
export type Comment = z.infer<typeof commentSchema>;

export interface ScenarioState {
  id: string;
  name: string;
  color: string;
  notes: string;
  createdAt: number;
  values: Assumptions;
}

export interface BoardState {
  meta: BoardMeta;
  /** In display order. */
  scenarios: ScenarioState[];
  /** Reported actuals for past years, by year (moderators only; R22 in lib/model/README.md). */
  actuals: Actual[];
}

/**
 * One reported past year, as stored in meta.actuals. Years from the year after the model's base
 * year; the write check (validate.ts) also refuses the current year and later, which have not
 * been reported yet. USD, not billions, like the model's outputs.
 */
export const actualSchema = z
  .strictObject({
    year: z
      .number()
      .int('The year must be a whole year.')
      .min(
        FIRST_ACTUAL_YEAR,
        `Actuals start in ${FIRST_ACTUAL_YEAR} (2023 is the model's base year).`,
      )
      .max(LAST_ACTUAL_YEAR, `The year must be ${LAST_ACTUAL_YEAR} or earlier.`),
    totalUsd: z
      .number()
      .finite('The total must be a number.')
      .nonnegative('The total cannot be negative.')
      .max(MAX_ACTUAL_USD, 'The total must be under $1,000B.'),
    freelanceUsd: z
      .number()
      .finite('The freelancers figure must be a number.')
      .nonnegative('The freelancers figure cannot be negative.')
      .max(MAX_ACTUAL_USD, 'The freelancers figure must be under $1,000B.')
      .optional(),
    source: z
      .string()
      .trim()
      .min(1, 'Say where the figure comes from.')
      .max(MAX_ACTUAL_SOURCE, `The source must be up to ${MAX_ACTUAL_SOURCE} characters.`),
  })
  .refine((a) => a.freelanceUsd === undefined || a.freelanceUsd <= a.totalUsd, {
    message: 'Freelancers are part of the total: their figure cannot exceed it.',
    path: ['freelanceUsd'],
  });

/** A board's actuals: at most MAX_ACTUALS, one per year. */
export const actualsSchema = z
  .array(actualSchema)
  .max(MAX_ACTUALS, `At most ${MAX_ACTUALS} reported years.`)
  .refine((list) => new Set(list.map((a) => a.year)).size === list.length, {
    message: 'Each year can be reported once.',
  });

/** The latest year an actual may be written for: the last full year before `now`. */
export function lastReportableYear(now: number = Date.now()): number {
  return Math.min(LAST_ACTUAL_YEAR, new Date(now).getUTCFullYear() - 1);
}

/** A board document value that breaks the schema. `path` says where, for error messages. */
export class BoardSchemaError extends Error {
  override name = 'BoardSchemaError';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

const metaOf = (doc: Y.Doc) => doc.getMap<unknown>(ROOT.meta);
const scenariosOf = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>(ROOT.scenarios);
const orderOf = (doc: Y.Doc) => doc.getArray<string>(ROOT.scenarioOrder);

/** A short random id (URL-safe) for scenarios; boards use the server's id generator. */
export function newScenarioId(): string {
  const bytes = new Uint8Array(6);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export interface InitBoardOptions {
  title: string;
  /** The model version (default: the newest). */
  modelVersion?: number;
  description?: string;
  /** Baseline values, already validated; missing ids take the model's defaults. */
  assumptions?: Partial<Assumptions>;
  /** Let editors change the baseline from the start (default: kept as it is). */
  baselineOpen?: boolean;
  now?: number;
}

/** Fill an empty document with a new board: meta plus a "Baseline" scenario. */
export function initBoard(doc: Y.Doc, options: InitBoardOptions): string {
  const now = options.now ?? Date.now();
  const scenarioId = newScenarioId();
  doc.transact(() => {
    const meta = metaOf(doc);
    meta.set('title', options.title.slice(0, TITLE_MAX));
    meta.set('description', (options.description ?? '').slice(0, NOTES_MAX));
    meta.set('modelId', MODEL_ID);
    meta.set('modelVersion', options.modelVersion ?? MODEL_VERSION);
    meta.set('schemaVersion', SCHEMA_VERSION);
    meta.set('createdAt', now);
    meta.set('baselineScenarioId', scenarioId);
    if (options.baselineOpen) meta.set('baselineOpen', true);
    insertScenario(doc, scenarioId, {
      name: 'Baseline',
      color: SCENARIO_COLORS[0],
      values: { ...boardModel(doc).defaults(), ...options.assumptions },
      now,
    });
  });
  return scenarioId;
}

/**
 * The model version this board is read with: the one its meta names. A version this build does
 * not know (a board from a newer build) reads with the newest it knows.
 */
export function boardModel(doc: Y.Doc): ModelDefinition {
  return modelOfBoard(readMeta(doc));
}

function insertScenario(
  doc: Y.Doc,
  id: string,
  s: { name: string; color: string; values: Assumptions; notes?: string; now: number },
): void {
  const scenario = new Y.Map<unknown>();
  const values = new Y.Map<number>();
  for (const key of boardModel(doc).assumptionIds) values.set(key, s.values[key]);
  scenario.set('name', s.name.slice(0, SCENARIO_NAME_MAX));
  scenario.set('color', s.color);
  scenario.set('notes', s.notes ?? '');
  scenario.set('createdAt', s.now);
  scenario.set('values', values);
  scenariosOf(doc).set(id, scenario);
  orderOf(doc).push([id]);
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
  const used = new Set(readBoard(doc).scenarios.map((s) => s.color));
  const color = options.color ?? SCENARIO_COLORS.find((c) => !used.has(c)) ?? SCENARIO_COLORS[0];
  doc.transact(() =>
    insertScenario(doc, id, {
      name: options.name,
      color,
      values: { ...(from?.values ?? boardModel(doc).defaults()), ...options.values },
      notes: options.notes ?? from?.notes,
      now: options.now ?? Date.now(),
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
    if (fields.color !== undefined && /^#[0-9a-fA-F]{6}$/.test(fields.color))
      scenario.set('color', fields.color);
    if (fields.notes !== undefined) scenario.set('notes', fields.notes.slice(0, NOTES_MAX));
  });
}

/** Delete a scenario (not the last one); the baseline moves to the first remaining one. */
export function deleteScenario(doc: Y.Doc, scenarioId: string): boolean {
  const board = readBoard(doc);
  if (board.scenarios.length <= 1 || !board.scenarios.some((s) => s.id === scenarioId))
    return false;
  doc.transact(() => {
    scenariosOf(doc).delete(scenarioId);
    const order = orderOf(doc);
    const ids = order.toArray();
    for (let i = ids.length - 1; i >= 0; i--) if (ids[i] === scenarioId) order.delete(i, 1);
    if (board.meta.baselineScenarioId === scenarioId) {
      const next = board.scenarios.find((s) => s.id !== scenarioId);
      if (next) metaOf(doc).set('baselineScenarioId', next.id);
    }
  });
  return true;
}

export function setBaselineScenario(doc: Y.Doc, scenarioId: string): void {
  if (scenariosOf(doc).has(scenarioId)) metaOf(doc).set('baselineScenarioId', scenarioId);
}

export function setTitle(doc: Y.Doc, title: string): void {
  const clean = title.trim().slice(0, TITLE_MAX);
  if (clean) metaOf(doc).set('title', clean);
}

export function readMeta(doc: Y.Doc): BoardMeta {
  const meta = metaOf(doc);
  const str = (k: string, fallback = '') => {
    const v = meta.get(k);
    return typeof v === 'string' ? v : fallback;
  };
  const num = (k: string, fallback: number) => {
    const v = meta.get(k);
    return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
  };
  const baseline = meta.get('baselineScenarioId');
  return {
    title: str('title', 'Untitled board'),
    description: str('description'),
    modelId: str('modelId', MODEL_ID),
    // A board without a model version predates versions: model v1.
    modelVersion: num('modelVersion', 1),
    createdAt: num('createdAt', 0),
    baselineScenarioId: typeof baseline === 'string' ? baseline : null,
    frozen: meta.get('frozen') === true,
    baselineOpen: meta.get('baselineOpen') === true,
    editPresentedOnly: meta.get('editPresentedOnly') === true,
    defaultLocale: ((v) => (isLocale(v) ? v : DEFAULT_LOCALE))(meta.get('defaultLocale')),
  };
}

/** The board's reported actuals by year (invalid entries ignored: the server refuses them). */
export function readActuals(doc: Y.Doc): Actual[] {
  const raw = metaOf(doc).get('actuals');
  if (!Array.isArray(raw)) return [];
  const byYear = new Map<number, Actual>();
  for (const entry of raw.slice(0, MAX_ACTUALS)) {
    const a = actualSchema.safeParse(entry);
    if (a.success && !byYear.has(a.data.year)) byYear.set(a.data.year, a.data);
  }
  return [...byYear.values()].sort((x, y) => x.year - y.year);
}

/** Replace the board's actuals (moderators; the server refuses it from anyone else). */
export function setActuals(doc: Y.Doc, actuals: readonly Actual[]): void {
  const list = [...actuals].sort((x, y) => x.year - y.year).map((a) => ({ ...a }));
  if (list.length === 0) metaOf(doc).delete('actuals');
  else metaOf(doc).set('actuals', list);
}

/** Locks by assumption id (invalid entries ignored). */
export function readLocks(doc: Y.Doc): Partial<Record<AssumptionId, Lock>> {
  const out: Partial<Record<AssumptionId, Lock>> = {};
  for (const [key, value] of doc.getMap<unknown>(ROOT.locks).entries()) {
    const lock = lockSchema.safeParse(value);
    if (isAssumptionId(key) && lock.success) out[key] = lock.data;
  }
  return out;
}

/** How a lock reads to the room: "Locked by Maria: agreed in the morning session". */
export function lockText(lock: Lock): string {
  return lock.reason ? `Locked by ${lock.by}: ${lock.reason}` : `Locked by ${lock.by}`;
}

/** Set or clear a lock (moderators; the server refuses it from anyone else). */
export function setLock(doc: Y.Doc, id: AssumptionId, lock: Lock | null): void {
  const locks = doc.getMap<unknown>(ROOT.locks);
  doc.transact(() => (lock ? locks.set(id, lock) : locks.delete(id)));
}

export function setFrozen(doc: Y.Doc, frozen: boolean): void {
  metaOf(doc).set('frozen', frozen);
}

/** Open or close the baseline for editors (moderators; the server refuses it from anyone else). */
export function setBaselineOpen(doc: Y.Doc, open: boolean): void {
  metaOf(doc).set('baselineOpen', open);
}

/** The board's default language, shown on the projector (moderators only). */
export function setDefaultLocale(doc: Y.Doc, locale: Locale): void {
  metaOf(doc).set('defaultLocale', locale);
}

/** Let editors change only the presented scenario, or any (moderators only). */
export function setEditPresentedOnly(doc: Y.Doc, on: boolean): void {
  metaOf(doc).set('editPresentedOnly', on);
}

/** Moderator-set uncertainty bands, by assumption id (invalid entries ignored). */
export function readBands(doc: Y.Doc): Partial<Record<AssumptionId, Band>> {
  const out: Partial<Record<AssumptionId, Band>> = {};
  for (const [key, value] of doc.getMap<unknown>(ROOT.bands).entries()) {
    const band = bandSchema.safeParse(value);
    if (isAssumptionId(key) && band.success) out[key] = band.data;
  }
  return out;
}

/** Set (clamped into the assumption's range, low <= high) or clear a band. */
export function setBand(doc: Y.Doc, id: AssumptionId, band: Band | null): void {
  const bands = doc.getMap<unknown>(ROOT.bands);
  if (!band) {
    bands.delete(id);
    return;
  }
  const low = clampAssumption(id, Math.min(band.low, band.high));
  const high = clampAssumption(id, Math.max(band.low, band.high));
  bands.set(id, band.origin ? { low, high, origin: band.origin } : { low, high });
}

export function readPresenter(doc: Y.Doc): {
  focus: PresenterFocus | null;
  spotlight: AssumptionId | null;
} {
  const map = doc.getMap<unknown>(ROOT.presenter);
  const focus = presenterFocusSchema.safeParse(map.get('focus'));
  const spotlight = map.get('spotlight');
  return {
    focus: focus.success ? focus.data : null,
    spotlight: typeof spotlight === 'string' && isAssumptionId(spotlight) ? spotlight : null,
  };
}

export function setPresenterFocus(doc: Y.Doc, focus: PresenterFocus): void {
  doc.getMap<unknown>(ROOT.presenter).set('focus', focus);
}

export function setSpotlight(doc: Y.Doc, id: AssumptionId | null): void {
  doc.getMap<unknown>(ROOT.presenter).set('spotlight', id);
}

/** Closed polls, newest first. */
export function readClosedPolls(doc: Y.Doc): ClosedPoll[] {
  const out: ClosedPoll[] = [];
  for (const value of doc.getMap<unknown>(ROOT.polls).values()) {
    const poll = closedPollSchema.safeParse(value);
    if (poll.success) out.push(poll.data);
  }
  return out.sort((a, b) => b.closedAt - a.closedAt);
}

export function saveClosedPoll(doc: Y.Doc, poll: ClosedPoll): void {
  doc.getMap<unknown>(ROOT.polls).set(poll.id, poll);
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

/** The whole board as plain data, scenarios in display order (ids missing from the order last). */
export function readBoard(doc: Y.Doc): BoardState {
  const ids = orderOf(doc).toArray();
  const seen = new Set<string>();
  const scenarios: ScenarioState[] = [];
  const push = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    const s = readScenario(doc, id);
    if (s) scenarios.push(s);
  };
  for (const id of ids) push(id);
  for (const id of scenariosOf(doc).keys()) push(id);
  return { meta: readMeta(doc), scenarios, actuals: readActuals(doc) };
}

/** The scenario with id `preferred` if it exists, else the baseline, else the first; null if none. */
export function scenarioOrBaseline(
  board: BoardState,
  preferred?: string | null,
): ScenarioState | null {
  return (
    board.scenarios.find((s) => s.id === preferred) ??
    board.scenarios.find((s) => s.id === board.meta.baselineScenarioId) ??
    board.scenarios[0] ??
    null
  );
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

/** A slider drag is one decision: edits by the same person to the same field this close together merge. */
export const LOG_MERGE_MS = 10_000;

/** The decision log, oldest first. */
export function readLog(doc: Y.Doc): LogEntry[] {
  const out: LogEntry[] = [];
  for (const value of doc.getMap<unknown>(ROOT.log).values()) {
    const entry = logEntrySchema.safeParse(value);
    if (entry.success) out.push(entry.data);
  }
  return out.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
}

// Comments -------------------------------------------------------------------------------------

let commentCounter = 0;

/** Add a comment (a new thread when `parentId` is null); returns its id. */
export function addComment(
  doc: Y.Doc,
  input: {
    target: Comment['target'];
    parentId?: string | null;
    /** The commenter's server-issued identity: the server refuses a comment signed as anyone else. */
    by: ParticipantIdentity;
    text: string;
    now?: number;
  },
): string | null {
  const text = input.text.trim().slice(0, COMMENT_MAX);
  if (!text) return null;
  const id = `${doc.clientID.toString(36)}-${(input.now ?? Date.now()).toString(36)}-${(commentCounter++).toString(36)}`;
  const comment: Comment = {
    id,
    target: input.target,
    parentId: input.parentId ?? null,
    by: { id: input.by.id, name: input.by.name, color: input.by.color },
    at: input.now ?? Date.now(),
    text,
    resolved: false,
  };
  doc.getMap<unknown>(ROOT.comments).set(id, comment);
  return id;
}

export function setThreadResolved(doc: Y.Doc, threadId: string, resolved: boolean): void {
  const comments = doc.getMap<unknown>(ROOT.comments);
  const parsed = commentSchema.safeParse(comments.get(threadId));
  if (parsed.success) comments.set(threadId, { ...parsed.data, resolved });
}

export interface CommentThread {
  root: Comment;
  replies: Comment[];
}

/** Threads (oldest first), each with its replies (oldest first). */
export function readThreads(doc: Y.Doc): CommentThread[] {
  const all: Comment[] = [];
  for (const value of doc.getMap<unknown>(ROOT.comments).values()) {
    const c = commentSchema.safeParse(value);
    if (c.success) all.push(c.data);
  }
  all.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
  const threads = new Map<string, CommentThread>();
  for (const c of all) if (c.parentId === null) threads.set(c.id, { root: c, replies: [] });
  for (const c of all) if (c.parentId !== null) threads.get(c.parentId)?.replies.push(c);
  return [...threads.values()];
}

/** Subscribe to any change of the board; returns the unsubscribe function. */
export function observeBoard(doc: Y.Doc, onChange: () => void): () => void {
  const handler = () => onChange();
  doc.on('update', handler);
  return () => doc.off('update', handler);
}

// Versions ---------------------------------------------------------------------------------------

/** A board document built from an encoded state (e.g. a saved version), read-only by convention. */
export function docFromState(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  defineRoots(doc);
  Y.applyUpdate(doc, state);
  return doc;
}

/** Roots a rollback restores; the decision log and comments are the record and stay as they are. */
const RESTORED_MAPS = [ROOT.meta, ROOT.locks, ROOT.bands, ROOT.presenter, ROOT.polls] as const;

/**
 * Make `live`'s content equal to `from`'s (a saved version) as ordinary edits, so every client
 * follows. Comments and the decision log are kept.
 */
export function restoreContent(live: Y.Doc, from: Y.Doc): void {
  live.transact(() => {
    for (const name of RESTORED_MAPS) {
      const target = live.getMap<unknown>(name);
      const source = from.getMap<unknown>(name);
      // The layout's version belongs to the live document, not to the content restored into it.
      const kept = (key: string) => name === ROOT.meta && key === 'schemaVersion';
      for (const key of [...target.keys()]) if (!source.has(key) && !kept(key)) target.delete(key);
      for (const [key, value] of source.entries()) {
        if (kept(key)) continue;
        if (JSON.stringify(target.get(key)) !== JSON.stringify(value)) target.set(key, value);
      }
    }
    const targetScenarios = scenariosOf(live);
    const sourceScenarios = scenariosOf(from);
    for (const id of [...targetScenarios.keys()])
      if (!sourceScenarios.has(id)) targetScenarios.delete(id);
    for (const id of sourceScenarios.keys()) {
      const s = readScenario(from, id);
      if (!s) continue;
      const existing = targetScenarios.get(id);
      const values = existing instanceof Y.Map ? existing.get('values') : undefined;
      if (!(existing instanceof Y.Map) || !(values instanceof Y.Map)) {
        insertScenarioMap(live, id, s);
        continue;
      }
      for (const [key, v] of [
        ['name', s.name],
        ['color', s.color],
        ['notes', s.notes],
        ['createdAt', s.createdAt],
      ] as const) {
        if (existing.get(key) !== v) existing.set(key, v);
      }
      for (const key of boardModel(from).assumptionIds)
        if (values.get(key) !== s.values[key]) values.set(key, s.values[key]);
    }
    const order = orderOf(live);
    const wanted = orderOf(from).toArray();
    if (JSON.stringify(order.toArray()) !== JSON.stringify(wanted)) {
      order.delete(0, order.length);
      order.push(wanted);
    }
  });
}

/** Insert a scenario under a given id without touching the order (restore sets the order). */
function insertScenarioMap(doc: Y.Doc, id: string, s: ScenarioState): void {
  const scenario = new Y.Map<unknown>();
  const values = new Y.Map<number>();
  for (const key of boardModel(doc).assumptionIds) values.set(key, s.values[key]);
  scenario.set('name', s.name);
  scenario.set('color', s.color);
  scenario.set('notes', s.notes);
  scenario.set('createdAt', s.createdAt);
  scenario.set('values', values);
  scenariosOf(doc).set(id, scenario);
}

/** The parts of a board a version compares and restores, as plain data (for equality checks). */
export function boardContent(doc: Y.Doc): unknown {
  const out: Record<string, unknown> = {};
  for (const name of RESTORED_MAPS) out[name] = doc.getMap(name).toJSON();
  out.scenarios = readBoard(doc).scenarios;
  return out;
}
