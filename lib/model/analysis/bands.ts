/**
 * Uncertainty bands: how far each assumption of a scenario could plausibly be from its value.
 * Monte Carlo samples inside them and the tornado moves each assumption to its ends. Rules B1-B5 in
 * lib/model/README.md ("Analyses").
 */
import {
  ASSUMPTIONS,
  ASSUMPTION_IDS,
  type AssumptionId,
  type AssumptionSpec,
  type AssumptionSpecs,
  type Assumptions,
} from '../assumptions';

/** An uncertainty band per assumption, in the assumption's display units. */
export type Bands = Partial<Record<AssumptionId, { low: number; high: number }>>;

/** One sampled assumption: its band and the scenario's value (the most likely value). */
export interface EffectiveBand {
  id: AssumptionId;
  low: number;
  value: number;
  high: number;
}

/**
 * B2: how a spec's default band moves with the scenario's value. Rates in percentage points and
 * years keep their width (`additive`); quantities on a ratio scale (people, dollars, multipliers,
 * $B) keep their relative width (`relative`).
 */
export type BandShift = 'additive' | 'relative';

/** B2, by unit. */
export function bandShiftOf(spec: AssumptionSpec): BandShift {
  switch (spec.unit) {
    case '%':
    case '%/yr':
    case 'yrs':
    case 'year':
      return 'additive';
    default:
      // A default of 0 would make a relative band meaningless; none has one, but stay safe.
      return spec.default > 0 ? 'relative' : 'additive';
  }
}

/**
 * G0: assumptions goal seek and the frontier never move: the horizon (it only bounds what a
 * projection shows) and the programme's start (the total is not monotone in it: a later start
 * can raise a year's total when product revenue grows faster than attrition).
 */
export const NOT_SEEKABLE: ReadonlySet<AssumptionId> = new Set<AssumptionId>([
  'horizon',
  'programmeStart',
]);

/**
 * B1: assumptions never sampled or moved by the analyses, whatever their band: the horizon, and
 * the programme's start and length (policy decisions, not uncertainties).
 */
export const UNSAMPLED: ReadonlySet<AssumptionId> = new Set<AssumptionId>([
  'horizon',
  'programmeStart',
  'programmeYears',
]);

function clampToRange(spec: AssumptionSpec, x: number): number {
  return x < spec.min ? spec.min : x > spec.max ? spec.max : x;
}

/**
 * One assumption's band for a scenario value `v` (B2-B4), or null if it is degenerate (B5).
 */
function bandFor(
  id: AssumptionId,
  v: number,
  override: { low: number; high: number } | undefined,
  specs: AssumptionSpecs,
): EffectiveBand | null {
  const spec = specs[id];
  if (UNSAMPLED.has(id) || !Number.isFinite(v)) return null;
  let low: number;
  let high: number;
  if (override && Number.isFinite(override.low) && Number.isFinite(override.high)) {
    // B3: an override is absolute, for this scenario; it is widened to contain the value.
    low = Math.min(override.low, override.high, v);
    high = Math.max(override.low, override.high, v);
  } else if (bandShiftOf(spec) === 'additive') {
    // B2: same width in points/years, moved with the value.
    low = v + (spec.band.low - spec.default);
    high = v + (spec.band.high - spec.default);
  } else {
    // B2: same width relative to the value. (v / default) is exactly 1 at the default, so the
    // default scenario gets the spec's band exactly.
    const ratio = v / spec.default;
    low = spec.band.low * ratio;
    high = spec.band.high * ratio;
  }
  // B4: inside the assumption's range, whole numbers for integer assumptions (rounded outwards).
  low = clampToRange(spec, low);
  high = clampToRange(spec, high);
  if (spec.integer) {
    low = Math.floor(low);
    high = Math.ceil(high);
  }
  // A value outside its range (unvalidated input) would leave it outside the band: keep it in.
  low = Math.min(low, v);
  high = Math.max(high, v);
  // B5: nothing to sample.
  if (!(high > low)) return null;
  return { id, low, value: v, high };
}

/**
 * The bands the analyses use for a scenario, one per non-degenerate assumption in display order
 * (B1-B5). `overrides` replace the spec's default band for the assumptions they name; `specs` are
 * the board's model version's (a v1 board keeps v1's bands).
 */
export function effectiveBandList(
  values: Assumptions,
  overrides?: Bands,
  specs: AssumptionSpecs = ASSUMPTIONS,
): EffectiveBand[] {
  const out: EffectiveBand[] = [];
  for (const id of ASSUMPTION_IDS) {
    const band = bandFor(id, values[id], overrides?.[id], specs);
    if (band) out.push(band);
  }
  return out;
}

/**
 * A scenario's uncertainty band for each assumption (B1-B5): the spec's default band moved to the
 * scenario's value (additively for rates, relatively for quantities), or the override, clamped to
 * the range and rounded outwards for integer assumptions. Assumptions whose band has no width (the
 * horizon, or a relative band at value 0) are omitted: nothing to sample.
 */
export function effectiveBands(
  values: Assumptions,
  overrides?: Bands,
  specs: AssumptionSpecs = ASSUMPTIONS,
): Bands {
  const out: Bands = {};
  for (const b of effectiveBandList(values, overrides, specs))
    out[b.id] = { low: b.low, high: b.high };
  return out;
}
