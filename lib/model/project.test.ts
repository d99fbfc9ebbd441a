import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  ASSUMPTIONS,
  ASSUMPTION_IDS,
  BASE_YEAR,
  defaultAssumptions,
  project,
  type AssumptionId,
  type Assumptions,
  type YearResult,
} from './index';
import { assumptionsArb, orderedPairArb } from './arbitraries.test-helpers';
import { V1_PROGRAMME } from './registry';

const B = 1e9;
const defaults = (over: Partial<Assumptions> = {}): Assumptions => ({
  ...defaultAssumptions(),
  ...over,
});
const at = (years: YearResult[], year: number): YearResult => {
  const y = years.find((r) => r.year === year);
  if (!y) throw new Error(`no result for ${year}`);
  return y;
};
const relClose = (actual: number, expected: number, rel = 1e-12) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(expected)));

describe('R0 shape: one result per year from BASE_YEAR to the horizon', () => {
  it('covers 2023..horizon inclusive, in order', () => {
    for (const horizon of [2025, 2030, 2040]) {
      const { years } = project(defaults({ horizon }));
      expect(years.map((y) => y.year)).toEqual(
        Array.from({ length: horizon - BASE_YEAR + 1 }, (_, i) => BASE_YEAR + i),
      );
    }
  });

  it('R17 sanitises an out-of-range or non-finite horizon instead of looping wildly', () => {
    expect(project(defaults({ horizon: 2031.4 })).years.at(-1)?.year).toBe(2031);
    expect(project(defaults({ horizon: 1e9 })).years.at(-1)?.year).toBe(ASSUMPTIONS.horizon.max);
    expect(project(defaults({ horizon: Number.NaN })).years.at(-1)?.year).toBe(
      ASSUMPTIONS.horizon.default,
    );
  });

  it('is deterministic: same input, same output', () => {
    const a = defaults({ trainingOutput: 123_456, conversionRate: 7.7 });
    expect(project(a)).toEqual(project({ ...a }));
  });
});

describe('R6 calibration: the base year reproduces the seed figures', () => {
  it('2023 total === baseExports * 1e9 at defaults, split into existing + freelance', () => {
    const y0 = project(defaultAssumptions()).years[0]!;
    expect(y0.year).toBe(2023);
    expect(y0.total).toBe(2.6 * B);
    expect(y0.freelance).toBe(0.4 * B);
    expect(y0.existing).toBe(2.2 * B);
    expect(y0.services).toBe(0);
    expect(y0.products).toBe(0);
    expect(y0.workforceAdded).toBe(0);
    expect(y0.servicesShareOfTotal).toBe(1);
  });

  it('holds for every assumption vector in range (property)', () => {
    fc.assert(
      fc.property(assumptionsArb, (a) => {
        const y0 = project(a).years[0]!;
        relClose(y0.total, a.baseExports * B);
        relClose(y0.freelance, a.baseFreelanceExports * B);
        relClose(y0.existing + y0.freelance, y0.total);
        expect(y0.services + y0.products).toBe(0);
      }),
    );
  });
});

describe('R2 existing firm exports grow at baselineGrowth', () => {
  it('(baseExports - baseFreelanceExports) * (1 + g)^t', () => {
    const { years } = project(defaults({ baselineGrowth: 8 }));
    years.forEach((y, t) => relClose(y.existing, 2.2 * B * 1.08 ** t, 1e-12));
    const shrinking = project(defaults({ baselineGrowth: -20 })).years;
    relClose(at(shrinking, 2025).existing, 2.2 * B * 0.8 ** 2);
  });
});

describe('R3 cohorts earn from the year after training and shrink by attrition', () => {
  it('no new firm revenue or trained workforce before 2025', () => {
    const { years } = project(defaults({ trainingOutput: 300_000 }));
    for (const y of years.slice(0, 2)) {
      expect(y.services).toBe(0);
      expect(y.products).toBe(0);
      expect(y.workforceAdded).toBe(0);
    }
    expect(at(years, 2025).services).toBeGreaterThan(0);
  });

  it('services = sum over cohorts of workers x (1 - attrition)^age x revenuePerWorker', () => {
    // 10,000 trained, all placed, none freelance, all services, today's skill mix.
    const a = defaults({
      trainingOutput: 10_000,
      placementRate: 100,
      freelanceShare: 0,
      servicesShare: 100,
      attritionRate: 10,
      revenuePerWorker: 20_000,
    });
    const { years } = project(a);
    const perCohort = 10_000 * 20_000;
    relClose(at(years, 2025).services, perCohort);
    relClose(at(years, 2026).services, perCohort * (1 + 0.9));
    relClose(at(years, 2028).services, perCohort * (1 + 0.9 + 0.81 + 0.729));
    expect(at(years, 2028).products).toBe(0);
  });
});

