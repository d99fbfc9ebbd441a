/**
 * Pure helpers for the Analysis tab (components/analysis): the shared Monte Carlo seed, the
 * messages exchanged with the analysis worker, and chart rows built from the model's analyses.
 * No React, no DOM: tested and used by the worker, the tab and the e2e spec alike.
 */
import {
  ASSUMPTIONS,
  ASSUMPTION_IDS,
  BASE_YEAR,
  HEADLINE_LEVERS,
  MODEL_ID,
  NOT_SEEKABLE,
  TARGETS,
  UNSAMPLED,
  getModel,
  seedFromString,
  type AssumptionId,
  type AssumptionSpecs,
  type Assumptions,
  type AttributionResult,
  type Bands,
  type MonteCarloResult,
  type TornadoResult,
  type Actual,
} from '../model';

/** Samples per Monte Carlo run: every client draws the same 10,000 scenarios. */
export const ANALYSIS_SAMPLES = 10_000;

/**
 * The Monte Carlo seed for one scenario of one board: the same on every client (so everyone in the
 * workshop sees the same probabilities) and different between scenarios and boards.
 */
export function analysisSeed(boardId: string, scenarioId: string): number {
  return seedFromString(`${boardId}:${scenarioId}`);
}

/** A Monte Carlo request to the worker; `seq` tags it so stale answers can be dropped. */
export interface MonteCarloRequest {
  seq: number;
  values: Assumptions;
  bands: Bands;
  seed: number;
  samples: number;
  /** The board's model version: its default bands (a v1 board keeps v1's). */
  modelVersion: number;
  /** R22: the board's reported actuals (fixed years, no uncertainty). */
  actuals?: Actual[];
}

/** The specs of a board's model version (default bands differ between versions). */
export function specsOfVersion(modelVersion: number): AssumptionSpecs {
  return (getModel(MODEL_ID, modelVersion) ?? getModel(MODEL_ID)!).assumptions;
}

export type MonteCarloResponse =
  { seq: number; ok: true; result: MonteCarloResult } | { seq: number; ok: false; error: string };

/** Years a picker offers: 2024 to 2040 (the model's analysable years after the base year). */
export const ANALYSIS_YEARS: readonly number[] = Array.from(
  { length: 17 },
  (_, i) => BASE_YEAR + 1 + i,
);

/**
 * Levers for goal seek: the three headline levers first, then every other assumption it can move
 * (not the horizon nor the programme start: G0).
 */
export const GOAL_SEEK_LEVERS: readonly AssumptionId[] = [
  ...HEADLINE_LEVERS,
  ...ASSUMPTION_IDS.filter((id) => !NOT_SEEKABLE.has(id) && !HEADLINE_LEVERS.includes(id)),
];

/** Assumptions that can carry an uncertainty band (all but the horizon and the programme: B1). */
export const BANDABLE: readonly AssumptionId[] = ASSUMPTION_IDS.filter((id) => !UNSAMPLED.has(id));

/** Same bands (as the doc stores them) → same key, for memoising requests. */
export function bandsKey(bands: Bands): string {
  return JSON.stringify(
    Object.keys(bands)
      .sort()
      .map((k) => [k, bands[k as AssumptionId]?.low, bands[k as AssumptionId]?.high]),
  );
}

/** One row of the fan chart, in $B. */
export interface FanRow {
  year: number;
  p10: number;
  p50: number;
  p90: number;
  /** p90 - p10, stacked on p10 to draw the band. */
  spread: number;
  deterministic: number | null;
}

const B = 1e9;

export function fanRows(
  mc: MonteCarloResult,
  deterministic: readonly { year: number; total: number }[],
): FanRow[] {
  const byYear = new Map(deterministic.map((y) => [y.year, y.total]));
  return mc.years.map((year, i) => {
    const p10 = (mc.p10[i] ?? 0) / B;
    const p90 = (mc.p90[i] ?? 0) / B;
    const det = byYear.get(year);
    return {
      year,
      p10,
      p50: (mc.p50[i] ?? 0) / B,
      p90,
      spread: Math.max(0, p90 - p10),
      deterministic: det === undefined ? null : det / B,
    };
  });
}

