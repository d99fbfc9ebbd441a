import { useTranslations } from 'next-intl';

/**
 * The product mark: three rising bars, and the name. Links home with a plain anchor: next/link's
 * client navigation costs the board page about 4 KB gzipped (issue 11's phone budget), and leaving
 * a board for the home page is a full page load anyway (nothing of the board is kept).
 */
export function Logo({ compact = false }: { compact?: boolean }) {
  const t = useTranslations('meta');
  return (
    <a
      href="/"
      className="inline-flex items-center gap-2 rounded-md font-semibold tracking-tight text-ink hover:text-accent"
      aria-label={t('home')}
    >
      <svg viewBox="0 0 24 24" className="size-6 shrink-0" aria-hidden="true">
        <rect x="2" y="13" width="5" height="9" rx="1.5" className="fill-accent/40" />
        <rect x="9.5" y="8" width="5" height="14" rx="1.5" className="fill-accent/70" />
        <rect x="17" y="2" width="5" height="20" rx="1.5" className="fill-accent" />
      </svg>
      {!compact && <span className="text-base">{t('appName')}</span>}
    </a>
  );
}
