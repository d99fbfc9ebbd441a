import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AnalysisInputError,
  defaultAssumptions,
  effectiveBandList,
  tornado,
  type Assumptions,
} from '../index';
import { assumptionsArb } from '../arbitraries.test-helpers';
import { totalIn } from './test-helpers';

const defaults = (over: Partial<Assumptions> = {}): Assumptions => ({
  ...defaultAssumptions(),
  ...over,
});

describe('T1 base is the deterministic total in the year', () => {
  it('equals project() bit for bit, for every scenario and year (property)', () => {
    fc.assert(
      fc.property(assumptionsArb, fc.integer({ min: 2023, max: 2040 }), (a, year) => {
        expect(tornado(a, { year }).base).toBe(totalIn(a, year));
      }),
      { numRuns: 300 },
    );
  });

  it('defaults to TARGET_YEAR (2028): $4.08B at the defaults', () => {
    const t = tornado(defaults());
    expect(t.year).toBe(2028);
    expect(t.base / 1e9).toBeCloseTo(4.08, 2);
  });
});

describe('T2 one bar per banded assumption, largest swing first', () => {
  it('bars are sorted by swing, each moves one assumption to its band’s ends (property)', () => {
    fc.assert(
      fc.property(assumptionsArb, (a) => {
        const t = tornado(a);
        const bands = effectiveBandList(a);
        expect(t.bars.map((b) => b.id).sort()).toEqual(bands.map((b) => b.id).sort());
        for (let i = 1; i < t.bars.length; i++)
          expect(t.bars[i]!.swing).toBeLessThanOrEqual(t.bars[i - 1]!.swing);
        for (const bar of t.bars) {
          const band = bands.find((b) => b.id === bar.id)!;
          expect([bar.lowValue, bar.highValue]).toEqual([band.low, band.high]);
          expect(bar.totalAtLow).toBe(totalIn({ ...a, [bar.id]: bar.lowValue }, 2028));
          expect(bar.totalAtHigh).toBe(totalIn({ ...a, [bar.id]: bar.highValue }, 2028));
          expect(bar.swing).toBe(Math.abs(bar.totalAtHigh - bar.totalAtLow));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('at the defaults, baseline growth and conversion swing 2028 the most', () => {
    const ids = tornado(defaults()).bars.map((b) => b.id);
    expect(ids.slice(0, 2)).toEqual(['baselineGrowth', 'conversionRate']);
    expect(ids).not.toContain('horizon');
  });

  it('uses band overrides', () => {
    const t = tornado(defaults(), { bands: { conversionRate: { low: 1.3, high: 20 } } });
    expect(t.bars[0]!.id).toBe('conversionRate');
    expect(t.bars[0]!.highValue).toBe(20);
  });
});

describe('T3 nothing NaN or negative', () => {
  it('every total and swing is finite and >= 0 (property)', () => {
    fc.assert(
      fc.property(assumptionsArb, fc.integer({ min: 2023, max: 2040 }), (a, year) => {
        const t = tornado(a, { year });
        for (const b of t.bars) {
          for (const v of [b.totalAtLow, b.totalAtHigh, b.swing])
            expect(Number.isFinite(v) && v >= 0).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('rejects years outside 2023-2040', () => {
    for (const year of [2022, 2041, 2028.5, Number.NaN]) {
      expect(() => tornado(defaults(), { year })).toThrow(AnalysisInputError);
    }
  });
});
