'use client';
/**
 * How chart axes write their values, in the page's locale (lib/i18n/format.ts): years without
 * grouping ("2028", never "2,028"), billions as "$4B" / "$4.5B", percentages, people in the
 * compact form. No Recharts here: the plain-SVG exports chart can use it too.
 */
import { useMemo } from 'react';
import { formatCompact } from '@/lib/format';
import { useIntlLocale } from '@/lib/i18n/format';

export type TickFormat = 'year' | 'billions' | 'billions1' | 'percent' | 'compact';

export function useTickFormat(): Record<TickFormat, (v: number) => string> {
  const locale = useIntlLocale();
  return useMemo(() => {
    const year = new Intl.NumberFormat(locale, { useGrouping: false, maximumFractionDigits: 0 });
    const plain = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
    const oneDecimal = new Intl.NumberFormat(locale, {
      minimumFractionDigits: 1,
      maximumFractionDigits: 1,
    });
    return {
      year: (v) => year.format(v),
      billions: (v) => `$${plain.format(v)}B`,
      /** Billions with one decimal always ("$2.0B"): for narrow ranges. */
      billions1: (v) => `$${oneDecimal.format(v)}B`,
      percent: (v) => `${plain.format(v)}%`,
      compact: (v) => formatCompact(v),
    };
  }, [locale]);
}
