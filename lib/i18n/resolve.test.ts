import { describe, expect, it } from 'vitest';
import { resolveLocale } from './resolve';
import { INTL_LOCALE, directionOf } from './locales';

describe('resolveLocale', () => {
  it('follows the browser on a first visit', () => {
    expect(resolveLocale({ acceptLanguage: 'ur-PK,ur;q=0.9,en;q=0.8' })).toBe('ur');
    expect(resolveLocale({ acceptLanguage: 'ur' })).toBe('ur');
    expect(resolveLocale({ acceptLanguage: 'en-GB,en;q=0.9' })).toBe('en');
    expect(resolveLocale({ acceptLanguage: 'en;q=0.5,ur;q=0.9' })).toBe('ur');
  });

  it('falls back to English for other languages and no header', () => {
    expect(resolveLocale({ acceptLanguage: 'fr-FR,de;q=0.8' })).toBe('en');
    expect(resolveLocale({ acceptLanguage: '' })).toBe('en');
    expect(resolveLocale({})).toBe('en');
  });

  it("lets the participant's remembered choice override the browser", () => {
    expect(resolveLocale({ cookie: 'en', acceptLanguage: 'ur-PK' })).toBe('en');
    expect(resolveLocale({ cookie: 'ur', acceptLanguage: 'en-US' })).toBe('ur');
  });

  it('ignores a cookie that names no language the board speaks', () => {
    expect(resolveLocale({ cookie: 'xx', acceptLanguage: 'ur' })).toBe('ur');
    expect(resolveLocale({ cookie: '', acceptLanguage: null })).toBe('en');
  });
});

describe('locale formatting', () => {
  it('writes Urdu right to left with Latin digits, as chosen in locales.ts', () => {
    expect(directionOf('ur')).toBe('rtl');
    expect(directionOf('en')).toBe('ltr');
    expect(new Intl.NumberFormat(INTL_LOCALE.ur).format(1234.5)).toBe('1,234.5');
    expect(new Intl.NumberFormat(INTL_LOCALE.en).format(1234.5)).toBe('1,234.5');
  });
});
