/**
 * The projection: yearly ICT export revenue by source, from BASE_YEAR to the horizon.
 * Rule numbers (R1...) refer to lib/model/README.md.
 *
 * Called on every slider move and thousands of times per Monte Carlo run, so it is one loop with
 * running sums: O(years), no inner loop over cohorts. The loop lives once, in simulate(), which
 * reads an assumption vector and writes typed-array scratch: project() turns that into one small
 * object per year, projectTotalsInto / projectVectorTotalsInto copy only the totals (no allocation).
 */
import {
  ASSUMPTIONS,
  ASSUMPTION_IDS,
  BASE_HIGH_SKILL_PERCENT,
  BASE_YEAR,
  OBSERVED_CONVERSION_PERCENT,
  type AssumptionId,
  type Assumptions,
} from './assumptions';
import { actualsTable, type Actual, type ActualsTable, type YearKind } from './actuals';

/** One projected year. Money in US dollars, people in people. */
export interface YearResult {
  year: number;
  /** Today's firm exports grown at baselineGrowth (R2). */
  existing: number;
  /** Exports by trained workers in services firms (R3, R5). */
  services: number;
  /** Exports by trained workers in product companies (R3, R5). */
  products: number;
  /** Freelancer earnings, organic and trained (R6-R8). */
  freelance: number;
  /** existing + services + products + freelance (R9). */
  total: number;
  /** Placed trainees still in export work: firm workers net of attrition plus trained freelancers net of churn (R10). */
  workforceAdded: number;
  /** Everything but products over total, 0..1 (R9). */
  servicesShareOfTotal: number;
  /** People trained this year: trainingOutput while the programme runs, else 0 (R18). Optional so hand-built fixtures stay valid; project() always sets it. */
  trained?: number;
  /**
   * The total of the same scenario without the programme (nobody trained): existing firm exports
   * plus the organic freelancers (R19). total - withoutProgramme is what training adds.
   * Optional like `trained`; project() always sets it.
   */
  withoutProgramme?: number;
  /**
   * R22: 'actual' for a year whose total is a reported actual, 'projected' otherwise. Set on every
   * year only when the projection was given actuals; absent means projected (a board without them).
   */
  kind?: YearKind;
  /** R22: the reported figure's source line (actual years only). */
  source?: string;
}

/** From BASE_YEAR to the horizon inclusive. */
export interface Projection {
  years: YearResult[];
}

const HORIZON = ASSUMPTIONS.horizon;
/** Most years a projection can have: BASE_YEAR to the largest horizon, inclusive. */
export const MAX_PROJECTION_YEARS = HORIZON.max - BASE_YEAR + 1;

/** R17: the last year project(a) covers: the horizon rounded and clamped (non-finite -> default). */
export function horizonYear(a: Pick<Assumptions, 'horizon'>): number {
  return sanitiseHorizon(a.horizon);
}

function sanitiseHorizon(h: number): number {
  return Number.isFinite(h)
    ? Math.min(HORIZON.max, Math.max(HORIZON.min, Math.round(h)))
    : HORIZON.default;
}

/**
 * Position of each assumption in an assumption vector: ASSUMPTION_IDS order. Hot loops (Monte
 * Carlo) keep a scenario as a Float64Array, where setting a value is a plain store: on an object,
 * `a[id] = x` with a varying id is a megamorphic keyed store that allocates a box per double.
 */
export const ASSUMPTION_INDEX: Readonly<Record<AssumptionId, number>> = Object.freeze(
  Object.fromEntries(ASSUMPTION_IDS.map((id, i) => [id, i])) as Record<AssumptionId, number>,
);
const I = ASSUMPTION_INDEX;

/** An assumption vector (ASSUMPTION_INDEX order), written into `out` if given. */
export function assumptionVector(
  a: Assumptions,
  out: Float64Array = new Float64Array(ASSUMPTION_IDS.length),
): Float64Array {
  // Named loads, not a loop over ids: `a[id]` with a varying id is megamorphic (slow).
  // analysis/projectTotals.test.ts (V2) checks that every id is copied.
  out[I.trainingOutput] = a.trainingOutput;
  out[I.programmeStart] = a.programmeStart;
  out[I.programmeYears] = a.programmeYears;
  out[I.highSkillShare] = a.highSkillShare;
  out[I.placementRate] = a.placementRate;
  out[I.attritionRate] = a.attritionRate;
  out[I.freelanceShare] = a.freelanceShare;
  out[I.conversionRate] = a.conversionRate;
  out[I.earningsPerFreelancer] = a.earningsPerFreelancer;
  out[I.organicSignups] = a.organicSignups;
  out[I.freelancerChurn] = a.freelancerChurn;
  out[I.revenuePerWorker] = a.revenuePerWorker;
  out[I.skillPremium] = a.skillPremium;
  out[I.servicesShare] = a.servicesShare;
  out[I.productStartRatio] = a.productStartRatio;
  out[I.productGrowth] = a.productGrowth;
  out[I.baselineGrowth] = a.baselineGrowth;
  out[I.baseExports] = a.baseExports;
  out[I.baseFreelanceExports] = a.baseFreelanceExports;
  out[I.phaseInYears] = a.phaseInYears;
  out[I.horizon] = a.horizon;
  return out;
}

