'use client';

import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useLocaleFormat } from '@/lib/i18n/format';
import { forgetBoard, useRecentBoards } from '@/lib/client/recentBoards';

/** Boards this browser opened, newest first (localStorage only). */
export function RecentBoards() {
  const t = useTranslations('recent');
  const format = useLocaleFormat();
  const boards = useRecentBoards();
  return (
    <section
      aria-labelledby="recent-heading"
      className="flex flex-col gap-3"
      data-testid="recent-boards"
    >
      <h2 id="recent-heading" className="text-sm font-semibold tracking-wide text-muted uppercase">
        {t('heading')}
      </h2>
      {boards.length === 0 ? (
        <p className="rounded-xl border border-dashed border-line px-5 py-6 text-sm text-muted">
          {t('empty')}
        </p>
      ) : (
        <ul className="divide-y divide-line overflow-hidden rounded-xl border border-line bg-surface">
          {boards.map((b) => (
            <li key={b.id} className="group flex items-center gap-3 pe-2">
              <Link
                href={`/b/${b.id}`}
                data-testid="recent-board"
                className="flex min-w-0 flex-1 flex-col gap-0.5 px-5 py-3.5 hover:bg-canvas focus-visible:bg-canvas"
              >
                <span className="truncate font-medium">{b.title}</span>
                <span className="text-xs text-muted">
                  {t.rich('opened', {
                    when: () => (
                      <time dateTime={new Date(b.lastOpened).toISOString()}>
                        {format.dateTime(b.lastOpened)}
                      </time>
                    ),
                  })}
                </span>
              </Link>
              <button
                type="button"
                onClick={() => forgetBoard(b.id)}
                className="rounded-md px-2 py-1 text-xs text-muted opacity-100 hover:bg-canvas hover:text-ink sm:opacity-0 sm:group-focus-within:opacity-100 sm:group-hover:opacity-100"
                aria-label={t('removeLabel', { title: b.title })}
              >
                {t('remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
