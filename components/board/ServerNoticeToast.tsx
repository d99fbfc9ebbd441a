'use client';

import { memo, useEffect, useState } from 'react';
import { useLocale, useTranslations } from 'next-intl';
import { noticeText, type Notice } from '@/lib/i18n/notices';

/** How long a notice stays on screen: long enough to read twice. */
const SHOW_MS = 7000;

/**
 * A passing message from the server: why a change was refused ("This board is view-only…",
 * "Conversion rate is locked by Ayesha…") or why the connection was reset. Announced politely to
 * screen readers; each new notice (a new key) shows again. In the reader's language by the
 * notice's kind (lib/i18n/notices.ts).
 */
function ServerNoticeToastView({ notice }: { notice: (Notice & { key: number }) | null }) {
  const t = useTranslations('board');
  const tn = useTranslations('notice');
  const locale = useLocale();
  const [hiddenKey, setHiddenKey] = useState<number | null>(null);
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setHiddenKey(notice.key), SHOW_MS);
    return () => clearTimeout(timer);
  }, [notice]);
  const visible = notice !== null && hiddenKey !== notice.key;
  return (
    <div
      role="status"
      aria-live="polite"
      className="pointer-events-none fixed inset-x-0 bottom-20 z-40 flex justify-center px-4 lg:bottom-6"
    >
      {visible && (
        <p
          data-testid="server-notice"
          className="pointer-events-auto flex max-w-md items-start gap-3 rounded-xl border border-line bg-surface px-4 py-3 text-sm text-ink shadow-lg"
        >
          <span className="mt-1 size-2 shrink-0 rounded-full bg-amber-500" aria-hidden="true" />
          <span>{noticeText(notice, locale, (key) => tn(key))}</span>
          <button
            type="button"
            onClick={() => setHiddenKey(notice.key)}
            className="-my-1 -me-2 shrink-0 rounded px-2 py-1 text-xs font-medium text-muted hover:text-ink"
          >
            {t('dismiss')}
          </button>
        </p>
      )}
    </div>
  );
}

/** Memoised: the board view re-renders on every edit; this only when its own inputs change. */
export const ServerNoticeToast = memo(ServerNoticeToastView);