/** One projection's yearly series, struct-of-arrays; index t = year - BASE_YEAR. */
interface Series {
  existing: Float64Array;
  services: Float64Array;
  products: Float64Array;
  freelance: Float64Array;
  total: Float64Array;
  workforceAdded: Float64Array;
  servicesShareOfTotal: Float64Array;
  trained: Float64Array;
  withoutProgramme: Float64Array;
}

const newSeries = (): Series => ({
  existing: new Float64Array(MAX_PROJECTION_YEARS),
  services: new Float64Array(MAX_PROJECTION_YEARS),
  products: new Float64Array(MAX_PROJECTION_YEARS),
  freelance: new Float64Array(MAX_PROJECTION_YEARS),
  total: new Float64Array(MAX_PROJECTION_YEARS),
  workforceAdded: new Float64Array(MAX_PROJECTION_YEARS),
  servicesShareOfTotal: new Float64Array(MAX_PROJECTION_YEARS),
  trained: new Float64Array(MAX_PROJECTION_YEARS),
  withoutProgramme: new Float64Array(MAX_PROJECTION_YEARS),
});

/**
 * Module-level scratch for simulate(). Safe because simulate() is synchronous, calls nothing
 * outside this file and every caller copies what it needs out before returning; JavaScript runs
 * one call at a time per realm (each worker has its own module instance).
 */
const SCRATCH: Series = newSeries();
const VECTOR = new Float64Array(ASSUMPTION_IDS.length);

/**
 * The equations, once: the single source of truth for project() and projectTotalsInto().
 * Writes years 0..T into `s` and returns T. Allocates nothing.
 */
