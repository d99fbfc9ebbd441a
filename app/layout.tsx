import type { Metadata, Viewport } from 'next';
import { connection } from 'next/server';
import { NextIntlClientProvider } from 'next-intl';
import { getLocale, getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
// Nastaliq for Urdu pages, Arabic-script subset only (about 160 KB a weight). @font-face rules
// cost nothing until text uses the family, and only html[lang='ur'] does (globals.css), so
// English pages never download these files.
import '@fontsource/noto-nastaliq-urdu/arabic-400.css';
import '@fontsource/noto-nastaliq-urdu/arabic-700.css';
import './globals.css';
import { directionOf, isLocale, DEFAULT_LOCALE } from '@/lib/i18n/locales';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('meta');
  return {
    title: { default: t('appName'), template: `%s · ${t('appName')}` },
    description: t('description'),
  };
}

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  themeColor: '#f6f7f9',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request: its scripts carry the nonce of that response's
  // Content-Security-Policy (proxy.ts), which a page built ahead of time could not know.
  await connection();
  const requested = await getLocale();
  const locale = isLocale(requested) ? requested : DEFAULT_LOCALE;
  return (
    <html lang={locale} dir={directionOf(locale)}>
      <body className="min-h-dvh bg-canvas text-ink antialiased">
        {/* Passes this request's locale and its one catalog (lib/i18n/request.ts) to client components. */}
        <NextIntlClientProvider>{children}</NextIntlClientProvider>
      </body>
    </html>
  );
}
