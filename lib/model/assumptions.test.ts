import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  ASSUMPTION_GROUPS,
  ASSUMPTION_IDS,
  ASSUMPTIONS,
  HEADLINE_LEVERS,
  MODEL_ID,
  MODEL_VERSION,
  checkAssumptionValue,
  clampAssumption,
  defaultAssumptions,
  isAssumptionId,
  withDefaults,
  type AssumptionId,
} from './index';

const ALL_IDS: AssumptionId[] = [
  'trainingOutput',
  'programmeStart',
  'programmeYears',
  'highSkillShare',
  'placementRate',
  'attritionRate',
  'freelanceShare',
  'conversionRate',
  'earningsPerFreelancer',
  'organicSignups',
  'freelancerChurn',
  'revenuePerWorker',
  'skillPremium',
  'servicesShare',
  'productStartRatio',
  'productGrowth',
  'baselineGrowth',
  'baseExports',
  'baseFreelanceExports',
  'phaseInYears',
  'horizon',
];

describe('A1 assumption catalogue', () => {
  it('identifies the model', () => {
    expect(MODEL_ID).toBe('pk-ict-exports');
    expect(MODEL_VERSION).toBe(2);
  });

  it('lists every id exactly once, headline levers first', () => {
    expect([...ASSUMPTION_IDS].sort()).toEqual([...ALL_IDS].sort());
    expect(new Set(ASSUMPTION_IDS).size).toBe(ASSUMPTION_IDS.length);
    expect(HEADLINE_LEVERS).toEqual(['trainingOutput', 'conversionRate', 'servicesShare']);
    expect(ASSUMPTION_IDS.slice(0, 3)).toEqual(HEADLINE_LEVERS);
  });

  it('groups: levers are exactly the headline levers; every spec is in a known group', () => {
    const groupIds = ASSUMPTION_GROUPS.map((g) => g.id);
    expect(groupIds).toEqual(['levers', 'workforce', 'freelance', 'firms', 'calibration']);
    expect(ASSUMPTION_IDS.filter((id) => ASSUMPTIONS[id].group === 'levers')).toEqual(
      HEADLINE_LEVERS,
    );
    for (const id of ASSUMPTION_IDS) expect(groupIds).toContain(ASSUMPTIONS[id].group);
    // Display order keeps each group together.
    const order = ASSUMPTION_IDS.map((id) => groupIds.indexOf(ASSUMPTIONS[id].group));
    expect(order).toEqual([...order].sort((x, y) => x - y));
  });

  it.each(ASSUMPTION_IDS.map((id) => [id]))(
    '%s: consistent spec (range, step, default, band, source)',
    (id) => {
      const s = ASSUMPTIONS[id];
      expect(s.id).toBe(id);
      expect(s.label.length).toBeGreaterThan(0);
      expect(s.description.length).toBeGreaterThan(0);
      expect(s.source.length).toBeGreaterThan(0);
      expect(['people/yr', '%', '%/yr', '$/yr', 'x', '$B', 'yrs', 'year']).toContain(s.unit);
      expect(s.min).toBeLessThan(s.max);
      expect(s.step).toBeGreaterThan(0);
      expect(s.min).toBeLessThanOrEqual(s.band.low);
      expect(s.band.low).toBeLessThanOrEqual(s.default);
      expect(s.default).toBeLessThanOrEqual(s.band.high);
      expect(s.band.high).toBeLessThanOrEqual(s.max);
      // Defaults sit on the slider grid, so touching a slider never jumps the value.
      const stepsFromMin = (s.default - s.min) / s.step;
      expect(Math.abs(stepsFromMin - Math.round(stepsFromMin))).toBeLessThan(1e-9);
      if (s.integer) {
        expect(
          Number.isInteger(s.default) && Number.isInteger(s.min) && Number.isInteger(s.max),
        ).toBe(true);
      }
      expect(checkAssumptionValue(id, s.default)).toEqual({ ok: true, value: s.default });
    },
  );

  it('integer flags: people counts and years only', () => {
    const ints = ASSUMPTION_IDS.filter((id) => ASSUMPTIONS[id].integer);
    expect(ints.sort()).toEqual([
      'horizon',
      'organicSignups',
      'phaseInYears',
      'programmeStart',
      'programmeYears',
      'trainingOutput',
    ]);
  });

  it('the catalogue is frozen', () => {
    expect(Object.isFrozen(ASSUMPTIONS)).toBe(true);
    expect(Object.isFrozen(ASSUMPTIONS.trainingOutput)).toBe(true);
    expect(Object.isFrozen(ASSUMPTION_IDS)).toBe(true);
  });
});

