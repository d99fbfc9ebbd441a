import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  TARGETS,
  TARGET_YEAR,
  defaultAssumptions,
  V1_PROGRAMME,
  kpis,
  programmeEffect,
  project,
  type Assumptions,
  type Projection,
  type YearResult,
} from './index';
import { assumptionsArb } from './arbitraries.test-helpers';

const B = 1e9;
const defaults = (over: Partial<Assumptions> = {}): Assumptions => ({
  ...defaultAssumptions(),
  ...over,
});

/** A hand-built projection: totals in $B from 2023. */
function fake(totalsB: number[], trained = 1_000): Projection {
  return {
    years: totalsB.map((t, i): YearResult => ({
      year: 2023 + i,
      existing: t * B,
      services: 0,
      products: 0,
      freelance: 0,
      total: t * B,
      workforceAdded: i * 10,
      servicesShareOfTotal: 1,
      trained: i === 0 ? 0 : trained,
    })),
  };
}

describe('K0 targets', () => {
  it('are $5B, $10B and $18B, measured in 2028', () => {
    expect(TARGETS.map((t) => [t.id, t.value])).toEqual([
      ['t5', 5e9],
      ['t10', 10e9],
      ['t18', 18e9],
    ]);
    expect(TARGET_YEAR).toBe(2028);
  });
});

describe('R11/R12 2028 total and gap to each target', () => {
  it('gap = target - 2028 total; > 0 means short, < 0 means exceeded', () => {
    const k = kpis(fake([2.6, 3, 4, 5, 6, 7, 8, 9]));
    expect(k.total2028).toBe(7 * B);
    expect(k.gapTo).toEqual({ t5: -2 * B, t10: 3 * B, t18: 11 * B });
  });

  it('is null when the horizon ends before 2028', () => {
    const k = kpis(project(defaults({ horizon: 2026 })));
    expect(k.total2028).toBeNull();
    expect(k.gapTo).toEqual({ t5: null, t10: null, t18: null });
    expect(k.horizonYear).toBe(2026);
  });

  it('defaults: short of every target in 2028', () => {
    const k = kpis(project(defaultAssumptions()));
    expect(k.gapTo.t5).toBeGreaterThan(0);
    expect(k.gapTo.t10).toBeGreaterThan(0);
    expect(k.gapTo.t18).toBeGreaterThan(0);
  });
});

describe('R13 first year each target is met', () => {
  it('is the first year whose total reaches the target (>=), else null: not by the horizon', () => {
    const k = kpis(fake([2.6, 4, 5, 5.5, 9.99, 10, 12]));
    expect(k.firstYearMet).toEqual({ t5: 2025, t10: 2028, t18: null });
  });

  it('can be the base year if the calibration already exceeds a target', () => {
    const k = kpis(project(defaults({ baseExports: 6 })));
    expect(k.firstYearMet.t5).toBe(2023);
  });

  it('defaults: no target met by 2030; 200k/60%/5% meets $5B but not $10B by 2028', () => {
    expect(kpis(project(defaultAssumptions())).firstYearMet).toEqual({
      t5: null,
      t10: null,
      t18: null,
    });
    const k = kpis(
      project(defaults({ trainingOutput: 200_000, highSkillShare: 60, conversionRate: 5 })),
    );
    expect(k.firstYearMet.t5).not.toBeNull();
    expect(k.firstYearMet.t5!).toBeLessThanOrEqual(2028);
    expect(k.gapTo.t10).toBeGreaterThan(0);
  });

  it('agrees with the totals (property)', () => {
    fc.assert(
      fc.property(assumptionsArb, (a) => {
        const p = project(a);
        const k = kpis(p);
        for (const t of TARGETS) {
          const met = k.firstYearMet[t.id];
          for (const y of p.years) {
            if (met === null || y.year < met) expect(y.total).toBeLessThan(t.value);
            else if (y.year === met) expect(y.total).toBeGreaterThanOrEqual(t.value);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('R14 CAGR from the base year to the horizon', () => {
  it('is (last / first)^(1 / years) - 1', () => {
    const k = kpis(fake([1, 2, 4]));
    expect(k.cagr).toBeCloseTo(1, 12);
    expect(
      kpis(project(defaults({ trainingOutput: 0, baselineGrowth: 0, horizon: 2030 }))).cagr,
    ).toBeCloseTo(0, 12);
  });
});

describe('R15 revenue per trainee', () => {
  it('is (horizon total - base total) / people trained up to the horizon', () => {
    const k = kpis(fake([2, 3, 4], 500));
    expect(k.revenuePerTrainee).toBe((2 * B) / 1_000);
    const v1 = { ...defaultAssumptions(), ...V1_PROGRAMME };
    const d = kpis(project(v1));
    const p = project(v1).years;
    expect(d.revenuePerTrainee).toBeCloseTo((p.at(-1)!.total - p[0]!.total) / (40_000 * 7), 6);
  });
});

describe('R20 revenue per trainee counts what training adds (model v2)', () => {
  it('is (horizon total - horizon total without the programme) / people trained', () => {
    const a = defaultAssumptions();
    const k = kpis(project(a));
    const last = project(a).years.at(-1)!;
    const without = project({ ...a, trainingOutput: 0 }).years.at(-1)!.total;
    expect(k.trainedByHorizon).toBe(200_000);
    expect(k.addedRevenuePerTrainee).toBeCloseTo((last.total - without) / 200_000, 6);
    // Far below v1's figure, which credits all growth to trainees.
    expect(k.addedRevenuePerTrainee).toBeLessThan(k.revenuePerTrainee / 3);
  });

  it('per year: added, trained so far, and their ratio', () => {
    const effect = programmeEffect(project(defaultAssumptions()));
    expect(effect.map((e) => e.trainedSoFar)).toEqual([
      0, 40_000, 80_000, 120_000, 160_000, 200_000, 200_000, 200_000,
    ]);
    expect(effect[0]!.perTrainee).toBe(0);
    for (const e of effect.slice(2)) expect(e.perTrainee).toBeCloseTo(e.added / e.trainedSoFar, 9);
    expect(kpis(project(defaults({ trainingOutput: 0 }))).addedRevenuePerTrainee).toBe(0);
  });

  it('is 0 with no trainees, or for a projection that does not report them', () => {
    expect(kpis(project(defaults({ trainingOutput: 0 }))).revenuePerTrainee).toBe(0);
    const p = fake([2, 3, 4]);
    for (const y of p.years) delete y.trained;
    expect(kpis(p).revenuePerTrainee).toBe(0);
  });
});

describe('R10 horizon figures', () => {
  it('reports the horizon total, year and workforce added', () => {
    const p = project(defaultAssumptions());
    const k = kpis(p);
    const last = p.years.at(-1)!;
    expect(k.horizonYear).toBe(2030);
    expect(k.totalHorizon).toBe(last.total);
    expect(k.workforceAddedHorizon).toBe(last.workforceAdded);
  });

  it('an empty projection gives nulls and zeros rather than throwing', () => {
    const k = kpis({ years: [] });
    expect(k.total2028).toBeNull();
    expect(k.totalHorizon).toBe(0);
    expect(k.firstYearMet).toEqual({ t5: null, t10: null, t18: null });
  });
});
