'use client';

import { Languages } from 'lucide-react';
import { useLocale, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useTransition } from 'react';
import {
  LOCALE_COOKIE,
  LOCALE_COOKIE_MAX_AGE_SECONDS,
  LOCALE_NAMES,
  LOCALES,
  type Locale,
} from '@/lib/i18n/locales';

/**
 * The language switch: one button naming the other language in that language ("اردو" on an
 * English page, "English" on an Urdu one), which a reader of either can find. The choice is
 * remembered on this device in a cookie, so the server renders the next page in it too; the
 * page is refreshed in place (a live board keeps its connection and state).
 */
/** `compact`: the icon alone below the `sm` breakpoint (a phone's full board header). */
export function LanguageSwitch({
  className = '',
  compact = false,
}: {
  className?: string;
  compact?: boolean;
}) {
  const t = useTranslations('language');
  const locale = useLocale();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const other: Locale = LOCALES.find((l) => l !== locale) ?? 'en';

  function switchTo(next: Locale) {
    document.cookie = `${LOCALE_COOKIE}=${next}; path=/; max-age=${LOCALE_COOKIE_MAX_AGE_SECONDS}; samesite=lax`;
    startTransition(() => router.refresh());
  }

  return (
    <button
      type="button"
      data-testid="language-switch"
      onClick={() => switchTo(other)}
      disabled={pending}
      aria-label={t('switchTo', { language: LOCALE_NAMES[other] })}
      title={t('switchTo', { language: LOCALE_NAMES[other] })}
      className={`inline-flex h-9 shrink-0 items-center gap-1.5 rounded-lg border border-line bg-surface ${compact ? 'px-2 sm:px-3' : 'px-3'} text-sm font-medium text-ink hover:bg-canvas disabled:opacity-70 ${className}`}
    >
      <Languages className="size-4 shrink-0 text-muted" aria-hidden="true" />
      <span
        lang={other}
        dir={other === 'ur' ? 'rtl' : 'ltr'}
        className={compact ? 'hidden sm:inline' : undefined}
      >
        {LOCALE_NAMES[other]}
      </span>
    </button>
  );
}
