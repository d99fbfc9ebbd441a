/**
 * The allocation-free projection paths the analyses run on (project.ts: projectTotalsInto,
 * projectVectorTotalsInto, assumptionVector) must agree with project() bit for bit.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ASSUMPTION_IDS,
  ASSUMPTION_INDEX,
  ASSUMPTIONS,
  MAX_PROJECTION_YEARS,
  assumptionVector,
  defaultAssumptions,
  horizonYear,
  project,
  projectTotalsInto,
  projectVectorTotalsInto,
} from '../index';
import { assumptionsArb } from '../arbitraries.test-helpers';

describe('V1 projectTotalsInto writes project()’s totals, bit for bit', () => {
  it('for every scenario in range, at any offset and stride (property)', () => {
    fc.assert(
      fc.property(
        assumptionsArb,
        fc.nat({ max: 5 }),
        fc.integer({ min: 1, max: 4 }),
        (a, offset, stride) => {
          const want = project(a).years.map((y) => y.total);
          const out = new Float64Array(offset + MAX_PROJECTION_YEARS * stride).fill(-1);
          expect(projectTotalsInto(a, out, offset, stride)).toBe(want.length);
          want.forEach((t, i) => expect(Object.is(out[offset + i * stride], t)).toBe(true));
          // Nothing else written.
          for (let i = 0; i < offset; i++) expect(out[i]).toBe(-1);
          const v = assumptionVector(a);
          const out2 = new Float64Array(MAX_PROJECTION_YEARS);
          projectVectorTotalsInto(v, out2);
          want.forEach((t, i) => expect(Object.is(out2[i], t)).toBe(true));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('project() is unchanged by interleaved calls (the shared scratch is not observable)', () => {
    const a = defaultAssumptions();
    const first = project(a);
    projectTotalsInto(
      { ...a, trainingOutput: 300_000, horizon: 2040 },
      new Float64Array(MAX_PROJECTION_YEARS),
    );
    expect(project(a)).toEqual(first);
    expect(first.years.at(-1)!.year).toBe(horizonYear(a));
  });

  it('throws a RangeError instead of silently dropping years', () => {
    expect(() => projectTotalsInto(defaultAssumptions(), new Float64Array(3))).toThrow(RangeError);
    expect(() => projectTotalsInto(defaultAssumptions(), new Float64Array(40), 0, 0)).toThrow(
      RangeError,
    );
  });
});

describe('V2 assumption vectors', () => {
  it('hold every assumption at its ASSUMPTION_INDEX (ASSUMPTION_IDS order)', () => {
    const a = defaultAssumptions();
    const v = assumptionVector(a);
    expect(v).toHaveLength(ASSUMPTION_IDS.length);
    ASSUMPTION_IDS.forEach((id, i) => {
      expect(ASSUMPTION_INDEX[id]).toBe(i);
      expect(v[i]).toBe(ASSUMPTIONS[id].default);
    });
  });
});
