import { describe, expect, it } from 'vitest';
import { ASSUMPTIONS } from '../model';
import { adjustmentMessage, formatInputValue, parseAssumptionInput } from './assumptionInput';

const conversion = ASSUMPTIONS.conversionRate;
const training = ASSUMPTIONS.trainingOutput;
const base = ASSUMPTIONS.baseExports;
const horizon = ASSUMPTIONS.horizon;

describe('parseAssumptionInput', () => {
  it('reads plain, grouped and suffixed numbers', () => {
    expect(parseAssumptionInput(conversion, ' 5 ')).toEqual({ ok: true, value: 5 });
    expect(parseAssumptionInput(conversion, '2.5%')).toEqual({ ok: true, value: 2.5 });
    expect(parseAssumptionInput(training, '40,000')).toEqual({ ok: true, value: 40_000 });
    expect(parseAssumptionInput(training, '40k')).toEqual({ ok: true, value: 40_000 });
    expect(parseAssumptionInput(training, '1.2M')).toEqual({ ok: true, value: 1_200_000 });
    expect(parseAssumptionInput(base, '$2.6B')).toEqual({ ok: true, value: 2.6 });
    expect(parseAssumptionInput(conversion, '-3')).toEqual({ ok: true, value: -3 });
    expect(parseAssumptionInput(conversion, '.5')).toEqual({ ok: true, value: 0.5 });
  });

  it('refuses anything that is not a number, and never yields NaN or Infinity', () => {
    for (const text of [
      '',
      '   ',
      'lots',
      '5..2',
      '1e999',
      '--1',
      '5k%',
      'NaN',
      'Infinity',
      '0x10',
    ]) {
      const parsed = parseAssumptionInput(conversion, text);
      expect(parsed.ok, text).toBe(false);
    }
    expect(parseAssumptionInput(horizon, '2030k').ok).toBe(false);
    expect(parseAssumptionInput(base, '2m').ok).toBe(false);
  });
});

describe('adjustmentMessage', () => {
  it('says whether a value was clamped to the max or min, or rounded', () => {
    expect(adjustmentMessage(conversion, 80, 50)).toBe('Clamped to 50% (max)');
    expect(adjustmentMessage(conversion, -1, 0)).toBe('Clamped to 0% (min)');
    expect(adjustmentMessage(training, 1500.4, 1500)).toBe('Rounded to 1.5k/yr');
    expect(adjustmentMessage(conversion, 5, 5)).toBeNull();
  });
});

describe('formatInputValue', () => {
  it('shows exact values, grouping only large ones, and years plainly', () => {
    expect(formatInputValue(conversion, 1.3)).toBe('1.3');
    expect(formatInputValue(training, 40_000)).toBe('40,000');
    expect(formatInputValue(training, 5_000)).toBe('5000');
    expect(formatInputValue(horizon, 2030)).toBe('2030');
    expect(formatInputValue(conversion, 0.1 + 0.2)).toBe('0.3');
  });
});
