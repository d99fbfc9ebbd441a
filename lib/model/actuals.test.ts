/**
 * R22: reported actuals for past years. Actual years are the reported figures whatever the levers;
 * the projection continues from the latest actual year by the rule in project.ts (applyActuals);
 * without actuals every output is what it was. Both model versions, through the registry.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  BASE_YEAR,
  MAX_PROJECTION_YEARS,
  MODEL_ID,
  actualsTable,
  getModel,
  kpis,
  monteCarlo,
  projectTotalsInto,
  tornado,
  type Actual,
  type YearResult,
} from './index';
import { assumptionsArb } from './arbitraries.test-helpers';

const MODELS = [getModel(MODEL_ID, 1)!, getModel(MODEL_ID, 2)!];
const B = 1e9;
const at = (years: YearResult[], year: number): YearResult => years[year - BASE_YEAR]!;

/** Scenarios that reach 2028 at least, read through a model version (v1 fixes the programme). */
const scenarioArb = assumptionsArb.map((a) => ({ ...a, horizon: Math.max(a.horizon, 2028) }));
const usdArb = fc.double({ min: 0, max: 50 * B, noNaN: true, noDefaultInfinity: true });
const actualsArb: fc.Arbitrary<Actual[]> = fc
  .tuple(usdArb, usdArb, fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }))
  .map(([t24, t25, freelanceShare]) => [
    { year: 2024, totalUsd: t24, source: 'PBS 2024' },
    {
      year: 2025,
      totalUsd: t25,
      ...(freelanceShare === undefined ? {} : { freelanceUsd: t25 * freelanceShare }),
      source: 'SBP FY2025',
    },
  ]);

describe('R22 actuals', () => {
  for (const model of MODELS) {
    describe(`model v${model.version}`, () => {
      it('without actuals (none, empty, only unusable entries) every output is unchanged (property)', () => {
        fc.assert(
          fc.property(scenarioArb, (raw) => {
            const a = model.readValues(raw);
            const plain = model.project(a);
            expect(model.project(a, undefined)).toEqual(plain);
            expect(model.project(a, [])).toEqual(plain);
            expect(
              model.project(a, [
                { year: BASE_YEAR, totalUsd: 1, source: 'base year is the calibration' },
                { year: 2026, totalUsd: Number.NaN, source: 'not a number' },
              ]),
            ).toEqual(plain);
            expect(plain.years.every((y) => y.kind === undefined)).toBe(true);
          }),
          { numRuns: 300 },
        );
      });

      it('actual years are the reported figures whatever the levers (property)', () => {
        fc.assert(
          fc.property(scenarioArb, actualsArb, (raw, actuals) => {
            const p = model.project(model.readValues(raw), actuals);
            for (const act of actuals) {
              const y = at(p.years, act.year);
              expect(y.total).toBe(act.totalUsd);
              expect(y.kind).toBe('actual');
              expect(y.source).toBe(act.source);
              if (act.freelanceUsd !== undefined) expect(y.freelance).toBe(act.freelanceUsd);
              // The parts are non-negative and add up to the reported total.
              for (const part of [y.existing, y.services, y.products, y.freelance])
                expect(part).toBeGreaterThanOrEqual(0);
              const sum = y.existing + y.services + y.products + y.freelance;
              expect(Math.abs(sum - act.totalUsd)).toBeLessThanOrEqual(1e-9 * act.totalUsd + 1e-6);
            }
            expect(at(p.years, 2023).kind).toBe('projected');
            expect(at(p.years, 2026).kind).toBe('projected');
          }),
          { numRuns: 500 },
        );
      });

      it('2026 continues from the 2025 actual: existing rebased, programme segments their own (property)', () => {
        fc.assert(
          fc.property(scenarioArb, actualsArb, (raw, actuals) => {
            const a = model.readValues(raw);
            const m = model.project(a).years;
            const p = model.project(a, actuals).years;
            const m25 = at(m, 2025);
            const m26 = at(m, 2026);
            const act = actuals[1]!;
            const f25 = act.freelanceUsd ?? m25.freelance;
            const rest = act.totalUsd - m25.services - m25.products - f25;
            fc.pre(rest >= 0);
            const g = 1 + a.baselineGrowth / 100;
            const ratio = m25.freelance > 0 ? f25 / m25.freelance : 1;
            const expected = rest * g + m26.services + m26.products + m26.freelance * ratio;
            const got = at(p, 2026).total;
            expect(Math.abs(got - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, expected));
            // The programme's own segments are the model's from 2026 on.
            for (let year = 2026; year <= 2028; year++) {
              expect(at(p, year).services).toBe(at(m, year).services);
              expect(at(p, year).products).toBe(at(m, year).products);
            }
          }),
          { numRuns: 500 },
        );
      });

      it('a higher 2025 actual never lowers any later year (property)', () => {
        fc.assert(
          fc.property(scenarioArb, actualsArb, usdArb, (raw, actuals, extra) => {
            const a = model.readValues(raw);
            const higher = actuals.map((x) =>
              x.year === 2025 ? { ...x, totalUsd: x.totalUsd + extra } : x,
            );
            const p = model.project(a, actuals).years;
            const q = model.project(a, higher).years;
            for (let t = 2026 - BASE_YEAR; t < p.length; t++)
              expect(q[t]!.total).toBeGreaterThanOrEqual(p[t]!.total * (1 - 1e-12));
          }),
          { numRuns: 300 },
        );
      });

      it('KPIs, the totals path and Monte Carlo use the combined series; actual years have no uncertainty', () => {
        const a = model.defaults();
        const actuals: Actual[] = [
          { year: 2024, totalUsd: 3.2 * B, source: 'PBS' },
          { year: 2025, totalUsd: 3.8 * B, freelanceUsd: 0.5 * B, source: 'SBP' },
        ];
        const p = model.project(a, actuals);
        expect(kpis(p).total2028).toBe(at(p.years, 2028).total);
        expect(kpis(p).total2028).not.toBe(kpis(model.project(a)).total2028);
        const buf = new Float64Array(MAX_PROJECTION_YEARS);
        projectTotalsInto(a, buf, 0, 1, actualsTable(actuals));
        p.years.forEach((y, t) => expect(buf[t]).toBe(y.total));
        const mc = monteCarlo(a, { seed: 7, samples: 500, specs: model.assumptions, actuals });
        for (const year of [2024, 2025]) {
          const i = mc.years.indexOf(year);
          const v = at(p.years, year).total;
          expect([mc.p10[i], mc.p50[i], mc.p90[i], mc.mean[i]]).toEqual([v, v, v, v]);
        }
        const i28 = mc.years.indexOf(2028);
        expect(mc.p90[i28]!).toBeGreaterThan(mc.p10[i28]!);
        // The tornado of an actual year has no swing.
        const bars = tornado(a, { year: 2025, specs: model.assumptions, actuals }).bars;
        expect(bars.every((b) => b.totalAtLow === b.totalAtHigh)).toBe(true);
      });
    });
  }
});