describe('A2 defaults match MODEL.md (units as the UI shows them)', () => {
  it('has the spec defaults and ranges', () => {
    const d = defaultAssumptions();
    expect(d).toMatchObject({
      trainingOutput: 40_000,
      highSkillShare: 30,
      placementRate: 50,
      attritionRate: 8,
      freelanceShare: 40,
      conversionRate: 1.3,
      earningsPerFreelancer: 12_000,
      organicSignups: 250_000,
      revenuePerWorker: 12_000,
      skillPremium: 2.5,
      servicesShare: 70,
      productStartRatio: 0.4,
      productGrowth: 25,
      baselineGrowth: 8,
      baseExports: 2.6,
      baseFreelanceExports: 0.4,
      phaseInYears: 3,
      horizon: 2030,
    });
    // Deviation (README D1): 9.75% rather than ~10%, so the organic pool is exactly steady.
    expect(d.freelancerChurn).toBe(9.75);
    expect(ASSUMPTIONS.trainingOutput).toMatchObject({ min: 0, max: 300_000 });
    expect(ASSUMPTIONS.conversionRate).toMatchObject({ min: 0, max: 50 });
    expect(ASSUMPTIONS.horizon).toMatchObject({ min: 2025, max: 2040 });
    expect(ASSUMPTIONS.baselineGrowth).toMatchObject({ min: -20, max: 40 });
  });

  it('returns a fresh object each time', () => {
    const a = defaultAssumptions();
    a.trainingOutput = 1;
    expect(defaultAssumptions().trainingOutput).toBe(40_000);
  });

  it('the calibration ranges cannot make existing firm exports negative', () => {
    expect(ASSUMPTIONS.baseFreelanceExports.max).toBeLessThanOrEqual(ASSUMPTIONS.baseExports.min);
  });
});

describe('A3 isAssumptionId', () => {
  it('accepts exactly the ids', () => {
    for (const id of ALL_IDS) expect(isAssumptionId(id)).toBe(true);
    for (const x of ['', 'toString', '__proto__', 'constructor', 'TrainingOutput', 'horizon ']) {
      expect(isAssumptionId(x)).toBe(false);
    }
  });
});

