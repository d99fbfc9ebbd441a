import Link from 'next/link';
import { useTranslations } from 'next-intl';

/** The product mark: three rising bars, and the name. Links home. */
export function Logo({ compact = false }: { compact?: boolean }) {
  const t = useTranslations('meta');
  return (
    <Link
      href="/"
      // No prefetch: on a board opened over a slow network the home page's data would compete
      // with the board's own first download (bench/phone.ts); a click still navigates at once.
      prefetch={false}
      className="inline-flex items-center gap-2 rounded-md font-semibold tracking-tight text-ink hover:text-accent"
      aria-label={t('home')}
    >
      <svg viewBox="0 0 24 24" className="size-6 shrink-0" aria-hidden="true">
        <rect x="2" y="13" width="5" height="9" rx="1.5" className="fill-accent/40" />
        <rect x="9.5" y="8" width="5" height="14" rx="1.5" className="fill-accent/70" />
        <rect x="17" y="2" width="5" height="20" rx="1.5" className="fill-accent" />
      </svg>
      {!compact && <span className="text-base">{t('appName')}</span>}
    </Link>
  );
}
