/**
 * The projection: yearly ICT export revenue by source, from BASE_YEAR to the horizon.
 * Rule numbers (R1...) refer to lib/model/README.md.
 *
 * Called on every slider move and thousands of times per Monte Carlo run, so it is one loop with
 * running sums: O(years), no inner loop over cohorts, one small object per year.
 */
import {
  ASSUMPTIONS,
  BASE_HIGH_SKILL_PERCENT,
  BASE_YEAR,
  OBSERVED_CONVERSION_PERCENT,
  type Assumptions,
} from './assumptions';

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
  /** People trained this year (0 in the base year). Optional so hand-built fixtures stay valid; project() always sets it. */
  trained?: number;
}

/** From BASE_YEAR to the horizon inclusive. */
export interface Projection {
  years: YearResult[];
}

const HORIZON = ASSUMPTIONS.horizon;

/**
 * Project yearly exports. Pure and deterministic. Expects values in range (validate at the edge with
 * checkAssumptionValue / withDefaults); only the horizon is sanitised, because it bounds the loop.
 */
export function project(a: Assumptions): Projection {
  const horizon = Number.isFinite(a.horizon)
    ? Math.min(HORIZON.max, Math.max(HORIZON.min, Math.round(a.horizon)))
    : HORIZON.default;
  const years = horizon - BASE_YEAR;

  // R1: display units -> fractions and dollars.
  const placementRate = a.placementRate / 100;
  const freelanceShare = a.freelanceShare / 100;
  const servicesShare = a.servicesShare / 100;
  const survival = 1 - a.attritionRate / 100;
  const growth = 1 + a.baselineGrowth / 100;
  const keep = 1 - a.freelancerChurn / 100;
  const c0 = OBSERVED_CONVERSION_PERCENT / 100;
  const c1 = a.conversionRate / 100;
  const phaseIn = a.phaseInYears;
  const earnings = a.earningsPerFreelancer;
  const baseFreelance = a.baseFreelanceExports * 1e9;

  // R4: skill factor, 1 at today's mix.
  const premium = a.skillPremium - 1;
  const skill = (1 + (a.highSkillShare / 100) * premium) / (1 + (BASE_HIGH_SKILL_PERCENT / 100) * premium);
  const revenuePerWorker = a.revenuePerWorker * skill;

  // R3: one year's cohort.
  const trained = a.trainingOutput;
  const placed = trained * placementRate;
  const cohortFreelancers = placed * freelanceShare;
  const cohortFirm = placed * (1 - freelanceShare);
  const cohortServicesRevenue = cohortFirm * servicesShare * revenuePerWorker;
  const cohortProductsRevenue = cohortFirm * (1 - servicesShare) * revenuePerWorker * a.productStartRatio;
  // R5: a product cohort's revenue at age k is start * ((1 - attrition) * (1 + productGrowth))^k.
  const productCarry = survival * (1 + a.productGrowth / 100);

  // R6: today's registered pool, sized so that pool x 1.3% x earnings = base-year freelance exports.
  const pool0 = earnings > 0 ? baseFreelance / (c0 * earnings) : 0;

  // Running state (R2-R8).
  let existing = (a.baseExports - a.baseFreelanceExports) * 1e9;
  let services = 0;
  let products = 0;
  let firmWorkers = 0;
  let organicPool = pool0;
  let trainedPool = 0;

  const out: YearResult[] = new Array<YearResult>(years + 1);
  for (let t = 0; t <= years; t++) {
    let freelance: number;
    if (t === 0) {
      // R6: the base year is the calibration, exactly.
      freelance = baseFreelance;
    } else {
      existing *= growth;
      // R3: cohort trained in year s earns from s + 1, so new cohorts enter from t = 2.
      const entering = t >= 2 ? 1 : 0;
      services = services * survival + entering * cohortServicesRevenue;
      products = products * productCarry + entering * cohortProductsRevenue;
      firmWorkers = firmWorkers * survival + entering * cohortFirm;
      // R7: pool dynamics; trained freelancers enter with the same one-year lag.
      organicPool = organicPool * keep + a.organicSignups;
      trainedPool = trainedPool * keep + entering * cohortFreelancers;
      // R8: conversion moves linearly from 1.3% to conversionRate over phaseInYears.
      const f = phaseIn > 0 ? (t < phaseIn ? t / phaseIn : 1) : 1;
      const conversion = c0 * (1 - f) + c1 * f;
      freelance = (organicPool + trainedPool) * conversion * earnings;
    }
    // R9
    const nonProducts = existing + services + freelance;
    const total = nonProducts + products;
    out[t] = {
      year: BASE_YEAR + t,
      existing,
      services,
      products,
      freelance,
      total,
      workforceAdded: firmWorkers + trainedPool,
      servicesShareOfTotal: total > 0 ? nonProducts / total : 1,
      trained: t === 0 ? 0 : trained,
    };
  }
  return { years: out };
}