describe('R4 skill factor is 1 at the base mix (30% high-skill)', () => {
  it('the default mix earns exactly revenuePerWorker, a richer mix earns the premium', () => {
    const base = {
      trainingOutput: 10_000,
      placementRate: 100,
      freelanceShare: 0,
      servicesShare: 100,
    };
    const at30 = at(project(defaults({ ...base, highSkillShare: 30 })).years, 2025).services;
    relClose(at30, 10_000 * 12_000);
    const at60 = at(
      project(defaults({ ...base, highSkillShare: 60, skillPremium: 2.5 })).years,
      2025,
    ).services;
    relClose(at60 / at30, (1 + 0.6 * 1.5) / (1 + 0.3 * 1.5));
    // A premium of 1 makes the mix irrelevant.
    const flat = at(
      project(defaults({ ...base, highSkillShare: 100, skillPremium: 1 })).years,
      2025,
    ).services;
    relClose(flat, at30);
  });
});

describe('R5 product workers start at productStartRatio and grow at productGrowth', () => {
  it('cohort revenue at age k = start x ratio x ((1 - attrition)(1 + growth))^k', () => {
    const a = defaults({
      trainingOutput: 10_000,
      placementRate: 100,
      freelanceShare: 0,
      servicesShare: 0,
      attritionRate: 0,
      productStartRatio: 0.5,
      productGrowth: 20,
    });
    const { years } = project(a);
    const start = 10_000 * 12_000 * 0.5;
    relClose(at(years, 2025).products, start);
    relClose(at(years, 2026).products, start * (1 + 1.2));
    relClose(at(years, 2027).products, start * (1 + 1.2 + 1.44));
    expect(at(years, 2027).services).toBe(0);
  });
});

describe('R7 freelance line is flat at defaults', () => {
  it('the organic pool is exactly steady: without trainees the line stays at $0.4B to 2040', () => {
    const { years } = project(defaults({ trainingOutput: 0, horizon: 2040 }));
    for (const y of years) relClose(y.freelance, 0.4 * B, 1e-9);
  });

  it('with training every year (v1) it stays within 2% of $0.4B through 2030 and never falls (trained freelancers at 1.3% add ~$1M/yr)', () => {
    const { years } = project(defaults(V1_PROGRAMME));
    let prev = 0;
    for (const y of years) {
      expect(Math.abs(y.freelance / (0.4 * B) - 1)).toBeLessThan(0.02);
      expect(y.freelance).toBeGreaterThanOrEqual(prev);
      prev = y.freelance;
    }
  });

  it('more churn with the same sign-ups shrinks the pool; more sign-ups grow it', () => {
    const d = at(project(defaults({ trainingOutput: 0 })).years, 2030).freelance;
    expect(
      at(project(defaults({ trainingOutput: 0, freelancerChurn: 20 })).years, 2030).freelance,
    ).toBeLessThan(d);
    expect(
      at(project(defaults({ trainingOutput: 0, organicSignups: 400_000 })).years, 2030).freelance,
    ).toBeGreaterThan(d);
  });

  it('trained freelancers join the pool the year after training, like firm cohorts', () => {
    const base = { conversionRate: 1.3, organicSignups: 250_000, freelancerChurn: 9.75 };
    const none = project(defaults({ ...base, trainingOutput: 0 })).years;
    const some = project(defaults({ ...base, trainingOutput: 100_000 })).years;
    expect(at(some, 2024).freelance).toBe(at(none, 2024).freelance);
    expect(at(some, 2025).freelance).toBeGreaterThan(at(none, 2025).freelance);
  });
});

describe('R8 conversion moves linearly from 1.3% to conversionRate over phaseInYears', () => {
  const noTraining = { trainingOutput: 0, conversionRate: 5.3 };
  it('phaseInYears 4: a quarter of the way each year, then full', () => {
    const { years } = project(defaults({ ...noTraining, phaseInYears: 4 }));
    // The organic pool stays at R0 (defaults), so freelance is proportional to conversion.
    const conv = (y: number) => (at(years, y).freelance / (0.4 * B)) * 1.3;
    relClose(conv(2024), 2.3, 1e-9);
    relClose(conv(2025), 3.3, 1e-9);
    relClose(conv(2027), 5.3, 1e-9);
    relClose(conv(2030), 5.3, 1e-9);
  });

  it('phaseInYears 0: the new rate applies from the first projected year (the base year stays calibrated)', () => {
    const { years } = project(defaults({ ...noTraining, phaseInYears: 0 }));
    relClose(at(years, 2023).freelance, 0.4 * B);
    relClose(at(years, 2024).freelance, (0.4 * B * 5.3) / 1.3, 1e-9);
  });

  it('conversionRate 0 takes freelance exports to zero once phased in', () => {
    const { years } = project(defaults({ conversionRate: 0, phaseInYears: 2 }));
    expect(at(years, 2025).freelance).toBe(0);
    expect(at(years, 2030).freelance).toBe(0);
  });
});

describe('R9 total and services share', () => {
  it('total = existing + services + products + freelance; share = everything but products / total', () => {
    fc.assert(
      fc.property(assumptionsArb, (a) => {
        for (const y of project(a).years) {
          relClose(y.total, y.existing + y.services + y.products + y.freelance);
          if (y.total > 0) relClose(y.servicesShareOfTotal, (y.total - y.products) / y.total, 1e-9);
        }
      }),
    );
  });
});

