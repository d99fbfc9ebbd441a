import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AnalysisInputError,
  ASSUMPTIONS,
  defaultAssumptions,
  frontier,
  type Assumptions,
} from '../index';
import { assumptionsArb } from '../arbitraries.test-helpers';
import { LEVERS, totalIn } from './test-helpers';

const defaults = (over: Partial<Assumptions> = {}): Assumptions => ({
  ...defaultAssumptions(),
  ...over,
});
const B = 1e9;

describe('F1 one point per value of lever A, on its step', () => {
  it('25 points from 0 to 300,000 trainees', () => {
    const f = frontier(defaults(), {
      leverA: 'trainingOutput',
      leverB: 'conversionRate',
      target: 5 * B,
    });
    expect(f.points).toHaveLength(25);
    expect(f.points[0]!.a).toBe(0);
    expect(f.points.at(-1)!.a).toBe(300_000);
    for (const p of f.points) expect(p.a % 1000).toBe(0);
  });

  it('a coarse step merges neighbours instead of repeating them', () => {
    const f = frontier(defaults(), {
      leverA: 'phaseInYears',
      leverB: 'conversionRate',
      target: 5 * B,
    });
    expect(f.points.map((p) => p.a)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});

describe('F2 each point is the least (or most) B that meets the target', () => {
  it('applying (a, b) meets the target; one step less of B does not (property)', () => {
    fc.assert(
      fc.property(
        assumptionsArb,
        fc.double({ min: 3, max: 20, noNaN: true }),
        fc.integer({ min: 2025, max: 2035 }),
        (a, t, year) => {
          const target = t * B;
          const f = frontier(a, {
            leverA: 'trainingOutput',
            leverB: 'conversionRate',
            target,
            year,
            points: 9,
          });
          for (const p of f.points) {
            const at = (b: number) =>
              totalIn({ ...a, trainingOutput: p.a, conversionRate: b }, year);
            if (p.b === null) {
              expect(at(ASSUMPTIONS.conversionRate.max)).toBeLessThan(target);
              continue;
            }
            expect(p.total).toBe(at(p.b));
            expect(p.total).toBeGreaterThanOrEqual(target);
            if (p.b - 0.1 >= 0) expect(at(p.b - 0.1)).toBeLessThan(target);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('more training never needs more conversion (the frontier slopes down)', () => {
    const f = frontier(defaults(), {
      leverA: 'trainingOutput',
      leverB: 'conversionRate',
      target: 5 * B,
    });
    const bs = f.points.map((p) => p.b);
    expect(bs.every((b) => b !== null)).toBe(true);
    for (let i = 1; i < bs.length; i++) expect(bs[i]!).toBeLessThanOrEqual(bs[i - 1]!);
    // 38k trainees need 4.4% (40k need 4.3%, as goal seek says); 300k need no conversion at all.
    expect(f.points.find((p) => p.a === 38_000)!.b).toBeCloseTo(4.4, 9);
    expect(f.points.at(-1)!.b).toBe(0);
  });

  it('seek "max" gives the most attrition the target tolerates', () => {
    const f = frontier(defaults(), {
      leverA: 'trainingOutput',
      leverB: 'attritionRate',
      target: 4.5 * B,
      seek: 'max',
      points: 7,
    });
    for (const p of f.points) {
      if (p.b === null) continue;
      expect(p.total).toBeGreaterThanOrEqual(4.5 * B);
      if (p.b + 0.5 <= 40)
        expect(
          totalIn(defaults({ trainingOutput: p.a, attritionRate: p.b + 0.5 }), 2028),
        ).toBeLessThan(4.5 * B);
    }
    expect(f.points[0]!.b).toBeNull();
    expect(f.points.at(-1)!.b).not.toBeNull();
  });
});

describe('F3 nothing NaN; arguments validated', () => {
  it('any pair of levers gives finite, in-range points (property)', () => {
    fc.assert(
      fc.property(
        assumptionsArb,
        fc.constantFrom(...LEVERS),
        fc.constantFrom(...LEVERS),
        fc.double({ min: 0, max: 30, noNaN: true }),
        (a, leverA, leverB, t) => {
          if (leverA === leverB) return;
          const f = frontier(a, { leverA, leverB, target: t * B, points: 5 });
          for (const p of f.points) {
            if (p.b === null) continue;
            expect(p.b).toBeGreaterThanOrEqual(ASSUMPTIONS[leverB].min);
            expect(p.b).toBeLessThanOrEqual(ASSUMPTIONS[leverB].max);
            expect(Number.isFinite(p.total) && p.total! >= t * B).toBe(true);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('rejects the same lever twice, the horizon and bad point counts', () => {
    const a = defaults();
    expect(() =>
      frontier(a, { leverA: 'conversionRate', leverB: 'conversionRate', target: 5 * B }),
    ).toThrow(AnalysisInputError);
    expect(() =>
      frontier(a, { leverA: 'horizon', leverB: 'conversionRate', target: 5 * B }),
    ).toThrow(/cannot be varied/);
    expect(() =>
      frontier(a, { leverA: 'trainingOutput', leverB: 'conversionRate', target: 5 * B, points: 1 }),
    ).toThrow(/points/);
  });
});
