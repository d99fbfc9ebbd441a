/**
 * fast-check generators shared by the model's tests (not shipped; imported only by *.test.ts).
 */
import fc from 'fast-check';
import { ASSUMPTIONS, ASSUMPTION_IDS, type AssumptionId, type Assumptions } from './assumptions';

/** Any in-range value of one assumption: grid values, the bounds, and arbitrary doubles. */
export function valueArb(id: AssumptionId): fc.Arbitrary<number> {
  const s = ASSUMPTIONS[id];
  if (s.integer) return fc.integer({ min: s.min, max: s.max });
  return fc.oneof(
    fc.constantFrom(s.min, s.max, s.default, s.band.low, s.band.high),
    fc.double({ min: s.min, max: s.max, noNaN: true, noDefaultInfinity: true }),
  );
}

/** A whole assumption vector, every value in range. */
export const assumptionsArb: fc.Arbitrary<Assumptions> = fc.record(
  Object.fromEntries(ASSUMPTION_IDS.map((id) => [id, valueArb(id)])) as Record<
    AssumptionId,
    fc.Arbitrary<number>
  >,
);

/** Two in-range values of one assumption, ordered low <= high. */
export function orderedPairArb(id: AssumptionId): fc.Arbitrary<[number, number]> {
  return fc.tuple(valueArb(id), valueArb(id)).map(([x, y]) => (x <= y ? [x, y] : [y, x]));
}
