/**
 * The board's meta map: title, description, the model it is read with, who may edit what
 * (frozen, baseline open, presented scenario only). Reading, writing, and the declarative rule for
 * each field (schema, whether a board may lack it, who may write it) that validate.ts enforces.
 */
import type * as Y from 'yjs';
import * as v from 'valibot';
import { MODEL_ID, modelOfBoard, type ModelDefinition } from '../model';
import { ID_MAX, NOTES_MAX, SCENARIO_ID_PATTERN, TITLE_MAX } from './limits';
import { SCHEMA_VERSION } from './schemaVersion';
import { metaOf, scenariosOf } from './layout';
import { actualsSchema } from './actuals';
import { DEFAULT_LOCALE, LOCALES, isLocale, type Locale } from '../i18n/locales';

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

/** Who may write a meta field: anyone who may edit, the moderator (and the server), the server. */
export type MetaWriter = 'editor' | 'moderator' | 'server';

export interface MetaFieldRule {
  /** What a stored value must be (`actuals` also by the date: actualsProblem in actuals.ts). */
  schema: v.GenericSchema;
  /** The refusal's words when the schema fails. */
  message: string;
  /** A board may lack the field (all others are required: invariants.ts). */
  optional: boolean;
  writer: MetaWriter;
  /** How a refusal names the field to someone who may not write it. */
  what?: string;
}

const flag = (what: string): MetaFieldRule => ({
  schema: v.boolean(),
  message: 'must be true or false',
  optional: true,
  writer: 'moderator',
  what,
});

/** Every meta field, and its rule. A key not listed here is not part of a board. */
export const META_FIELDS: Readonly<Record<string, MetaFieldRule>> = {
  title: {
    schema: v.pipe(
      v.string(),
      v.maxLength(TITLE_MAX),
      v.check((title) => title.trim().length > 0),
    ),
    message: `must be text of 1 to ${TITLE_MAX} characters`,
    optional: false,
    writer: 'editor',
  },
  description: {
    schema: v.pipe(v.string(), v.maxLength(NOTES_MAX)),
    message: `must be text up to ${NOTES_MAX} characters`,
    optional: true,
    writer: 'editor',
  },
  modelId: {
    schema: v.pipe(v.string(), v.maxLength(ID_MAX)),
    message: 'must be a model id',
    optional: false,
    writer: 'moderator',
    what: "the board's model",
  },
  modelVersion: {
    schema: v.pipe(v.number(), v.integer(), v.minValue(1)),
    message: 'must be a version number',
    optional: false,
    writer: 'moderator',
    what: "the board's model",
  },
  schemaVersion: {
    schema: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(SCHEMA_VERSION)),
    message: `must be a schema version this server knows (1 to ${SCHEMA_VERSION})`,
    // Boards saved before versions existed lack it until the server migrates them.
    optional: true,
    writer: 'server',
    what: "The board's schema version",
  },
  createdAt: {
    schema: v.pipe(v.number(), v.finite()),
    message: 'must be a time',
    optional: false,
    writer: 'server',
    what: "The board's creation time",
  },
  baselineScenarioId: {
    schema: v.pipe(v.string(), v.regex(SCENARIO_ID_PATTERN)),
    message: 'must be a scenario id',
    optional: false,
    writer: 'moderator',
    what: 'which scenario is the baseline',
  },
  frozen: flag('whether the board is frozen'),
  baselineOpen: flag('whether the baseline is open for editing'),
  editPresentedOnly: flag('whether the room edits only the presented scenario'),
  defaultLocale: {
    schema: v.picklist(LOCALES),
    message: `must be one of ${LOCALES.join(', ')}`,
    optional: true,
    writer: 'moderator',
    what: "the board's default language",
  },
  actuals: {
    schema: actualsSchema,
    message: 'must be a list of reported years',
    optional: true,
    writer: 'moderator',
    what: 'the reported actuals',
  },
};

export function readMeta(doc: Y.Doc): BoardMeta {
  const meta = metaOf(doc);
  const str = (k: string, fallback = '') => {
    const value = meta.get(k);
    return typeof value === 'string' ? value : fallback;
  };
  const num = (k: string, fallback: number) => {
    const value = meta.get(k);
    return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
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
    defaultLocale: ((x) => (isLocale(x) ? x : DEFAULT_LOCALE))(meta.get('defaultLocale')),
  };
}

/**
 * The model version this board is read with: the one its meta names. A version this build does
 * not know (a board from a newer build) reads with the newest it knows.
 */
export function boardModel(doc: Y.Doc): ModelDefinition {
  return modelOfBoard(readMeta(doc));
}

export function setTitle(doc: Y.Doc, title: string): void {
  const clean = title.trim().slice(0, TITLE_MAX);
  if (clean) metaOf(doc).set('title', clean);
}

export function setBaselineScenario(doc: Y.Doc, scenarioId: string): void {
  if (scenariosOf(doc).has(scenarioId)) metaOf(doc).set('baselineScenarioId', scenarioId);
}

export function setFrozen(doc: Y.Doc, frozen: boolean): void {
  metaOf(doc).set('frozen', frozen);
}

/** Open or close the baseline for editors (moderators; the server refuses it from anyone else). */
export function setBaselineOpen(doc: Y.Doc, open: boolean): void {
  metaOf(doc).set('baselineOpen', open);
}

/** Let editors change only the presented scenario, or any (moderators only). */
export function setEditPresentedOnly(doc: Y.Doc, on: boolean): void {
  metaOf(doc).set('editPresentedOnly', on);
}

/** The board's default language, shown on the projector (moderators only). */
export function setDefaultLocale(doc: Y.Doc, locale: Locale): void {
  metaOf(doc).set('defaultLocale', locale);
}
