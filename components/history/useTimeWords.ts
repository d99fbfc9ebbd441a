'use client';
/**
 * Times in the History tab and the report, in the reader's language. English keeps the board's
 * own words ("5 min ago", "3 days ago"); Urdu gets Intl's ur-PK words and "ابھی" for just now.
 */
import { useTranslations } from 'next-intl';
import { useCallback } from 'react';
import { formatAgo, formatDateTime } from '@/lib/board/decision';
import { relativeTime } from '@/lib/client/history';
import { useIntlLocale } from '@/lib/i18n/format';

/**
 * lib/board/decision's formatDateTime for Urdu, on a 24-hour clock: "2 دسمبر، 2026، 14:05" reads
 * in order inside an Urdu sentence, where "2:05 PM" would be reordered to "PM 2:05".
 */
const urduDateTime = new Intl.DateTimeFormat('ur-PK', {
  dateStyle: 'medium',
  timeStyle: 'short',
  hourCycle: 'h23',
});

export function useTimeWords() {
  const intlLocale = useIntlLocale();
  const t = useTranslations('history');
  const english = intlLocale.startsWith('en');
  const translatedAgo = useCallback(
    (at: number) => {
      const now = Date.now();
      return Math.abs(now - at) < 45_000 ? t('justNow') : formatAgo(at, now, intlLocale);
    },
    [intlLocale, t],
  );
  return {
    /** "2 Dec 2026, 14:05" */
    dateTime: useCallback(
      (at: number) => (english ? formatDateTime(at) : urduDateTime.format(at)),
      [english],
    ),
    /** "3 minutes ago" (the decision record's style). */
    ago: useCallback(
      (at: number) => (english ? formatAgo(at) : translatedAgo(at)),
      [english, translatedAgo],
    ),
    /** "3 min ago" (the log's and the versions' short style). */
    short: useCallback(
      (at: number) => (english ? relativeTime(at) : translatedAgo(at)),
      [english, translatedAgo],
    ),
  };
}
