/**
 * The languages the UI speaks, and what each one means for formatting and layout. Pure: shared by
 * the server (request config, board meta validation) and the browser (language switch).
 */
export const LOCALES = ['en', 'ur'] as const;
export type Locale = (typeof LOCALES)[number];

/** English stays the default: a visitor whose browser asks for neither language gets it. */
export const DEFAULT_LOCALE: Locale = 'en';

/** The cookie that remembers a participant's choice on this device (read by the server). */
export const LOCALE_COOKIE = 'NEXT_LOCALE';
/** A year: the choice outlives a workshop day without being a forever setting. */
export const LOCALE_COOKIE_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

export function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v);
}

/**
 * The Intl locale numbers and dates are formatted with. `ur-PK` keeps Latin digits (CLDR's
 * default numbering system for Urdu in Pakistan is `latn`, not `arabext` ۱۲۳): figures such as
 * "$4.08B" and "5%" read the same as in the English board, the press and the source documents,
 * and a number in Latin digits next to "$" and "B" never mixes two digit systems in one figure.
 */
export const INTL_LOCALE: Record<Locale, string> = { en: 'en-PK', ur: 'ur-PK' };

/** Writing direction of the page for a locale. */
export function directionOf(locale: Locale): 'ltr' | 'rtl' {
  return locale === 'ur' ? 'rtl' : 'ltr';
}

/** What the language switch shows for each locale: each name in its own language. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', ur: 'اردو' };

/**
 * A figure kept left to right inside plain text (an aria description, a title): Unicode's
 * left-to-right isolate, the plain-text twin of components/ui/Ltr. Only where the page is right
 * to left, so English text stays byte for byte what it was.
 */
export function isolateFigure(locale: Locale, text: string): string {
  return directionOf(locale) === 'rtl' ? `\u2066${text}\u2069` : text;
}