describe('R10 workforce added', () => {
  it('counts placed trainees still in export work', () => {
    const a = defaults({
      trainingOutput: 10_000,
      placementRate: 50,
      freelanceShare: 0,
      attritionRate: 0,
    });
    const { years } = project(a);
    expect(at(years, 2024).workforceAdded).toBe(0);
    expect(at(years, 2025).workforceAdded).toBe(5_000);
    // R18: the default programme trains 2024-2028; the 2028 cohort is the last to join (2029).
    expect(at(years, 2030).workforceAdded).toBe(25_000);
    expect(years.map((y) => y.trained)).toEqual([0, ...Array<number>(5).fill(10_000), 0, 0]);
    const open = project({ ...a, ...V1_PROGRAMME }).years;
    expect(at(open, 2030).workforceAdded).toBe(30_000);
    expect(open.map((y) => y.trained)).toEqual([0, ...Array<number>(7).fill(10_000)]);
  });
});

describe('P1 more trainingOutput, conversionRate or placementRate never lowers any year’s total', () => {
  const levers: AssumptionId[] = ['trainingOutput', 'conversionRate', 'placementRate'];
  for (const id of levers) {
    it(`is monotonic non-decreasing in ${id} (property)`, () => {
      fc.assert(
        fc.property(assumptionsArb, orderedPairArb(id), (a, [lo, hi]) => {
          const low = project({ ...a, [id]: lo }).years;
          const high = project({ ...a, [id]: hi }).years;
          expect(high.length).toBe(low.length);
          for (let i = 0; i < low.length; i++)
            expect(high[i]!.total).toBeGreaterThanOrEqual(low[i]!.total);
        }),
        { numRuns: 300 },
      );
    });
  }
});

describe('P2 nothing is NaN or negative for any value in range', () => {
  const fields: Exclude<keyof YearResult, 'kind' | 'source'>[] = [
    'existing',
    'services',
    'products',
    'freelance',
    'total',
    'workforceAdded',
    'servicesShareOfTotal',
    'trained',
  ];
  it('every field of every year is finite and >= 0; the share is within 0..1 (property)', () => {
    fc.assert(
      fc.property(assumptionsArb, (a) => {
        // Collect problems and assert once: thousands of expect() calls dominate the run time.
        const problems: string[] = [];
        for (const y of project(a).years) {
          for (const f of fields) {
            const v = y[f] ?? 0;
            if (!Number.isFinite(v) || v < 0) problems.push(`${f} in ${y.year} is ${v}`);
          }
          if (y.servicesShareOfTotal > 1) problems.push(`servicesShareOfTotal in ${y.year} > 1`);
        }
        expect(problems).toEqual([]);
      }),
      { numRuns: 2_000 },
    );
  });

  it('holds at every corner of the ranges (all min / all max)', () => {
    for (const pick of ['min', 'max'] as const) {
      const a = Object.fromEntries(
        ASSUMPTION_IDS.map((id) => [id, ASSUMPTIONS[id][pick]]),
      ) as Assumptions;
      for (const y of project(a).years) {
        expect(Number.isFinite(y.total)).toBe(true);
        expect(y.total).toBeGreaterThanOrEqual(0);
      }
    }
  });
});

describe('S sanity checks from MODEL.md (approximate, not golden)', () => {
  it('defaults: about $4.1B in 2028 and $4.8B in 2030 — the $5B target is missed', () => {
    const { years } = project(defaultAssumptions());
    expect(at(years, 2028).total / B).toBeGreaterThan(3.9);
    expect(at(years, 2028).total / B).toBeLessThan(4.3);
    expect(at(years, 2030).total / B).toBeGreaterThan(4.6);
    expect(at(years, 2030).total / B).toBeLessThan(5.0);
  });

  it('200k trainees/yr, 60% high-skill, 5% conversion: about $7.8B in 2028, still short of $10B', () => {
    const { years } = project(
      defaults({ trainingOutput: 200_000, highSkillShare: 60, conversionRate: 5 }),
    );
    expect(at(years, 2028).total / B).toBeGreaterThan(7.4);
    expect(at(years, 2028).total / B).toBeLessThan(8.2);
  });

  it('defaults: services (everything but products) stay around the seed’s ~70%+ share, products small', () => {
    const y = at(project(defaultAssumptions()).years, 2028);
    expect(y.servicesShareOfTotal).toBeGreaterThan(0.9);
    expect(y.freelance / y.total).toBeGreaterThan(0.05);
    expect(y.freelance / y.total).toBeLessThan(0.2);
  });
});

describe('performance: cheap enough for Monte Carlo', () => {
  it('10,000 projections to 2040 take well under a second', () => {
    const a = defaults({ horizon: 2040 });
    let sink = 0;
    const t0 = performance.now();
    for (let i = 0; i < 10_000; i++) {
      a.trainingOutput = i * 30;
      sink += project(a).years.length;
    }
    const ms = performance.now() - t0;
    expect(sink).toBe(10_000 * 18);
    // Target is ~0.01 ms/call; the bound is loose so a busy CI machine does not flake.
    expect(ms).toBeLessThan(1_000);
  });
});
