import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { formatCompact, formatPercent, formatUsd, formatValue } from './format';
import { ASSUMPTIONS, ASSUMPTION_IDS } from './model';

describe('F1 formatUsd: B with 2 decimals, M and k with 0-1, plain dollars below $1k', () => {
  it.each([
    [4.08e9, '$4.08B'],
    [4_080_460_377, '$4.08B'],
    [10e9, '$10.00B'],
    [850e6, '$850M'],
    [12.5e6, '$12.5M'],
    [12_000, '$12.0k'],
    [250_000, '$250k'],
    [850, '$850'],
    [0, '$0'],
    [0.4, '$0'],
    [-1.2e9, '-$1.20B'],
    [-0.2, '$0'],
  ])('%d -> %s', (v, s) => expect(formatUsd(v)).toBe(s));

  it('promotes values that round up into the next unit', () => {
    expect(formatUsd(999.7)).toBe('$1.0k');
    expect(formatUsd(999_960)).toBe('$1.0M');
    expect(formatUsd(999.6e6)).toBe('$1.00B');
    expect(formatUsd(99.96e6)).toBe('$100M');
  });

  it('non-finite reads as a dash', () => {
    expect(formatUsd(Number.NaN)).toBe('—');
    expect(formatUsd(Number.POSITIVE_INFINITY)).toBe('—');
  });

  it('never prints four integer digits before a suffix (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e14, noNaN: true }), (v) => {
        expect(formatUsd(v)).toMatch(/^\$(\d{1,3}(\.\d{1,2})?[kMBT]?)$/);
      }),
    );
  });
});

describe('F2 formatCompact: at most one decimal, trailing zero dropped', () => {
  it.each([
    [40_000, '40k'],
    [1_200_000, '1.2M'],
    [850, '850'],
    [256_410, '256k'],
    [1_500, '1.5k'],
    [12_345, '12.3k'],
    [2.5, '2.5'],
    [999.96, '1k'],
    [999_960, '1M'],
    [0, '0'],
    [-40_000, '-40k'],
    [2.6e9, '2.6B'],
  ])('%d -> %s', (v, s) => expect(formatCompact(v)).toBe(s));
});

describe('F3 formatPercent takes a fraction', () => {
  it('formats with the given digits', () => {
    expect(formatPercent(0.013)).toBe('1.3%');
    expect(formatPercent(0.5)).toBe('50.0%');
    expect(formatPercent(0.5, 0)).toBe('50%');
    expect(formatPercent(0.0923, 2)).toBe('9.23%');
    expect(formatPercent(-0.05)).toBe('-5.0%');
    expect(formatPercent(Number.NaN)).toBe('—');
  });
});

describe('F4 formatValue shows an assumption as the UI does, with its unit', () => {
  it.each([
    ['trainingOutput', 40_000, '40k/yr'],
    ['organicSignups', 250_000, '250k/yr'],
    ['conversionRate', 1.3, '1.3%'],
    ['servicesShare', 70, '70%'],
    ['attritionRate', 8, '8%/yr'],
    ['freelancerChurn', 9.75, '9.75%/yr'],
    ['baselineGrowth', -20, '-20%/yr'],
    ['earningsPerFreelancer', 12_000, '$12,000/yr'],
    ['revenuePerWorker', 150_500, '$150,500/yr'],
    ['skillPremium', 2.5, '2.5x'],
    ['productStartRatio', 0.4, '0.4x'],
    ['baseExports', 2.6, '$2.6B'],
    ['baseFreelanceExports', 0.4, '$0.4B'],
    ['phaseInYears', 3, '3 yrs'],
    ['phaseInYears', 1, '1 yr'],
    ['phaseInYears', 0, '0 yrs'],
    ['horizon', 2030, '2030'],
  ] as const)('%s = %d -> %s', (id, v, s) => expect(formatValue(ASSUMPTIONS[id], v)).toBe(s));

  it('formats every default without NaN, undefined or a dash', () => {
    for (const id of ASSUMPTION_IDS) {
      const text = formatValue(ASSUMPTIONS[id], ASSUMPTIONS[id].default);
      expect(text).not.toMatch(/NaN|undefined|—/);
    }
  });

  it('falls back to "number unit" for an unknown unit', () => {
    expect(formatValue({ ...ASSUMPTIONS.trainingOutput, unit: 'widgets' }, 1234.5)).toBe(
      '1,234.5 widgets',
    );
  });
});