function simulate(v: Float64Array, s: Series, actuals: ActualsTable | null = null): number {
  const years = sanitiseHorizon(v[I.horizon]!) - BASE_YEAR;

  // R1: display units -> fractions and dollars.
  const placementRate = v[I.placementRate]! / 100;
  const freelanceShare = v[I.freelanceShare]! / 100;
  const servicesShare = v[I.servicesShare]! / 100;
  const survival = 1 - v[I.attritionRate]! / 100;
  const growth = 1 + v[I.baselineGrowth]! / 100;
  const keep = 1 - v[I.freelancerChurn]! / 100;
  const c0 = OBSERVED_CONVERSION_PERCENT / 100;
  const c1 = v[I.conversionRate]! / 100;
  const phaseIn = v[I.phaseInYears]!;
  const earnings = v[I.earningsPerFreelancer]!;
  const baseFreelance = v[I.baseFreelanceExports]! * 1e9;
  const organicSignups = v[I.organicSignups]!;

  // R4: skill factor, 1 at today's mix.
  const premium = v[I.skillPremium]! - 1;
  const skill =
    (1 + (v[I.highSkillShare]! / 100) * premium) / (1 + (BASE_HIGH_SKILL_PERCENT / 100) * premium);
  const revenuePerWorker = v[I.revenuePerWorker]! * skill;

  // R18: the programme trains trainingOutput a year in [programmeStart, programmeStart + programmeYears).
  const intake = v[I.trainingOutput]!;
  const firstIntakeYear = v[I.programmeStart]!;
  const endYear = firstIntakeYear + v[I.programmeYears]!;

  // R3: one year's cohort.
  const placed = intake * placementRate;
  const cohortFreelancers = placed * freelanceShare;
  const cohortFirm = placed * (1 - freelanceShare);
  const cohortServicesRevenue = cohortFirm * servicesShare * revenuePerWorker;
  const cohortProductsRevenue =
    cohortFirm * (1 - servicesShare) * revenuePerWorker * v[I.productStartRatio]!;
  // R5: a product cohort's revenue at age k is start * ((1 - attrition) * (1 + productGrowth))^k.
  const productCarry = survival * (1 + v[I.productGrowth]! / 100);

  // R6: today's registered pool, sized so that pool x 1.3% x earnings = base-year freelance exports.
  const pool0 = earnings > 0 ? baseFreelance / (c0 * earnings) : 0;

  // Running state (R2-R8).
  let existing = (v[I.baseExports]! - v[I.baseFreelanceExports]!) * 1e9;
  let services = 0;
  let products = 0;
  let firmWorkers = 0;
  let organicPool = pool0;
  let trainedPool = 0;
  // R18: whether last year's intake happened (nobody is trained in the base year).
  let trainedLastYear = 0;

  for (let t = 0; t <= years; t++) {
    let freelance: number;
    let organicFreelance: number;
    const year = BASE_YEAR + t;
    const trainedThisYear = t >= 1 && year >= firstIntakeYear && year < endYear ? 1 : 0;
    if (t === 0) {
      // R6: the base year is the calibration, exactly.
      freelance = baseFreelance;
      organicFreelance = baseFreelance;
    } else {
      existing *= growth;
      // R3: the cohort trained in year s earns from s + 1 (R18: only years the programme runs).
      const entering = trainedLastYear;
      services = services * survival + entering * cohortServicesRevenue;
      products = products * productCarry + entering * cohortProductsRevenue;
      firmWorkers = firmWorkers * survival + entering * cohortFirm;
      // R7: pool dynamics; trained freelancers enter with the same one-year lag.
      organicPool = organicPool * keep + organicSignups;
      trainedPool = trainedPool * keep + entering * cohortFreelancers;
      // R8: conversion moves linearly from 1.3% to conversionRate over phaseInYears.
      const f = phaseIn > 0 ? (t < phaseIn ? t / phaseIn : 1) : 1;
      const conversion = c0 * (1 - f) + c1 * f;
      freelance = (organicPool + trainedPool) * conversion * earnings;
      organicFreelance = organicPool * conversion * earnings;
    }
    trainedLastYear = trainedThisYear;
    // R9
    const nonProducts = existing + services + freelance;
    const total = nonProducts + products;
    s.existing[t] = existing;
    s.services[t] = services;
    s.products[t] = products;
    s.freelance[t] = freelance;
    s.total[t] = total;
    s.workforceAdded[t] = firmWorkers + trainedPool;
    s.servicesShareOfTotal[t] = total > 0 ? nonProducts / total : 1;
    s.trained[t] = trainedThisYear * intake;
    // R19: without trainees, services, products and the trained pool stay 0.
    s.withoutProgramme[t] = existing + organicFreelance;
  }
  if (actuals) applyActuals(s, years, actuals, growth);
  return years;
}

/**
 * R22: reported actuals replace the model's years and the projection continues from the latest.
 *
 * In a year with an actual, the total is the reported figure exactly. Its parts: freelance is the
 * reported freelance figure (the model's when none is reported); the programme's segments (new
 * services, new products) are the model's for that year (what training had added by then is part
 * of what was reported); existing firm exports are the remainder. If the remainder would be
 * negative, existing is 0 and the other parts are scaled down to fit the total.
 *
 * After the latest actual year L, the non-programme paths are rebased to it and the programme's
 * segments keep their own dynamics: existing(t) = existing'(L) * (1 + baselineGrowth)^(t - L),
 * freelance(t) = model freelance(t) * freelance'(L) / model freelance(L) (1 when the model has
 * none); new services and products are the model's. So, while the remainder is non-negative,
 * total(L+1) = (actual(L) - services(L) - products(L) - freelance'(L)) * (1 + baselineGrowth)
 *            + services(L+1) + products(L+1) + freelance(L+1).
 * Years before L without an actual stay the model's. "Without the programme" in an actual year is
 * the actual minus what the model says training added; after L it uses the rebased paths.
 */
