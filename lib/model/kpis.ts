/**
 * Policy targets and the headline numbers derived from a projection (README rules R11-R15).
 */
import type { Assumptions } from './assumptions';
import type { Projection, YearResult } from './project';

export interface Target {
  id: 't5' | 't10' | 't18';
  label: string;
  /** US dollars. */
  value: number;
}

/** IT-export policy (Profit): $5B, then $10-18B by 2028. */
export const TARGETS: readonly Target[] = Object.freeze([
  Object.freeze({ id: 't5', label: '$5B policy target', value: 5e9 }),
  Object.freeze({ id: 't10', label: '$10B (low end of 2028 goal)', value: 10e9 }),
  Object.freeze({ id: 't18', label: '$18B (high end of 2028 goal)', value: 18e9 }),
] as const);

/** The year the $10-18B goal is set for; gaps are measured here. */
export const TARGET_YEAR = 2028;

export interface Kpis {
  /** Total in TARGET_YEAR; null if the horizon ends before it. */
  total2028: number | null;
  totalHorizon: number;
  horizonYear: number;
  /** Target minus the 2028 total: > 0 means short. Null if 2028 is beyond the horizon. */
  gapTo: Record<Target['id'], number | null>;
  /** First projected year (base year included) whose total reaches the target; null if not by the horizon. */
  firstYearMet: Record<Target['id'], number | null>;
  /** Compound yearly growth of the total from the base year to the horizon, as a fraction. */
  cagr: number;
  /**
   * Model v1's figure (R15): (horizon total - base total) / people trained up to the horizon, USD;
   * 0 if nobody is trained. It credits all growth to trainees; kept so v1 boards read as before.
   */
  revenuePerTrainee: number;
  /**
   * R20 (model v2): what the programme adds by the horizon (total - total without the programme)
   * / people trained up to the horizon, USD; 0 if nobody is trained.
   */
  addedRevenuePerTrainee: number;
  /** People trained from the base year to the horizon (R18). */
  trainedByHorizon: number;
  workforceAddedHorizon: number;
}

/** Headline numbers for one projection. */
export function kpis(p: Projection): Kpis {
  const years = p.years;
  const first = years[0];
  const last = years[years.length - 1];

  const gapTo: Record<Target['id'], number | null> = { t5: null, t10: null, t18: null };
  const firstYearMet: Record<Target['id'], number | null> = { t5: null, t10: null, t18: null };
  if (!first || !last) {
    return {
      total2028: null,
      totalHorizon: 0,
      horizonYear: first?.year ?? TARGET_YEAR,
      gapTo,
      firstYearMet,
      cagr: 0,
      revenuePerTrainee: 0,
      addedRevenuePerTrainee: 0,
      trainedByHorizon: 0,
      workforceAddedHorizon: 0,
    };
  }

  // R11
  const y2028 = years[TARGET_YEAR - first.year];
  const total2028 = y2028 && y2028.year === TARGET_YEAR ? y2028.total : null;

  let trainees = 0;
  for (const y of years) trainees += y.trained ?? 0;

  for (const target of TARGETS) {
    // R12
    gapTo[target.id] = total2028 === null ? null : target.value - total2028;
    // R13
    for (const y of years) {
      if (y.total >= target.value) {
        firstYearMet[target.id] = y.year;
        break;
      }
    }
  }

  // R14
  const span = last.year - first.year;
  const cagr = span > 0 && first.total > 0 ? Math.pow(last.total / first.total, 1 / span) - 1 : 0;

  return {
    total2028,
    totalHorizon: last.total,
    horizonYear: last.year,
    gapTo,
    firstYearMet,
    cagr,
    // R15
    revenuePerTrainee: trainees > 0 ? (last.total - first.total) / trainees : 0,
    // R20
    addedRevenuePerTrainee: trainees > 0 ? addedByProgramme(last) / trainees : 0,
    trainedByHorizon: trainees,
    workforceAddedHorizon: last.workforceAdded,
  };
}

/** R20: what the programme adds to one year's total (0 for a hand-built year without the figure). */
export function addedByProgramme(y: YearResult): number {
  return y.withoutProgramme === undefined ? 0 : y.total - y.withoutProgramme;
}

/** R20, per year: what the programme adds, people trained so far, and the ratio. */
export interface ProgrammeEffectYear {
  year: number;
  added: number;
  trainedSoFar: number;
  /** added / trainedSoFar, USD; 0 while nobody is trained. */
  perTrainee: number;
}

/** R20 for every year of a projection. */
export function programmeEffect(p: Projection): ProgrammeEffectYear[] {
  let trainedSoFar = 0;
  return p.years.map((y) => {
    trainedSoFar += y.trained ?? 0;
    const added = addedByProgramme(y);
    return {
      year: y.year,
      added,
      trainedSoFar,
      perTrainee: trainedSoFar > 0 ? added / trainedSoFar : 0,
    };
  });
}

/**
 * The programme in words, as the UI states it (MODEL.md v2, item 1): "200,000 people, 2024-2028
 * (40,000 a year for 5 years)". Years after the horizon are included: the programme is the policy.
 */
export function describeProgramme(
  a: Pick<Assumptions, 'trainingOutput' | 'programmeStart' | 'programmeYears'>,
): string {
  const years = Math.max(0, Math.round(a.programmeYears));
  if (years === 0 || a.trainingOutput <= 0) return 'No training programme';
  const n = (x: number) => x.toLocaleString('en-US');
  const last = a.programmeStart + years - 1;
  const span = years === 1 ? `${a.programmeStart}` : `${a.programmeStart}–${last}`;
  return `${n(a.trainingOutput * years)} people, ${span} (${n(a.trainingOutput)} a year for ${years} year${years === 1 ? '' : 's'})`;
}
