/**
 * Model v2 next to v1 (MODEL.md "v2"): v1 boards read exactly what they read before v2 existed
 * (test/fixtures/model-v1.json, written by the code of that day), v2's programme, its "without
 * the programme" line and its plausibility guard (rules R18-R21 in README.md).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  MODEL_ID,
  TENFOLD_LIMIT,
  YEARLY_GROWTH_LIMIT,
  V1_PROGRAMME,
  getModel,
  kpis,
  monteCarlo,
  plausibilityWarnings,
  project,
  tornado,
  type Assumptions,
  type Kpis,
  type MonteCarloResult,
  type TornadoResult,
  type YearResult,
} from './index';
import { assumptionsArb, valueArb } from './arbitraries.test-helpers';

const v1 = getModel(MODEL_ID, 1)!;
const v2 = getModel(MODEL_ID, 2)!;
const B = 1e9;

interface V1Fixture {
  scenarios: { values: Record<string, number>; years: YearResult[]; kpis: Kpis }[];
  monteCarloDefaults: MonteCarloResult;
  tornadoDefaults: TornadoResult;
}
const fixture = JSON.parse(
  readFileSync(new URL('../../test/fixtures/model-v1.json', import.meta.url), 'utf8'),
) as V1Fixture;

const total = (a: Assumptions, year: number) =>
  project(a).years.find((y) => y.year === year)!.total;

describe('V1 boards read exactly what they read before v2 existed (fixture)', () => {
  it(`projections and KPIs of ${fixture.scenarios.length} scenarios, bit for bit`, () => {
    expect(fixture.scenarios.length).toBeGreaterThan(40);
    for (const s of fixture.scenarios) {
      const p = v1.project(v1.readValues(s.values));
      expect(p.years).toHaveLength(s.years.length);
      p.years.forEach((y, i) => expect(y).toMatchObject(s.years[i]!));
      expect(kpis(p)).toMatchObject(s.kpis);
    }
  });

  it('Monte Carlo and the tornado with v1’s bands, bit for bit', () => {
    const a = v1.readValues(fixture.scenarios[0]!.values);
    expect(monteCarlo(a, { seed: 42, samples: 2000, specs: v1.assumptions })).toEqual(
      fixture.monteCarloDefaults,
    );
    expect(tornado(a, { specs: v1.assumptions })).toEqual(fixture.tornadoDefaults);
  });
});

describe('R18 the programme trains trainingOutput a year for programmeYears from programmeStart', () => {
  it('defaults: 40,000 a year 2024-2028, the policy’s 200,000', () => {
    const years = project(v2.defaults()).years;
    expect(years.map((y) => [y.year, y.trained])).toEqual([
      [2023, 0],
      [2024, 40_000],
      [2025, 40_000],
      [2026, 40_000],
      [2027, 40_000],
      [2028, 40_000],
      [2029, 0],
      [2030, 0],
    ]);
    expect(kpis(project(v2.defaults())).trainedByHorizon).toBe(200_000);
  });

  it('programme length 20 (from 2024) reproduces v1 to 2030, and to any horizon (property)', () => {
    fc.assert(
      fc.property(assumptionsArb, (a) => {
        const v2Long = project({ ...a, programmeStart: 2024, programmeYears: 20 }).years;
        const v1Years = v1.project(v1.readValues(a)).years;
        expect(v2Long).toEqual(v1Years);
      }),
      { numRuns: 300 },
    );
  });

  it('a programme of 0 years equals trainingOutput 0, in every figure of every year (property)', () => {
    fc.assert(
      fc.property(assumptionsArb, (a) => {
        expect(project({ ...a, programmeYears: 0 }).years).toEqual(
          project({ ...a, trainingOutput: 0 }).years,
        );
      }),
      { numRuns: 300 },
    );
  });

  it('a longer programme never lowers any year’s total (property)', () => {
    fc.assert(
      fc.property(assumptionsArb, valueArb('programmeYears'), (a, years) => {
        const shorter = project({ ...a, programmeYears: Math.min(years, a.programmeYears) }).years;
        const longer = project({ ...a, programmeYears: Math.max(years, a.programmeYears) }).years;
        shorter.forEach((y, i) => expect(longer[i]!.total).toBeGreaterThanOrEqual(y.total));
      }),
      { numRuns: 200 },
    );
  });

  it('a programme starting after the horizon trains nobody', () => {
    const a = { ...v2.defaults(), programmeStart: 2035 };
    expect(project(a).years).toEqual(project({ ...a, trainingOutput: 0 }).years);
  });
});

describe('R19 the line without the programme', () => {
  it('equals the total of the same scenario with nobody trained (property)', () => {
    fc.assert(
      fc.property(assumptionsArb, (a) => {
        const without = project({ ...a, trainingOutput: 0 }).years;
        project(a).years.forEach((y, i) => expect(y.withoutProgramme).toBe(without[i]!.total));
      }),
      { numRuns: 300 },
    );
  });
});

describe('MODEL.md v2 sanity checks (defaults)', () => {
  it('2028 equals v1’s $4.08B: the 2024-2027 intakes are the same, the 2028 intake earns from 2029', () => {
    const v1Defaults = v1.defaults();
    expect(total(v2.defaults(), 2028)).toBe(total(v1Defaults, 2028));
    expect(total(v2.defaults(), 2028) / B).toBeCloseTo(4.08, 2);
  });

  it('2030 is below v1’s $4.82B: there is no 2029 intake', () => {
    expect(total(v1.defaults(), 2030) / B).toBeCloseTo(4.82, 2);
    expect(total(v2.defaults(), 2030)).toBeLessThan(total(v1.defaults(), 2030));
  });

  it('with programmeYears = 20 every year to 2030 equals v1', () => {
    expect(project({ ...v2.defaults(), programmeYears: 20 }).years).toEqual(
      project(v1.defaults()).years,
    );
    expect(v1.defaults()).toMatchObject(V1_PROGRAMME);
  });

  it('revenue per trainee counts only what training adds: far less than v1’s figure', () => {
    const k = kpis(project(v2.defaults()));
    expect(k.addedRevenuePerTrainee).toBeGreaterThan(0);
    expect(k.addedRevenuePerTrainee).toBeLessThan(k.revenuePerTrainee);
  });

  it('the defaults raise no plausibility warning', () => {
    expect(v2.warnings(project(v2.defaults()))).toEqual([]);
  });
});

describe('R21 warnings appear exactly when their rule says', () => {
  it('for any scenario: beyondTenfold iff total > 10x the base year, fastGrowth iff > 60% on the year before (property)', () => {
    fc.assert(
      fc.property(assumptionsArb, (a) => {
        const p = project(a);
        const expected: string[] = [];
        const base = p.years[0]!.total;
        for (let t = 1; t < p.years.length; t++) {
          const y = p.years[t]!;
          if (y.total / base > TENFOLD_LIMIT) expected.push(`${y.year} beyondTenfold`);
          if (y.total / p.years[t - 1]!.total - 1 > YEARLY_GROWTH_LIMIT)
            expected.push(`${y.year} fastGrowth`);
        }
        const got = plausibilityWarnings(p);
        expect(got.map((w) => `${w.year} ${w.kind}`)).toEqual(expected);
        for (const w of got) expect(w.message).toContain('outside what this model was built for');
      }),
      { numRuns: 300 },
    );
  });

  it('extreme settings that reach trillions are flagged', () => {
    const extreme = {
      ...v2.defaults(),
      trainingOutput: 300_000,
      programmeYears: 20,
      productGrowth: 100,
      servicesShare: 0,
      horizon: 2040,
    };
    const p = project(extreme);
    expect(p.years.at(-1)!.total).toBeGreaterThan(1e12);
    const kinds = new Set(plausibilityWarnings(p).map((w) => w.kind));
    expect(kinds).toEqual(new Set(['beyondTenfold', 'fastGrowth']));
  });
});
