'use client';

import { NextIntlClientProvider, useLocale } from 'next-intl';
import { useEffect, useState, type ReactNode } from 'react';
import { directionOf, type Locale } from '@/lib/i18n/locales';
import { loadMessages, type Messages } from '@/lib/i18n/messages';

/**
 * Shows its children in the board's default language (the projector's language) rather than
 * this browser's. The page was rendered with the browser's language; when the board's differs,
 * its catalog is fetched on demand (one chunk per language, lib/i18n/messages.ts), so a page
 * never ships both. The document's lang and dir follow, and with them the Nastaliq font.
 */
export function BoardLanguage({ locale, children }: { locale: Locale; children: ReactNode }) {
  const pageLocale = useLocale();
  const [loaded, setLoaded] = useState<{ locale: Locale; messages: Messages } | null>(null);

  useEffect(() => {
    if (locale === pageLocale) return;
    let cancelled = false;
    void loadMessages(locale).then((messages) => {
      if (!cancelled) setLoaded({ locale, messages });
    });
    return () => {
      cancelled = true;
    };
  }, [locale, pageLocale]);

  const active = locale === pageLocale ? null : loaded?.locale === locale ? loaded : null;
  const shown = active?.locale ?? pageLocale;
  useEffect(() => {
    document.documentElement.lang = shown;
    document.documentElement.dir = directionOf(shown);
  }, [shown]);

  if (!active) return children;
  return (
    <NextIntlClientProvider
      locale={active.locale}
      messages={active.messages}
      timeZone="Asia/Karachi"
    >
      {children}
    </NextIntlClientProvider>
  );
}
