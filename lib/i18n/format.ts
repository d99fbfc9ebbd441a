'use client';
/**
 * Locale-aware number and date formatting for client components, through Intl with the
 * locale's Pakistani variant (INTL_LOCALE: en-PK, ur-PK with Latin digits). Money keeps the
 * board's compact "$4.08B" / "$850M" form from lib/format.ts in both languages.
 */
import { useLocale } from 'next-intl';
import { useMemo } from 'react';
import { INTL_LOCALE, isLocale, DEFAULT_LOCALE } from './locales';

export function useIntlLocale(): string {
  const locale = useLocale();
  return INTL_LOCALE[isLocale(locale) ? locale : DEFAULT_LOCALE];
}

/** Formatters bound to the active locale: numbers (grouping, decimals) and short date-times. */
export function useLocaleFormat() {
  const intlLocale = useIntlLocale();
  return useMemo(() => {
    const dateTime = new Intl.DateTimeFormat(intlLocale, {
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
    });
    return {
      number: (n: number, maximumFractionDigits = 2) =>
        numberFormat(intlLocale, maximumFractionDigits).format(n),
      dateTime: (t: number | Date) => dateTime.format(t),
    };
  }, [intlLocale]);
}

/**
 * Intl.NumberFormat objects are costly to build and rows format on every render (a lever drag
 * re-renders its row at pointer rate): one per locale and precision, kept.
 */
const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(intlLocale: string, maximumFractionDigits: number): Intl.NumberFormat {
  const key = `${intlLocale}|${maximumFractionDigits}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(intlLocale, { maximumFractionDigits });
    numberFormats.set(key, format);
  }
  return format;
}
