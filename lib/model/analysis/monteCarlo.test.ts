import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AnalysisInputError,
  ASSUMPTIONS,
  TARGETS,
  TARGET_YEAR,
  defaultAssumptions,
  monteCarlo,
  project,
  type Assumptions,
  getModel,
  MODEL_ID,
} from '../index';
import { assumptionsArb } from '../arbitraries.test-helpers';
import { interiorAssumptionsArb, narrowBands, onlyBands } from './test-helpers';

const defaults = (over: Partial<Assumptions> = {}): Assumptions => ({
  ...defaultAssumptions(),
  ...over,
});
const B = 1e9;

describe('M1 reproducible per seed', () => {
  it('the same seed gives identical results, arrays and all', () => {
    const a = defaults({ trainingOutput: 120_000, conversionRate: 4 });
    expect(monteCarlo(a, { seed: 42, samples: 3000 })).toEqual(
      monteCarlo({ ...a }, { seed: 42, samples: 3000 }),
    );
  });

  it('different seeds give different bands', () => {
    const a = defaults();
    const x = monteCarlo(a, { seed: 1, samples: 2000 });
    const y = monteCarlo(a, { seed: 2, samples: 2000 });
    expect(x.p50).not.toEqual(y.p50);
    // ...but the same picture: medians within 1% of each other.
    x.p50.forEach((v, i) => expect(Math.abs(v - y.p50[i]!) / v).toBeLessThan(0.01));
  });

  it('pins the default run bit for bit (only + - * / sqrt: identical on every engine; a change here changes every client’s bands)', () => {
    const r = monteCarlo(defaults(), { seed: 2028, samples: 10_000 });
    expect(r.years).toEqual([2023, 2024, 2025, 2026, 2027, 2028, 2029, 2030]);
    expect([r.p10[5], r.p50[5], r.p90[5], r.mean[7]]).toEqual([
      3599314049.4823365, 4237118201.517521, 4947123433.2542305, 4890526718.644071,
    ]);
    // Model v2: the programme ends after 2028 and growth of today's firms has a wider band.
    expect(r.probabilityMet).toEqual({ t5: 0.0837, t10: 0, t18: 0 });
    expect(r.probabilityMetByHorizon).toEqual({ t5: 0.4258, t10: 0, t18: 0 });
    expect(r.sampled).toHaveLength(18);
  });

  it('pins model v1’s default run bit for bit, as before v2 existed', () => {
    const v1 = getModel(MODEL_ID, 1)!;
    const r = monteCarlo(v1.defaults(), { seed: 2028, samples: 10_000, specs: v1.assumptions });
    expect(r.years).toEqual([2023, 2024, 2025, 2026, 2027, 2028, 2029, 2030]);
    expect([r.p10[5], r.p50[5], r.p90[5], r.mean[7]]).toEqual([
      3773154669.841209, 4228441910.5733995, 4723414833.422479, 4987476401.68882,
    ]);
    // The article's scepticism, with uncertainty: $5B by 2028 is a ~2% chance, by 2030 ~47%.
    expect(r.probabilityMet).toEqual({ t5: 0.022, t10: 0, t18: 0 });
    expect(r.probabilityMetByHorizon).toEqual({ t5: 0.4741, t10: 0, t18: 0 });
    expect(r.sampled).toHaveLength(18);
    expect(r.samples).toBe(10_000);
    expect(r.seed).toBe(2028);
  });
});

describe('M2 triangular(low, value, high) per banded assumption, independently', () => {
  it('with only the base-year exports banded, the 2023 total follows triangular(2.5, 2.6, 2.7) $B', () => {
    const a = defaults();
    const r = monteCarlo(a, {
      seed: 5,
      samples: 20_000,
      bands: onlyBands(a, { baseExports: { low: 2.5, high: 2.7 } }),
    });
    expect(r.sampled).toEqual(['baseExports']);
    // Quantiles of the symmetric triangle: P10 = low + sqrt(0.1 * 0.2 * 0.1), P50 = mode.
    expect(r.p10[0]! / B).toBeCloseTo(2.5 + Math.sqrt(0.002), 2);
    expect(r.p50[0]! / B).toBeCloseTo(2.6, 2);
    expect(r.p90[0]! / B).toBeCloseTo(2.7 - Math.sqrt(0.002), 2);
    expect(r.mean[0]! / B).toBeCloseTo(2.6, 2);
  });

  it('with no band at all, every percentile is the deterministic total', () => {
    const a = defaults();
    const r = monteCarlo(a, { seed: 1, samples: 10, bands: onlyBands(a, {}) });
    const det = project(a).years.map((y) => y.total);
    expect(r.sampled).toEqual([]);
    expect(r.p10).toEqual(det);
    expect(r.p90).toEqual(det);
  });
});

