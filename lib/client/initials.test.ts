import { describe, expect, it } from 'vitest';
import { initials } from './identity';

describe('initials', () => {
  it('takes the first letters of the first and last words', () => {
    expect(initials('Curious Heron')).toBe('CH');
    expect(initials('ada')).toBe('AD');
  });
  it('skips brackets, punctuation and emoji', () => {
    expect(initials('Ayesha (PSEB)')).toBe('AP');
    expect(initials('🦊 Fox')).toBe('FO');
    expect(initials('Bilal 🚀')).toBe('BI');
    expect(initials('"Dr." Sana Mir!')).toBe('DM');
  });
  it('gives a placeholder when a name has no letters', () => {
    expect(initials('🦊🚀')).toBe('?');
    expect(initials('  (--)  ')).toBe('?');
  });
  it('keeps letters of other scripts whole (Urdu with diacritics)', () => {
    expect(initials('عائشہ خان')).toBe('عخ');
    expect(initials('Zoë')).toBe('ZO');
  });
});
