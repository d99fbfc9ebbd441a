/**
 * Models by id and version. A board records the model id and version it was made with; it is
 * read with the newest version of the same model, whose later assumptions take their defaults
 * (withDefaults), so saved boards keep working when a model grows.
 */
import {
  ASSUMPTIONS,
  ASSUMPTION_GROUPS,
  ASSUMPTION_IDS,
  MODEL_ID,
  MODEL_VERSION,
  defaultAssumptions,
  withDefaults,
  type Assumptions,
} from './assumptions';
import { project, type Projection } from './project';

export interface ModelDefinition {
  id: string;
  version: number;
  label: string;
  description: string;
  assumptionIds: typeof ASSUMPTION_IDS;
  assumptions: typeof ASSUMPTIONS;
  groups: typeof ASSUMPTION_GROUPS;
  defaults: () => Assumptions;
  /** Fill what an older board lacks with this version's defaults. */
  upgrade: (values: Partial<Record<string, number>>) => Assumptions;
  project: (values: Assumptions) => Projection;
}

const MODELS: readonly ModelDefinition[] = [
  {
    id: MODEL_ID,
    version: MODEL_VERSION,
    label: "Pakistan's ICT exports",
    description:
      'Yearly ICT export revenue by source (existing firms, new services, new products, freelancers) against the $5B / $10B / $18B targets.',
    assumptionIds: ASSUMPTION_IDS,
    assumptions: ASSUMPTIONS,
    groups: ASSUMPTION_GROUPS,
    defaults: defaultAssumptions,
    upgrade: withDefaults,
    project,
  },
];

/** Every registered model version, oldest first. */
export function listModels(): readonly ModelDefinition[] {
  return MODELS;
}

/** A specific version, or the newest version of `id` when `version` is omitted. */
export function getModel(id: string, version?: number): ModelDefinition | null {
  const versions = MODELS.filter((m) => m.id === id).sort((a, b) => a.version - b.version);
  if (version === undefined) return versions.at(-1) ?? null;
  return versions.find((m) => m.version === version) ?? null;
}

/**
 * The model a saved board is read with: the newest version of its model (never older than the
 * one it was made with). `upgraded` says that newer assumptions were filled with defaults.
 */
export function modelForBoard(meta: { modelId: string; modelVersion: number }): {
  model: ModelDefinition;
  upgraded: boolean;
} | null {
  const model = getModel(meta.modelId);
  if (!model || model.version < meta.modelVersion) return null;
  return { model, upgraded: model.version > meta.modelVersion };
}
