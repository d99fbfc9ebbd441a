import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AnalysisInputError,
  ASSUMPTIONS,
  defaultAssumptions,
  goalSeek,
  type AssumptionId,
  type Assumptions,
} from '../index';
import { assumptionsArb, valueArb } from '../arbitraries.test-helpers';
import { snapToStep } from './search';
import { LEVERS, totalIn } from './test-helpers';

const defaults = (over: Partial<Assumptions> = {}): Assumptions => ({
  ...defaultAssumptions(),
  ...over,
});
const B = 1e9;

/** A scenario, a lever, a year, and a value of the lever in range. */
const caseArb = fc
  .tuple(assumptionsArb, fc.constantFrom(...LEVERS), fc.integer({ min: 2024, max: 2040 }))
  .chain(([a, lever, year]) =>
    fc.tuple(fc.constant(a), fc.constant(lever), fc.constant(year), valueArb(lever)),
  );

describe('G1 the total in any year is monotone in each single assumption (what goal seek relies on)', () => {
  for (const lever of LEVERS) {
    it(`${lever}: no turning point (property)`, () => {
      fc.assert(
        fc.property(
          assumptionsArb,
          fc.integer({ min: 2024, max: 2040 }),
          fc.tuple(valueArb(lever), valueArb(lever), valueArb(lever)),
          (a, year, xs) => {
            const [x1, x2, x3] = xs.sort((p, q) => p - q);
            const [f1, f2, f3] = [x1, x2, x3].map((x) => totalIn({ ...a, [lever]: x }, year)) as [
              number,
              number,
              number,
            ];
            const tol = 1e-12 * Math.max(f1, f2, f3, 1);
            const up = f2 > f1 + tol || f3 > f2 + tol;
            const down = f2 < f1 - tol || f3 < f2 - tol;
            expect(up && down).toBe(false);
          },
        ),
        { numRuns: 150 },
      );
    });
  }
});

describe('G2-G4 a reached value is on the lever’s step and, applied, meets the target', () => {
  it('regression (fast-check seed 1765424971): a nearly flat lever at the end of its range', () => {
    const a = defaults({
      trainingOutput: 225204,
      conversionRate: 50,
      servicesShare: 85,
      highSkillShare: 2.5226835565296055e-290,
      placementRate: 5e-323,
      attritionRate: 1.1077755046792927e-130,
      freelanceShare: 60,
      earningsPerFreelancer: 2033.240939571902,
      organicSignups: 6,
      freelancerChurn: 0,
      phaseInYears: 1,
      revenuePerWorker: 200000,
      skillPremium: 4.793090204265155,
      productStartRatio: 0.25,
      productGrowth: 1e-323,
      baselineGrowth: 2.674394554947486e-155,
      baseFreelanceExports: 0.35,
      horizon: 2036,
    });
    const lever = 'earningsPerFreelancer';
    const target = totalIn({ ...a, [lever]: 99999.99999999853 }, 2040) * (1 - 1e-12);
    const r = goalSeek(a, { lever, target, year: 2040 });
    expect(r.status).not.toBe('unreachable');
    if (r.status !== 'unreachable') expect(r.total).toBeGreaterThanOrEqual(target);
  });

  it('for any scenario, lever, year and reachable target (property)', () => {
    fc.assert(
      fc.property(caseArb, ([a, lever, year, y]) => {
        // Reachable by construction: the lever at y gives this total. Float noise on a nearly
        // flat lever can make the range's end a hair below it (seed 1765424971), hence 1e-12.
        const target = totalIn({ ...a, [lever]: y }, year) * (1 - 1e-12);
        const r = goalSeek(a, { lever, target, year });
        expect(r.status).not.toBe('unreachable');
        if (r.status === 'unreachable') return;
        const spec = ASSUMPTIONS[lever];
        expect(r.value).toBeGreaterThanOrEqual(spec.min);
        expect(r.value).toBeLessThanOrEqual(spec.max);
        expect(r.total).toBe(totalIn({ ...a, [lever]: r.value }, year));
        expect(r.total).toBeGreaterThanOrEqual(target);
        if (r.status === 'already-met') {
          expect(r.value).toBe(a[lever]);
          return;
        }
        if (spec.integer) expect(Number.isInteger(r.value)).toBe(true);
        expect(totalIn({ ...a, [lever]: r.threshold }, year)).toBeGreaterThanOrEqual(target);
        // On the slider's grid unless only the exact crossing meets the target.
        if (r.value !== r.threshold) expect(snapToStep(spec, r.value, 0)).toBe(r.value);
      }),
      { numRuns: 1000 },
    );
  });

  it('finds the crossing nearest the scenario’s value: a step back towards it misses (property)', () => {
    fc.assert(
      fc.property(caseArb, ([a, lever, year, y]) => {
        const target = totalIn({ ...a, [lever]: y }, year);
        const r = goalSeek(a, { lever, target, year });
        if (r.status !== 'reached') return;
        const spec = ASSUMPTIONS[lever];
        const back = r.value + Math.sign(a[lever] - r.value) * spec.step;
        const onPath = (back - a[lever]) * (r.value - a[lever]) > 0;
        const beforeCrossing =
          (back - r.threshold) * (r.value - r.threshold) < 0 &&
          Math.abs(back - r.threshold) > 1e-9 * (spec.max - spec.min);
        // Float noise: on a lever that is flat where it crosses (seed -900134339: servicesShare
        // with no new firms) the step back can land on the target to the last bit.
        if (onPath && beforeCrossing)
          expect(totalIn({ ...a, [lever]: back }, year)).toBeLessThan(
            target + 1e-12 * Math.abs(target),
          );
      }),
      { numRuns: 500 },
    );
  });

  it('defaults: $5B in 2028 needs conversion of 4.3% or 123,000 trainees a year', () => {
    const c = goalSeek(defaults(), { lever: 'conversionRate', target: 5 * B });
    expect(c).toMatchObject({ status: 'reached', value: 4.3 });
    const t = goalSeek(defaults(), { lever: 'trainingOutput', target: 5 * B });
    expect(t).toMatchObject({ status: 'reached', value: 123_000 });
    if (t.status === 'reached') expect(t.threshold).toBe(122_114);
  });

  it('levers that lower the total are moved down (attrition)', () => {
    const a = defaults({ attritionRate: 30 });
    const target = totalIn(defaults({ attritionRate: 10 }), 2028);
    const r = goalSeek(a, { lever: 'attritionRate', target });
    expect(r.status).toBe('reached');
    if (r.status !== 'reached') return;
    expect(r.value).toBeLessThanOrEqual(10);
    expect(r.value).toBeGreaterThan(9);
    expect(totalIn({ ...a, attritionRate: r.value }, 2028)).toBeGreaterThanOrEqual(target);
  });

  it('already-met returns the scenario’s own value', () => {
    expect(goalSeek(defaults(), { lever: 'conversionRate', target: 4 * B })).toEqual({
      status: 'already-met',
      value: 1.3,
      total: totalIn(defaults(), 2028),
    });
  });
});