describe('A4 checkAssumptionValue rejects what cannot be a value', () => {
  it('unknown id', () => {
    const r = checkAssumptionValue('nope', 1);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/Unknown assumption "nope"/);
    expect(checkAssumptionValue('__proto__', 1).ok).toBe(false);
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
  ])('%s', (_name, value) => {
    const r = checkAssumptionValue('conversionRate', value);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/conversionRate.*finite number/);
  });

  it.each([
    ['a string', '5'],
    ['null', null],
    ['undefined', undefined],
    ['an object', { v: 5 }],
    ['a bigint', 5n],
  ])('non-numbers: %s', (_name, value) => {
    const r = checkAssumptionValue('trainingOutput', value);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/trainingOutput.*must be a number/);
  });

  it('out of range names the field and its range', () => {
    const r = checkAssumptionValue('trainingOutput', 400_000);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.error).toMatch(
      /Skilled professionals trained per year \(trainingOutput\).*0 and 300,000 people\/yr.*400000/,
    );
    const low = checkAssumptionValue('conversionRate', -0.1);
    expect(low.ok).toBe(false);
    if (!low.ok) expect(low.error).toContain('between 0 and 50 %');
    const year = checkAssumptionValue('horizon', 2041);
    expect(year.ok).toBe(false);
    if (!year.ok) expect(year.error).toContain('between 2025 and 2040 year');
  });

  it('accepts the bounds, rounds integer assumptions, keeps fractions elsewhere', () => {
    expect(checkAssumptionValue('conversionRate', 0)).toEqual({ ok: true, value: 0 });
    expect(checkAssumptionValue('conversionRate', 50)).toEqual({ ok: true, value: 50 });
    expect(checkAssumptionValue('conversionRate', 2.345)).toEqual({ ok: true, value: 2.345 });
    expect(checkAssumptionValue('trainingOutput', 40_000.4)).toEqual({ ok: true, value: 40_000 });
    expect(checkAssumptionValue('horizon', 2040.4)).toEqual({ ok: true, value: 2040 });
    expect(checkAssumptionValue('horizon', 2040.6).ok).toBe(false);
    expect(checkAssumptionValue('placementRate', -0)).toEqual({ ok: true, value: 0 });
    expect(
      Object.is((checkAssumptionValue('placementRate', -0) as { value: number }).value, 0),
    ).toBe(true);
  });

  it('agrees with clampAssumption: in range => unchanged by clamping (property)', () => {
    const id = fc.constantFrom(...ASSUMPTION_IDS);
    fc.assert(
      fc.property(id, fc.double(), (i, v) => {
        const r = checkAssumptionValue(i, v);
        if (r.ok) expect(clampAssumption(i, r.value)).toBe(r.value);
      }),
    );
  });
});

describe('A5 clampAssumption', () => {
  it('clamps into range, rounds integers, maps non-finite to the default', () => {
    expect(clampAssumption('trainingOutput', -5)).toBe(0);
    expect(clampAssumption('trainingOutput', 1e9)).toBe(300_000);
    expect(clampAssumption('trainingOutput', 1234.6)).toBe(1235);
    expect(clampAssumption('conversionRate', 2.345)).toBe(2.345);
    expect(clampAssumption('conversionRate', Number.NaN)).toBe(1.3);
    expect(clampAssumption('horizon', Number.POSITIVE_INFINITY)).toBe(2030);
    expect(clampAssumption('baselineGrowth', -100)).toBe(-20);
  });

  it('always lands in range (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ASSUMPTION_IDS), fc.double(), (id, v) => {
        const s = ASSUMPTIONS[id];
        const c = clampAssumption(id, v);
        expect(c).toBeGreaterThanOrEqual(s.min);
        expect(c).toBeLessThanOrEqual(s.max);
        if (s.integer) expect(Number.isInteger(c)).toBe(true);
        expect(checkAssumptionValue(id, c)).toEqual({ ok: true, value: c });
      }),
    );
  });
});

describe('A6 withDefaults (boards saved by older model versions)', () => {
  it('fills missing ids, keeps valid values, clamps bad ones, drops unknown keys', () => {
    const a = withDefaults({
      trainingOutput: 100_000,
      conversionRate: 99,
      horizon: Number.NaN,
      legacyThing: 3,
    });
    expect(a.trainingOutput).toBe(100_000);
    expect(a.conversionRate).toBe(50);
    expect(a.horizon).toBe(2030);
    expect(a.servicesShare).toBe(70);
    expect(Object.keys(a).sort()).toEqual([...ASSUMPTION_IDS].sort());
  });

  it('an empty object gives the defaults; non-numbers read as defaults', () => {
    expect(withDefaults({})).toEqual(defaultAssumptions());
    expect(withDefaults({ trainingOutput: '5' as unknown as number }).trainingOutput).toBe(40_000);
    // Inherited properties are not values.
    expect(
      withDefaults(Object.create({ trainingOutput: 1 }) as Record<string, number>).trainingOutput,
    ).toBe(40_000);
  });
});
