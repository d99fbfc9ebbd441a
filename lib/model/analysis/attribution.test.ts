import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ASSUMPTION_IDS,
  attribution,
  defaultAssumptions,
  EXACT_SHAPLEY_MAX,
  type Assumptions,
} from '../index';
import { assumptionsArb } from '../arbitraries.test-helpers';
import { totalIn } from './test-helpers';

const defaults = (over: Partial<Assumptions> = {}): Assumptions => ({
  ...defaultAssumptions(),
  ...over,
});
const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);

/** A baseline and a scenario differing in a random subset of assumptions (0 to all 18). */
const pairArb = fc
  .tuple(
    assumptionsArb,
    assumptionsArb,
    fc.array(fc.boolean(), { minLength: ASSUMPTION_IDS.length, maxLength: ASSUMPTION_IDS.length }),
  )
  .map(([base, other, mask]) => {
    const scenario = { ...base };
    ASSUMPTION_IDS.forEach((id, i) => {
      if (mask[i]) scenario[id] = other[id];
    });
    return [base, scenario] as const;
  });

describe('W1 the bars add up to the difference between the two totals', () => {
  it('for any pair of scenarios, exact or sampled (property)', () => {
    fc.assert(
      fc.property(pairArb, fc.integer({ min: 2023, max: 2040 }), ([base, scenario], year) => {
        const r = attribution(base, scenario, { year, permutations: 20 });
        expect(r.baselineTotal).toBe(totalIn(base, year));
        expect(r.scenarioTotal).toBe(totalIn(scenario, year));
        const diff = r.scenarioTotal - r.baselineTotal;
        // Rounding scales with the largest term summed (totals can be ~0 while bars are not).
        const scale = Math.max(
          Math.abs(r.baselineTotal),
          Math.abs(r.scenarioTotal),
          ...r.bars.map((b) => Math.abs(b.contribution)),
          1,
        );
        expect(Math.abs(sum(r.bars.map((b) => b.contribution)) - diff)).toBeLessThanOrEqual(
          1e-9 * scale,
        );
        for (const b of r.bars) {
          expect(Number.isFinite(b.contribution)).toBe(true);
          expect(b.from).toBe(base[b.id]);
          expect(b.to).toBe(scenario[b.id]);
        }
        for (let i = 1; i < r.bars.length; i++) {
          expect(Math.abs(r.bars[i]!.contribution)).toBeLessThanOrEqual(
            Math.abs(r.bars[i - 1]!.contribution),
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it('one bar per assumption that differs, never the horizon', () => {
    const r = attribution(
      defaults(),
      defaults({ trainingOutput: 200_000, conversionRate: 5, horizon: 2040 }),
    );
    expect(r.bars.map((b) => b.id).sort()).toEqual(['conversionRate', 'trainingOutput']);
    expect(attribution(defaults(), defaults()).bars).toEqual([]);
  });
});

describe('W2 exact Shapley values up to EXACT_SHAPLEY_MAX changes', () => {
  it('one change gets the whole difference', () => {
    const r = attribution(defaults(), defaults({ conversionRate: 5 }));
    expect(r.method).toBe('exact');
    expect(r.bars[0]!.contribution).toBe(r.scenarioTotal - r.baselineTotal);
  });

  it('two changes: each gets the average of its two marginal contributions', () => {
    const base = defaults();
    const both = defaults({ trainingOutput: 200_000, highSkillShare: 60 });
    const v0 = totalIn(base, 2028);
    const vT = totalIn(defaults({ trainingOutput: 200_000 }), 2028);
    const vH = totalIn(defaults({ highSkillShare: 60 }), 2028);
    const vTH = totalIn(both, 2028);
    const r = attribution(base, both);
    const bar = (id: string) => r.bars.find((b) => b.id === id)!.contribution;
    expect(bar('trainingOutput')).toBeCloseTo((vT - v0 + (vTH - vH)) / 2, 3);
    expect(bar('highSkillShare')).toBeCloseTo((vH - v0 + (vTH - vT)) / 2, 3);
  });

  it('the MODEL.md check scenario: training explains most of the gain', () => {
    const r = attribution(
      defaults(),
      defaults({ trainingOutput: 200_000, highSkillShare: 60, conversionRate: 5 }),
    );
    expect(r.bars.map((b) => b.id)).toEqual(['trainingOutput', 'conversionRate', 'highSkillShare']);
    expect(r.scenarioTotal / 1e9).toBeCloseTo(7.76, 2);
  });

  it('symmetry: swapping baseline and scenario flips every contribution', () => {
    fc.assert(
      fc.property(pairArb, ([base, scenario]) => {
        const there = attribution(base, scenario, { permutations: 20 });
        if (there.method !== 'exact') return;
        const back = attribution(scenario, base);
        for (const b of there.bars) {
          const c = back.bars.find((x) => x.id === b.id)!.contribution;
          expect(Math.abs(c + b.contribution)).toBeLessThanOrEqual(
            1e-6 * Math.max(1, there.baselineTotal, there.scenarioTotal),
          );
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('W3 more changes: seeded sampled permutations', () => {
  const base = defaultAssumptions();
  const all = Object.fromEntries(
    ASSUMPTION_IDS.map((id) => [id, id === 'horizon' ? 2030 : base[id] * 1.2 + 0.1]),
  ) as Assumptions;

  it(`is used above ${EXACT_SHAPLEY_MAX} changes, reproducibly per seed`, () => {
    const r = attribution(base, all, { seed: 7 });
    expect(r.method).toBe('sampled');
    expect(r.permutations).toBe(1000);
    expect(r.bars).toHaveLength(20);
    expect(attribution(base, all, { seed: 7 })).toEqual(r);
    expect(attribution(base, all, { seed: 8 })).not.toEqual(r);
  });

  it('estimates the exact values closely (checked on 13 changes against all 8,192 subsets)', () => {
    // 13 changes is sampled; compare with the exact values computed here by brute force.
    const ids = ASSUMPTION_IDS.filter((id) => id !== 'horizon').slice(0, 13);
    const scenario = { ...base };
    for (const id of ids) scenario[id] = all[id];
    const r = attribution(base, scenario, { seed: 1, permutations: 4000 });
    expect(r.method).toBe('sampled');
    const k = ids.length;
    const v = (mask: number) => {
      const a = { ...base };
      ids.forEach((id, i) => {
        if (mask & (1 << i)) a[id] = scenario[id];
      });
      return totalIn(a, 2028);
    };
    const values = Array.from({ length: 1 << k }, (_, m) => v(m));
    const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));
    const pop = (m: number) => m.toString(2).replace(/0/g, '').length;
    const diff = r.scenarioTotal - r.baselineTotal;
    ids.forEach((id, i) => {
      let phi = 0;
      for (let m = 0; m < 1 << k; m++) {
        if (m & (1 << i)) continue;
        phi +=
          ((fact(pop(m)) * fact(k - pop(m) - 1)) / fact(k)) * (values[m | (1 << i)]! - values[m]!);
      }
      const est = r.bars.find((b) => b.id === id)!.contribution;
      expect(Math.abs(est - phi)).toBeLessThan(0.01 * Math.abs(diff) + 1e6);
    });
  });
});