describe('M3 P10 <= P50 <= P90 every year; nothing NaN or negative', () => {
  it('holds for every scenario in range (property)', () => {
    fc.assert(
      fc.property(assumptionsArb, fc.nat({ max: 2 ** 32 }), (a, seed) => {
        const r = monteCarlo(a, { seed, samples: 200 });
        const problems: string[] = [];
        r.years.forEach((year, i) => {
          const [p10, p50, p90, mean] = [r.p10[i]!, r.p50[i]!, r.p90[i]!, r.mean[i]!];
          for (const v of [p10, p50, p90, mean])
            if (!Number.isFinite(v) || v < 0) problems.push(`${year}: ${v}`);
          if (!(p10 <= p50 && p50 <= p90)) problems.push(`${year}: ${p10} ${p50} ${p90}`);
        });
        for (const t of TARGETS) {
          const probs = [
            r.probabilityMet[t.id],
            r.probabilityMetByHorizon[t.id],
            ...r.probabilityMetByYear[t.id],
          ];
          for (const p of probs)
            if (!(p >= 0 && p <= 1)) problems.push(`${t.id}: probability ${p}`);
          // Met by the horizon if met in any one year.
          for (const p of r.probabilityMetByYear[t.id])
            if (p > r.probabilityMetByHorizon[t.id]) problems.push(`${t.id}: by-year > by-horizon`);
        }
        expect(problems).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});

describe('M4 probability of meeting each target in TARGET_YEAR', () => {
  const idx = TARGET_YEAR - 2023;

  it('is consistent with the percentiles: >= 0.9 when P10 clears it, <= 0.1 when P90 misses it (property)', () => {
    fc.assert(
      fc.property(assumptionsArb, fc.nat({ max: 1000 }), (a, seed) => {
        const r = monteCarlo({ ...a, horizon: Math.max(a.horizon, 2028) }, { seed, samples: 500 });
        for (const t of TARGETS) {
          const p = r.probabilityMet[t.id];
          if (r.p10[idx]! >= t.value) expect(p).toBeGreaterThanOrEqual(0.9);
          if (r.p90[idx]! < t.value) expect(p).toBeLessThanOrEqual(0.1);
          expect(r.probabilityMetByYear[t.id][idx]).toBe(p);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('is 1 when every sample clears the target and 0 when none does', () => {
    const a = defaults({
      trainingOutput: 300_000,
      highSkillShare: 80,
      conversionRate: 10,
      placementRate: 80,
    });
    const det = project(a).years[idx]!.total;
    expect(det).toBeGreaterThan(10 * B);
    const r = monteCarlo(a, { seed: 9, samples: 2000, bands: narrowBands(a, 0.02) });
    expect(r.p10[idx]).toBeGreaterThan(10 * B);
    expect(r.probabilityMet).toEqual({ t5: 1, t10: 1, t18: 0 });
  });

  it('is defined even when the horizon ends before TARGET_YEAR, and does not depend on the horizon', () => {
    const a = defaults({ trainingOutput: 150_000, conversionRate: 3 });
    const short = monteCarlo({ ...a, horizon: 2026 }, { seed: 3, samples: 2000 });
    const long = monteCarlo({ ...a, horizon: 2035 }, { seed: 3, samples: 2000 });
    expect(short.years.at(-1)).toBe(2026);
    expect(long.years.at(-1)).toBe(2035);
    expect(short.probabilityMet).toEqual(long.probabilityMet);
    expect(short.p50).toEqual(long.p50.slice(0, short.p50.length));
    expect(short.probabilityMet.t5).toBeGreaterThan(0);
  });
});

describe('M5 narrow bands: the median is the deterministic run', () => {
  // For scenarios away from the ends of the ranges (a band clamped at an end is one-sided, which
  // moves the median: at freelanceShare 100% every sample has some firm workers the deterministic
  // run lacks), and through 2030 (further out compounding amplifies a band: 1% of a 100%/yr product
  // growth is ±0.5 points a year, ±4% of product revenue after 16 years).
  it('bands 1% wide keep P50 within 1% of the deterministic total, every year to 2030 (property)', () => {
    fc.assert(
      fc.property(interiorAssumptionsArb(), fc.nat({ max: 1000 }), (a, seed) => {
        const r = monteCarlo(a, { seed, samples: 1000, bands: narrowBands(a, 0.01) });
        const det = project(a).years;
        r.p50.forEach((v, i) => {
          const d = det[i]!.total;
          if (det[i]!.year <= 2030) expect(Math.abs(v - d)).toBeLessThanOrEqual(0.01 * d + 1);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('at the defaults, 1%-wide bands keep P50 within 0.2% every year to 2040', () => {
    const a = defaults({ horizon: 2040 });
    const r = monteCarlo(a, { seed: 4, samples: 5000, bands: narrowBands(a, 0.01) });
    project(a).years.forEach((y, i) =>
      expect(Math.abs(r.p50[i]! - y.total) / y.total).toBeLessThan(0.002),
    );
  });
});

describe('M6 arguments are validated', () => {
  it('rejects sample counts outside 1..MAX_SAMPLES and bad seeds', () => {
    const a = defaults();
    for (const samples of [0, 1.5, 100_001, Number.NaN]) {
      expect(() => monteCarlo(a, { seed: 1, samples })).toThrow(AnalysisInputError);
    }
    expect(() => monteCarlo(a, { seed: -1 })).toThrow(/seed/);
  });

  it('one sample is allowed: every percentile is that sample', () => {
    const r = monteCarlo(defaults(), { seed: 1, samples: 1 });
    expect(r.p10).toEqual(r.p90);
    expect(r.p50).toEqual(r.mean);
  });

  it('respects the horizon’s range (2040 at most)', () => {
    const r = monteCarlo(defaults({ horizon: ASSUMPTIONS.horizon.max }), { seed: 1, samples: 100 });
    expect(r.years.at(-1)).toBe(2040);
  });
});