function applyActuals(s: Series, years: number, a: ActualsTable, growth: number): void {
  let existingL = 0;
  let freelanceRatio = 1;
  const last = Math.min(years, a.latest);
  for (let t = 1; t <= last; t++) {
    const actual = a.total[t]!;
    if (Number.isNaN(actual)) continue;
    const modelFreelance = s.freelance[t]!;
    const added = s.total[t]! - s.withoutProgramme[t]!;
    let services = s.services[t]!;
    let products = s.products[t]!;
    const reportedFreelance = a.freelance[t]!;
    let freelance = Number.isNaN(reportedFreelance) ? modelFreelance : reportedFreelance;
    let existing = actual - services - products - freelance;
    if (existing < 0) {
      existing = 0;
      if (Number.isNaN(reportedFreelance)) {
        const k = actual / (services + products + freelance);
        services *= k;
        products *= k;
        freelance *= k;
      } else {
        const k = (actual - freelance) / (services + products);
        services *= k;
        products *= k;
      }
    }
    s.existing[t] = existing;
    s.services[t] = services;
    s.products[t] = products;
    s.freelance[t] = freelance;
    s.total[t] = actual;
    s.servicesShareOfTotal[t] = actual > 0 ? (actual - products) / actual : 1;
    s.withoutProgramme[t] = Math.max(0, actual - added);
    existingL = existing;
    freelanceRatio = modelFreelance > 0 ? freelance / modelFreelance : 1;
  }
  let existing = existingL;
  for (let t = a.latest + 1; t <= years; t++) {
    existing *= growth;
    const organicFreelance = s.withoutProgramme[t]! - s.existing[t]!;
    const freelance = s.freelance[t]! * freelanceRatio;
    const nonProducts = existing + s.services[t]! + freelance;
    const total = nonProducts + s.products[t]!;
    s.existing[t] = existing;
    s.freelance[t] = freelance;
    s.total[t] = total;
    s.servicesShareOfTotal[t] = total > 0 ? nonProducts / total : 1;
    s.withoutProgramme[t] = existing + organicFreelance * freelanceRatio;
  }
}

/**
 * Project yearly exports. Pure and deterministic. Expects values in range (validate at the edge with
 * checkAssumptionValue / withDefaults); only the horizon is sanitised, because it bounds the loop.
 */
export function project(a: Assumptions, actuals?: readonly Actual[] | null): Projection {
  const table = actualsTable(actuals);
  const years = simulate(assumptionVector(a, VECTOR), SCRATCH, table);
  const s = SCRATCH;
  const out: YearResult[] = new Array<YearResult>(years + 1);
  for (let t = 0; t <= years; t++) {
    out[t] = {
      year: BASE_YEAR + t,
      existing: s.existing[t]!,
      services: s.services[t]!,
      products: s.products[t]!,
      freelance: s.freelance[t]!,
      total: s.total[t]!,
      workforceAdded: s.workforceAdded[t]!,
      servicesShareOfTotal: s.servicesShareOfTotal[t]!,
      trained: s.trained[t]!,
      withoutProgramme: s.withoutProgramme[t]!,
    };
  }
  // R22: kinds and sources only when actuals were given, so a board without them reads as before.
  if (table && actuals) {
    for (const y of out)
      y.kind = Number.isNaN(table.total[y.year - BASE_YEAR]!) ? 'projected' : 'actual';
    for (const act of actuals) {
      const y = out[act.year - BASE_YEAR];
      if (y?.kind === 'actual' && y.year === act.year) y.source = act.source;
    }
  }
  return { years: out };
}

/**
 * The yearly totals of `project(a)`, bit for bit, written to `out[offset + t * stride]` for
 * t = 0 .. horizon - BASE_YEAR, without allocating: the path for goal seek, tornado and
 * attribution. Returns the number of years written (horizon - BASE_YEAR + 1). Throws a RangeError
 * if `out` is too short (a typed array would silently drop the writes).
 */
export function projectTotalsInto(
  a: Assumptions,
  out: Float64Array,
  offset = 0,
  stride = 1,
  actuals: ActualsTable | null = null,
): number {
  return projectVectorTotalsInto(assumptionVector(a, VECTOR), out, offset, stride, actuals);
}

/**
 * projectTotalsInto for an assumption vector (see ASSUMPTION_INDEX): the Monte Carlo hot path.
 * `v` is read, never written.
 */
export function projectVectorTotalsInto(
  v: Float64Array,
  out: Float64Array,
  offset = 0,
  stride = 1,
  actuals: ActualsTable | null = null,
): number {
  const years = simulate(v, SCRATCH, actuals);
  const last = offset + years * stride;
  if (!(offset >= 0 && stride >= 1 && last < out.length)) {
    throw new RangeError(
      `projectTotalsInto: a buffer of ${out.length} is too short for ${years + 1} years at offset ${offset}, stride ${stride}.`,
    );
  }
  const total = SCRATCH.total;
  for (let t = 0; t <= years; t++) out[offset + t * stride] = total[t]!;
  return years + 1;
}
