import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { percentilesInPlace } from '../index';
import { selectInPlace } from './quantiles';

/** Type 7 on a sorted copy: the definition percentilesInPlace must match. */
function reference(values: readonly number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  const k = Math.floor(h);
  return k + 1 < s.length ? s[k]! + (h - k) * (s[k + 1]! - s[k]!) : s[k]!;
}

const valuesArb = fc.oneof(
  // -0 and +0 are equal numbers but not Object.is-equal; which one lands at k is immaterial
  // (fast-check seed 1549381220), so the doubles here are normalised to +0.
  fc
    .array(fc.double({ min: -1e12, max: 1e12, noNaN: true }), { minLength: 1, maxLength: 300 })
    .map((xs) => xs.map((x) => x + 0)),
  // Many ties: quickselect's classic failure mode.
  fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 300 }),
);

describe('Q1 selectInPlace puts the k-th smallest at k and partitions around it', () => {
  it('matches sorting (property)', () => {
    fc.assert(
      fc.property(valuesArb, fc.nat(), (values, kSeed) => {
        const a = Float64Array.from(values);
        const k = kSeed % a.length;
        selectInPlace(a, k, 0, a.length - 1);
        const sorted = [...values].sort((x, y) => x - y);
        expect(a[k]).toBe(sorted[k]);
        for (let i = 0; i < k; i++) expect(a[i]).toBeLessThanOrEqual(a[k]!);
        for (let i = k + 1; i < a.length; i++) expect(a[i]).toBeGreaterThanOrEqual(a[k]!);
        expect([...a].sort((x, y) => x - y)).toEqual(sorted);
      }),
      { numRuns: 500 },
    );
  });
});

describe('Q2 percentilesInPlace is type-7 interpolation, on a slice, non-decreasing in p', () => {
  it('matches the sorted definition (property)', () => {
    fc.assert(
      fc.property(valuesArb, fc.nat({ max: 5 }), (values, pad) => {
        const ps = [0, 0.1, 0.25, 0.5, 0.9, 1];
        const a = new Float64Array(values.length + 2 * pad).fill(-7);
        a.set(values, pad);
        const out = new Float64Array(ps.length);
        percentilesInPlace(a, pad, values.length, ps, out);
        ps.forEach((p, i) => {
          const want = reference(values, p);
          expect(Math.abs(out[i]! - want)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));
          if (i > 0) expect(out[i]!).toBeGreaterThanOrEqual(out[i - 1]!);
        });
        // The padding outside the slice is untouched.
        for (let i = 0; i < pad; i++) expect(a[i]).toBe(-7);
      }),
      { numRuns: 500 },
    );
  });

  it('a single sample is every percentile', () => {
    const out = new Float64Array(3);
    percentilesInPlace(Float64Array.of(5), 0, 1, [0.1, 0.5, 0.9], out);
    expect([...out]).toEqual([5, 5, 5]);
  });
});