/** A probability as the room reads it: "12%", "<1%" / ">99%" near the ends, "0%" / "100%" exactly. */
export function formatProbability(p: number): string {
  if (!Number.isFinite(p)) return '—';
  if (p <= 0) return '0%';
  if (p >= 1) return '100%';
  if (p < 0.005) return '<1%';
  if (p > 0.995) return '>99%';
  return `${Math.round(p * 100)}%`;
}

/** A horizontal bar positioned on a shared scale, as percentages of the track. */
export interface BarGeometry {
  left: number;
  width: number;
}

/** Scale [min, max] onto 0-100% and place the segment [a, b] (either order) on it. */
export function placeBar(a: number, b: number, min: number, max: number): BarGeometry {
  const span = max - min || 1;
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  return { left: ((lo - min) / span) * 100, width: ((hi - lo) / span) * 100 };
}

/** The tornado's scale: every bar's ends and the base, padded a little. */
export function tornadoScale(t: TornadoResult, bars = t.bars): { min: number; max: number } {
  let min = t.base;
  let max = t.base;
  for (const b of bars) {
    min = Math.min(min, b.totalAtLow, b.totalAtHigh);
    max = Math.max(max, b.totalAtLow, b.totalAtHigh);
  }
  const pad = (max - min) * 0.04 || Math.abs(t.base) * 0.05 || 1;
  return { min: min - pad, max: max + pad };
}

/** One step of the waterfall: a floating bar from `start` to `end` (US dollars). */
export interface WaterfallStep {
  key: string;
  label: string;
  kind: 'total' | 'up' | 'down';
  start: number;
  end: number;
  /** The change (for steps) or the total (for the two ends). */
  amount: number;
  detail: string;
}

/** Baseline total → one step per changed assumption (largest first) → scenario total. */
export function waterfallSteps(
  a: AttributionResult,
  names: { baseline: string; scenario: string },
  describe: (id: AssumptionId, from: number, to: number) => string,
): WaterfallStep[] {
  const steps: WaterfallStep[] = [
    {
      key: 'baseline',
      label: names.baseline,
      kind: 'total',
      start: 0,
      end: a.baselineTotal,
      amount: a.baselineTotal,
      detail: 'baseline scenario',
    },
  ];
  let running = a.baselineTotal;
  for (const bar of a.bars) {
    const next = running + bar.contribution;
    steps.push({
      key: bar.id,
      label: bar.label,
      kind: bar.contribution >= 0 ? 'up' : 'down',
      start: running,
      end: next,
      amount: bar.contribution,
      detail: describe(bar.id, bar.from, bar.to),
    });
    running = next;
  }
  steps.push({
    key: 'scenario',
    label: names.scenario,
    kind: 'total',
    start: 0,
    end: a.scenarioTotal,
    amount: a.scenarioTotal,
    detail: 'this scenario',
  });
  return steps;
}

/** A target choice for goal seek: one of the policy targets, or a custom amount in $B. */
export type TargetChoice = (typeof TARGETS)[number]['id'] | 'custom';

/** The amount (US dollars) of a target choice; null when a custom amount is not a positive number. */
export function targetValue(choice: TargetChoice, customBillions: string): number | null {
  if (choice !== 'custom') return TARGETS.find((t) => t.id === choice)?.value ?? null;
  const n = Number(customBillions.trim().replace(/^\$/, '').replace(/b$/i, ''));
  return Number.isFinite(n) && n > 0 && n <= 1000 ? n * B : null;
}

/** Short unit-free label for an assumption, for compact charts. */
export function shortLabel(id: AssumptionId): string {
  return ASSUMPTIONS[id].label;
}