describe('G5 unreachable means no value in range reaches the target', () => {
  it('the best total is below the target, and no value on a fine grid does better (property)', () => {
    fc.assert(
      fc.property(
        caseArb,
        fc.double({ min: 1.0001, max: 3, noNaN: true }),
        ([a, lever, year], factor) => {
          const spec = ASSUMPTIONS[lever];
          const at = (x: number) => totalIn({ ...a, [lever]: x }, year);
          const target = Math.max(at(spec.min), at(spec.max)) * factor + 1;
          const r = goalSeek(a, { lever, target, year });
          expect(r.status).toBe('unreachable');
          if (r.status !== 'unreachable') return;
          expect(r.bestTotal).toBeLessThan(target);
          expect(r.bestTotal).toBe(at(r.bestValue));
          for (let i = 0; i <= 200; i++) {
            const x = spec.min + ((spec.max - spec.min) * i) / 200;
            expect(at(x)).toBeLessThanOrEqual(r.bestTotal * (1 + 1e-12) + 1e-6);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('says so clearly, with the range and the best it can do', () => {
    const r = goalSeek(defaults(), { lever: 'conversionRate', target: 30 * B });
    expect(r).toMatchObject({ status: 'unreachable', bestValue: 50 });
    if (r.status !== 'unreachable') return;
    expect(r.message).toMatch(
      /^not reachable within the range of Freelancer conversion rate \(0-50%\): best is \$\d+\.\d\dB at 50%$/,
    );
    const g = goalSeek(defaults(), { lever: 'baselineGrowth', target: 30 * B });
    expect(g.status === 'unreachable' && g.message).toContain('(-20 to 40%/yr): best is $');
    const t = goalSeek(defaults(), { lever: 'trainingOutput', target: 18 * B });
    expect(t.status === 'unreachable' && t.message).toMatch(
      /\(0-300,000 people\/yr\): best is \$\d+\.\d\dB at 300,000 people\/yr$/,
    );
    const e = goalSeek(defaults(), { lever: 'earningsPerFreelancer', target: 18 * B });
    expect(e.status === 'unreachable' && e.message).toMatch(
      /\(\$1,000-\$100,000\/yr\): best is \$\d+\.\d\dB at \$100,000\/yr$/,
    );
  });
});

describe('G6 arguments are validated', () => {
  it('rejects the horizon, unknown levers, non-finite targets and bad years', () => {
    const a = defaults();
    expect(() => goalSeek(a, { lever: 'horizon', target: 5 * B })).toThrow(AnalysisInputError);
    expect(() => goalSeek(a, { lever: 'nope' as AssumptionId, target: 5 * B })).toThrow(
      /cannot be varied/,
    );
    expect(() => goalSeek(a, { lever: 'conversionRate', target: Number.NaN })).toThrow(/target/);
    expect(() => goalSeek(a, { lever: 'conversionRate', target: 5 * B, year: 2050 })).toThrow(
      /year/,
    );
  });
});
