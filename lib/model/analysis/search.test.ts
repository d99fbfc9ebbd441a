import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ASSUMPTIONS, type AssumptionSpec } from '../index';
import { crossing, rangeGrid, refinePeak, snapToStep } from './search';

const spec = (over: Partial<AssumptionSpec>): AssumptionSpec => ({
  ...ASSUMPTIONS.conversionRate,
  ...over,
});

describe('G3 crossing: bisection to where the target is first met', () => {
  it('increasing and decreasing functions, snapped to the step on the met side', () => {
    const s = spec({ min: 0, max: 50, step: 0.1 });
    const up = crossing(s, (x) => x * 10, 42.345, 0, { x: 50, total: 500 });
    expect(up.x).toBe(4.3);
    expect(up.threshold).toBeCloseTo(4.2345, 9);
    const down = crossing(s, (x) => 100 - x, 57.66, 50, { x: 0, total: 100 });
    expect(down.x).toBe(42.3);
    expect(down.total).toBeGreaterThanOrEqual(57.66);
  });

  it('integer assumptions bisect on whole numbers and snap to their step', () => {
    const s = { ...ASSUMPTIONS.trainingOutput };
    const r = crossing(s, (x) => x, 122_114.5, 0, { x: 300_000, total: 300_000 });
    expect(r.threshold).toBe(122_115);
    expect(r.x).toBe(123_000);
  });

  it('keeps the exact crossing when the snapped value would miss (a narrow peak)', () => {
    const s = spec({ min: 0, max: 10, step: 1 });
    // Met only on [4.2, 4.4]: snapping up to 5 misses, so the unsnapped crossing is returned.
    const f = (x: number) => (x >= 4.2 && x <= 4.4 ? 1 : 0);
    const r = crossing(s, f, 1, 4, { x: 4.3, total: 1 });
    expect(f(r.x)).toBe(1);
    expect(r.x).toBeCloseTo(4.2, 9);
  });

  it('the result always meets the target (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -5, max: 5, noNaN: true }),
        fc.double({ min: 0.01, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (a, slope, where) => {
          const s = spec({ min: 0, max: 50, step: 0.1 });
          const f = (x: number) => a + slope * x;
          const target = f(50 * where);
          const r = crossing(s, f, target, 0, { x: 50, total: f(50) });
          expect(f(r.x)).toBeGreaterThanOrEqual(target);
          expect(r.total).toBe(f(r.x));
        },
      ),
    );
  });
});

describe('G5 refinePeak finds a maximum between grid points', () => {
  it('a peak missed by the grid is found', () => {
    const s = spec({ min: 0, max: 32, step: 0.1 });
    const f = (x: number) => -((x - 10.5) ** 2);
    const xs = rangeGrid(s, 32);
    const fs = xs.map(f);
    const b = fs.indexOf(Math.max(...fs));
    const p = refinePeak(s, f, xs, fs, b);
    expect(p.x).toBeCloseTo(10.5, 5);
  });

  it('integer assumptions stay whole', () => {
    const s = { ...ASSUMPTIONS.phaseInYears };
    const f = (x: number) => -Math.abs(x - 6.4);
    const xs = rangeGrid(s, 4);
    const fs = xs.map(f);
    const p = refinePeak(s, f, xs, fs, fs.indexOf(Math.max(...fs)));
    expect(p.x).toBe(6);
  });
});

describe('G4 snapToStep writes slider values exactly', () => {
  it('rounds in the asked direction without float noise', () => {
    const s = spec({ min: 0, max: 50, step: 0.1 });
    expect(snapToStep(s, 4.80000000001, 1)).toBe(4.8);
    expect(snapToStep(s, 4.81, 1)).toBe(4.9);
    expect(snapToStep(s, 4.89, -1)).toBe(4.8);
    expect(snapToStep(s, 4.86, 0)).toBe(4.9);
    expect(snapToStep(s, 60, 1)).toBe(50);
    expect(snapToStep({ ...ASSUMPTIONS.baselineGrowth }, -7.3, -1)).toBe(-7.5);
    expect(snapToStep({ ...ASSUMPTIONS.productStartRatio }, 0.33, 1)).toBe(0.35);
  });

  it('rangeGrid spans the range, whole numbers for integer assumptions, no repeats', () => {
    expect(rangeGrid(spec({ min: 0, max: 50 }), 4)).toEqual([0, 12.5, 25, 37.5, 50]);
    expect(rangeGrid({ ...ASSUMPTIONS.phaseInYears }, 32)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
  });
});
