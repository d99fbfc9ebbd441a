/**
 * Every analysis on both model versions: each works on a v1 board's values (the programme pinned
 * open) and a v2 board's, and what it reports agrees with the projection of that version.
 */
import { describe, expect, it } from 'vitest';
import {
  MODEL_ID,
  attribution,
  frontier,
  getModel,
  goalSeek,
  monteCarlo,
  project,
  tornado,
  type Assumptions,
  type ModelDefinition,
} from '../index';

const B = 1e9;
const VERSIONS: [string, ModelDefinition][] = [1, 2].map((v) => [`v${v}`, getModel(MODEL_ID, v)!]);
const totalIn = (a: Assumptions, year: number) =>
  project({ ...a, horizon: Math.max(a.horizon, year) }).years.find((y) => y.year === year)!.total;

describe.each(VERSIONS)('model %s', (_name, model) => {
  const base = model.defaults();
  const bold = model.readValues({ ...base, trainingOutput: 200_000, conversionRate: 5 });

  it('Monte Carlo with the version’s bands: P10 <= P50 <= P90 around the deterministic total', () => {
    const r = monteCarlo(base, { seed: 1, samples: 2000, specs: model.assumptions });
    const i = r.years.indexOf(2028);
    expect(r.p10[i]!).toBeLessThanOrEqual(r.p50[i]!);
    expect(r.p50[i]!).toBeLessThanOrEqual(r.p90[i]!);
    expect(Math.abs(r.p50[i]! - totalIn(base, 2028)) / totalIn(base, 2028)).toBeLessThan(0.1);
    expect(r.sampled).not.toContain('programmeYears');
    expect(r.sampled).not.toContain('programmeStart');
  });

  it('tornado bars bracket the 2028 total, never the programme', () => {
    const r = tornado(base, { specs: model.assumptions });
    expect(r.bars.length).toBeGreaterThan(10);
    for (const bar of r.bars) expect(['programmeYears', 'programmeStart']).not.toContain(bar.id);
    expect(r.base).toBe(totalIn(base, 2028));
  });

  it('goal seek: the conversion that reaches $5B in 2028 meets it in that version', () => {
    const r = goalSeek(base, { lever: 'conversionRate', target: 5 * B });
    expect(r.status).toBe('reached');
    if (r.status !== 'reached') return;
    expect(totalIn({ ...base, conversionRate: r.value }, 2028)).toBeGreaterThanOrEqual(5 * B);
  });

  it('frontier: every point meets the target in that version', () => {
    const r = frontier(base, {
      leverA: 'trainingOutput',
      leverB: 'conversionRate',
      target: 5 * B,
      points: 5,
    });
    for (const p of r.points)
      if (p.b !== null)
        expect(
          totalIn({ ...base, trainingOutput: p.a, conversionRate: p.b }, 2028),
        ).toBeGreaterThanOrEqual(5 * B);
  });

  it('attribution: bars add up to the difference between baseline and scenario', () => {
    const r = attribution(base, bold, { year: 2030 });
    const sum = r.bars.reduce((s, b) => s + b.contribution, 0);
    expect(sum).toBeCloseTo(totalIn(bold, 2030) - totalIn(base, 2030), -2);
    expect(r.bars.map((b) => b.id).sort()).toEqual(['conversionRate', 'trainingOutput']);
  });
});

describe('the versions differ where MODEL.md says', () => {
  const [[, v1], [, v2]] = VERSIONS as [[string, ModelDefinition], [string, ModelDefinition]];
  it('Monte Carlo: v2’s wider baselineGrowth band widens the 2030 spread', () => {
    const spread = (m: ModelDefinition) => {
      const r = monteCarlo(m.defaults(), { seed: 3, samples: 4000, specs: m.assumptions });
      const i = r.years.indexOf(2030);
      return r.p90[i]! - r.p10[i]!;
    };
    expect(spread(v2)).toBeGreaterThan(spread(v1));
  });

  it('attribution: on v2, a longer programme is a lever of its own', () => {
    const base = v2.defaults();
    const r = attribution(base, { ...base, programmeYears: 10 }, { year: 2030 });
    expect(r.bars.map((b) => b.id)).toEqual(['programmeYears']);
    expect(r.bars[0]!.contribution).toBeGreaterThan(0);
  });
});
