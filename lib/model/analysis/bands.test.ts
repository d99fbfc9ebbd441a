import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ASSUMPTIONS,
  ASSUMPTION_IDS,
  MODEL_ID,
  UNSAMPLED,
  bandShiftOf,
  defaultAssumptions,
  effectiveBandList,
  effectiveBands,
  getModel,
  type Assumptions,
} from '../index';
import { assumptionsArb } from '../arbitraries.test-helpers';

const defaults = (over: Partial<Assumptions> = {}): Assumptions => ({
  ...defaultAssumptions(),
  ...over,
});

describe('B1 the horizon and the programme are never banded', () => {
  it('is absent even with an override', () => {
    expect(effectiveBands(defaults()).horizon).toBeUndefined();
    expect(
      effectiveBands(defaults(), { horizon: { low: 2028, high: 2035 } }).horizon,
    ).toBeUndefined();
    const programme = effectiveBands(defaults(), {
      programmeStart: { low: 2024, high: 2030 },
      programmeYears: { low: 0, high: 10 },
    });
    expect(programme.programmeStart).toBeUndefined();
    expect(programme.programmeYears).toBeUndefined();
  });
});

describe('B2 a scenario’s band is the spec’s default band moved to its value', () => {
  it('at the defaults, every band is exactly the spec’s band', () => {
    const bands = effectiveBands(defaults());
    for (const id of ASSUMPTION_IDS) {
      if (UNSAMPLED.has(id)) continue;
      expect(bands[id], id).toEqual(ASSUMPTIONS[id].band);
    }
  });

  it('rates in points and years keep their width (additive)', () => {
    expect(bandShiftOf(ASSUMPTIONS.conversionRate)).toBe('additive');
    expect(bandShiftOf(ASSUMPTIONS.baselineGrowth)).toBe('additive');
    expect(bandShiftOf(ASSUMPTIONS.phaseInYears)).toBe('additive');
    // conversion 1.3% (band 1-3) -> 10%: 9.7-11.7.
    const c = effectiveBands(defaults({ conversionRate: 10 })).conversionRate!;
    expect(c.low).toBeCloseTo(9.7, 12);
    expect(c.high).toBeCloseTo(11.7, 12);
    // A negative growth rate keeps an ordered band: 8% (0-15) -> -5%: -13 to 2.
    expect(effectiveBands(defaults({ baselineGrowth: -5 })).baselineGrowth).toEqual({
      low: -13,
      high: 2,
    });
    // A v1 board keeps v1's band (3-12): -10 to -1.
    const v1 = getModel(MODEL_ID, 1)!;
    expect(
      effectiveBands(defaults({ baselineGrowth: -5 }), undefined, v1.assumptions).baselineGrowth,
    ).toEqual({ low: -10, high: -1 });
  });

  it('quantities keep their relative width (relative)', () => {
    expect(bandShiftOf(ASSUMPTIONS.trainingOutput)).toBe('relative');
    expect(bandShiftOf(ASSUMPTIONS.revenuePerWorker)).toBe('relative');
    expect(bandShiftOf(ASSUMPTIONS.skillPremium)).toBe('relative');
    // 40k (20k-60k) -> 100k: 50k-150k.
    expect(effectiveBands(defaults({ trainingOutput: 100_000 })).trainingOutput).toEqual({
      low: 50_000,
      high: 150_000,
    });
    // $12,000 (8,000-20,000) -> $24,000: 16,000-40,000.
    expect(effectiveBands(defaults({ revenuePerWorker: 24_000 })).revenuePerWorker).toEqual({
      low: 16_000,
      high: 40_000,
    });
  });
});

describe('B3 overrides are absolute and always contain the value', () => {
  it('replaces the default band', () => {
    expect(
      effectiveBands(defaults(), { conversionRate: { low: 0.5, high: 8 } }).conversionRate,
    ).toEqual({ low: 0.5, high: 8 });
  });

  it('is reordered and widened to the scenario’s value', () => {
    expect(
      effectiveBands(defaults({ conversionRate: 12 }), { conversionRate: { low: 8, high: 2 } })
        .conversionRate,
    ).toEqual({
      low: 2,
      high: 12,
    });
  });

  it('a zero-width override at the value switches the assumption off', () => {
    expect(
      effectiveBands(defaults(), { conversionRate: { low: 1.3, high: 1.3 } }).conversionRate,
    ).toBeUndefined();
  });

  it('non-finite overrides are ignored (the default band applies)', () => {
    expect(
      effectiveBands(defaults(), { conversionRate: { low: Number.NaN, high: 3 } }).conversionRate,
    ).toEqual({ low: 1, high: 3 });
  });
});

describe('B4 bands stay in range; integer bands are whole, rounded outwards', () => {
  it('clamps at the ends of the range', () => {
    expect(effectiveBands(defaults({ trainingOutput: 280_000 })).trainingOutput).toEqual({
      low: 140_000,
      high: 300_000,
    });
    const c = effectiveBands(defaults({ conversionRate: 0 })).conversionRate!;
    expect(c.low).toBe(0);
    expect(c.high).toBeCloseTo(1.7, 12);
    expect(
      effectiveBands(defaults(), { placementRate: { low: -20, high: 150 } }).placementRate,
    ).toEqual({ low: 0, high: 100 });
  });

  it('rounds integer bands outwards', () => {
    // 40k band 20k-60k at 33,333 people: 16,666.5-49,999.5 -> 16,666-50,000.
    expect(effectiveBands(defaults({ trainingOutput: 33_333 })).trainingOutput).toEqual({
      low: 16_666,
      high: 50_000,
    });
  });
});

describe('B5 degenerate bands are omitted', () => {
  it('a relative band at 0 has no width', () => {
    expect(effectiveBands(defaults({ trainingOutput: 0 })).trainingOutput).toBeUndefined();
    expect(effectiveBands(defaults({ organicSignups: 0 })).organicSignups).toBeUndefined();
  });
});

describe('B properties for every scenario in range', () => {
  it('min <= low <= value <= high <= max, low < high, all finite (property)', () => {
    fc.assert(
      fc.property(assumptionsArb, (a) => {
        for (const b of effectiveBandList(a)) {
          const spec = ASSUMPTIONS[b.id];
          expect(Number.isFinite(b.low) && Number.isFinite(b.high)).toBe(true);
          expect(b.low).toBeGreaterThanOrEqual(spec.min);
          expect(b.high).toBeLessThanOrEqual(spec.max);
          expect(b.low).toBeLessThanOrEqual(a[b.id]);
          expect(b.high).toBeGreaterThanOrEqual(a[b.id]);
          expect(b.high).toBeGreaterThan(b.low);
          if (spec.integer) expect(Number.isInteger(b.low) && Number.isInteger(b.high)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
