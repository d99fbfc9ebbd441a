/**
 * Models by id and version. A board records the model id and version it was made with and is read
 * with exactly that version, so its numbers never change by themselves; a moderator may upgrade it
 * to a newer version (MODEL.md v2, item 7). Both versions share one set of equations
 * (project.ts): v1 is v2 with a training programme that never ends, which is what v1 computed.
 */
import {
  ASSUMPTIONS,
  ASSUMPTION_GROUPS,
  ASSUMPTION_IDS,
  BASE_YEAR,
  MODEL_ID,
  MODEL_VERSION,
  withDefaults,
  type AssumptionId,
  type AssumptionSpecs,
  type Assumptions,
} from './assumptions';
import { project, type Projection } from './project';
import type { Actual } from './actuals';
import { plausibilityWarnings, type ProjectionWarning } from './plausibility';

export interface ModelDefinition {
  id: string;
  version: number;
  label: string;
  description: string;
  /** What this version changed, in a few plain sentences (shown before an upgrade). */
  changes: readonly string[];
  /** The assumptions a board of this version has and may edit, in display order. */
  assumptionIds: readonly AssumptionId[];
  /** Specs (label, range, default, band, source) as this version uses them. */
  assumptions: AssumptionSpecs;
  groups: typeof ASSUMPTION_GROUPS;
  /** Every assumption at this version's default. */
  defaults: () => Assumptions;
  /**
   * A complete assumption record from what a board stores: missing ids take this version's
   * defaults, values are clamped into range, and ids this version does not have are fixed.
   */
  readValues: (stored: Partial<Record<string, number>>) => Assumptions;
  /** R22: `actuals` fix reported years; the projection continues from the latest (both versions). */
  project: (values: Assumptions, actuals?: readonly Actual[] | null) => Projection;
  /** The plausibility guard (R21). */
  warnings: (p: Projection) => ProjectionWarning[];
}

/** Ids model v2 added; v1 boards neither store nor edit them. */
export const PROGRAMME_IDS: readonly AssumptionId[] = Object.freeze([
  'programmeStart',
  'programmeYears',
] as const);

/**
 * R18: model v1's programme expressed in v2's terms: training from BASE_YEAR + 1, for longer than
 * any horizon reaches (2024 + 20 years covers every year to 2043 > 2040), so the intake never stops.
 */
export const V1_PROGRAMME: Readonly<Pick<Assumptions, 'programmeStart' | 'programmeYears'>> =
  Object.freeze({
    programmeStart: BASE_YEAR + 1,
    programmeYears: ASSUMPTIONS.programmeYears.max,
  });

/** Model v1's uncertainty band for baselineGrowth; v2 widened it to 0-15%/yr (MODEL.md v2, item 3). */
const V1_SPECS: AssumptionSpecs = Object.freeze({
  ...ASSUMPTIONS,
  baselineGrowth: Object.freeze({
    ...ASSUMPTIONS.baselineGrowth,
    band: Object.freeze({ low: 3, high: 12 }),
  }),
  programmeStart: Object.freeze({
    ...ASSUMPTIONS.programmeStart,
    default: V1_PROGRAMME.programmeStart,
  }),
  programmeYears: Object.freeze({
    ...ASSUMPTIONS.programmeYears,
    default: V1_PROGRAMME.programmeYears,
  }),
});

const V1_IDS: readonly AssumptionId[] = Object.freeze(
  ASSUMPTION_IDS.filter((id) => !PROGRAMME_IDS.includes(id)),
);

function readV1Values(stored: Partial<Record<string, number>>): Assumptions {
  return { ...withDefaults(stored), ...V1_PROGRAMME };
}

const LABEL = "Pakistan's ICT exports";
const DESCRIPTION =
  'Yearly ICT export revenue by source (existing firms, new services, new products, freelancers) against the $5B / $10B / $18B targets.';

const MODELS: readonly ModelDefinition[] = [
  {
    id: MODEL_ID,
    version: 1,
    label: LABEL,
    description: DESCRIPTION,
    changes: ['The first version: training runs every year to the horizon.'],
    assumptionIds: V1_IDS,
    assumptions: V1_SPECS,
    groups: ASSUMPTION_GROUPS,
    defaults: () => readV1Values({}),
    readValues: readV1Values,
    project,
    warnings: plausibilityWarnings,
  },
  {
    id: MODEL_ID,
    version: MODEL_VERSION,
    label: LABEL,
    description: DESCRIPTION,
    changes: [
      'The training programme ends: 40,000 people a year for 5 years from 2024 (the policy’s 200,000), instead of 40,000 every year to the horizon.',
      'Revenue per trainee counts only what training adds (total minus the total without the programme).',
      'Growth of today’s firm exports is labelled a modelling assumption and its uncertainty band widens to 0-15% a year.',
      'Years more than 10x the base year, or growing more than 60% in a year, are flagged as outside what the model was built for.',
    ],
    assumptionIds: ASSUMPTION_IDS,
    assumptions: ASSUMPTIONS,
    groups: ASSUMPTION_GROUPS,
    defaults: () => withDefaults({}),
    readValues: withDefaults,
    project,
    warnings: plausibilityWarnings,
  },
];

/** Every registered model version, oldest first. */
export function listModels(): readonly ModelDefinition[] {
  return MODELS;
}

/** A specific version, or the newest version of `id` when `version` is omitted. */
export function getModel(id: string, version?: number): ModelDefinition | null {
  // Called for every write a board judges: no arrays built here.
  let found: ModelDefinition | null = null;
  for (const m of MODELS) {
    if (m.id !== id) continue;
    if (version === undefined ? !found || m.version > found.version : m.version === version)
      found = m;
  }
  return found;
}

/**
 * The model a saved board is read with: exactly the version it records (a board never changes
 * numbers by itself), and the newest version of the same model when that is newer (an upgrade a
 * moderator may choose). Null for a model or version this build does not know.
 */
export function modelForBoard(meta: { modelId: string; modelVersion: number }): {
  model: ModelDefinition;
  newer: ModelDefinition | null;
} | null {
  const model = getModel(meta.modelId, meta.modelVersion);
  if (!model) return null;
  const newest = getModel(meta.modelId)!;
  return { model, newer: newest.version > model.version ? newest : null };
}

/** The model a board's numbers come from; a version this build does not know reads as the newest. */
export function modelOfBoard(meta: { modelId: string; modelVersion: number }): ModelDefinition {
  return getModel(meta.modelId, meta.modelVersion) ?? getModel(MODEL_ID)!;
}
