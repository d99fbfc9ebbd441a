/**
 * Analyses beyond a single run (MODEL.md): uncertainty bands, Monte Carlo, tornado, goal seek, a
 * two-lever frontier and attribution. Pure and deterministic like the rest of lib/model: no React,
 * no I/O, no clock, no Math.random (seeded sfc32 instead). Rules B, M, T, G, F, A in ../README.md.
 */
export { AnalysisInputError } from './errors';
export { Rng, checkSeed, seedFromString, triangularQuantile } from './random';
export {
  bandShiftOf,
  effectiveBands,
  effectiveBandList,
  UNSAMPLED,
  NOT_SEEKABLE,
  type BandShift,
  type Bands,
  type EffectiveBand,
} from './bands';
export {
  DEFAULT_SAMPLES,
  MAX_SAMPLES,
  monteCarlo,
  type MonteCarloOptions,
  type MonteCarloResult,
  type TargetId,
} from './monteCarlo';
export { tornado, type TornadoBar, type TornadoOptions, type TornadoResult } from './tornado';
export { GOAL_SEEK_GRID, goalSeek, type GoalSeekOptions, type GoalSeekResult } from './goalSeek';
export {
  FRONTIER_GRID,
  frontier,
  type FrontierOptions,
  type FrontierPoint,
  type FrontierResult,
} from './frontier';
export {
  DEFAULT_PERMUTATIONS,
  EXACT_SHAPLEY_MAX,
  attribution,
  type AttributionBar,
  type AttributionOptions,
  type AttributionResult,
} from './attribution';
export {
  projectionSeries,
  uncertaintyRows,
  type ProjectionSeries,
  type UncertaintyRow,
} from './outputs';
export { percentilesInPlace } from './quantiles';
