'use client';

import { useDismiss } from '@/lib/client/useDismiss';

import { memo, useCallback, useId, useRef, useState } from 'react';
import type * as Y from 'yjs';
import type { AssumptionId } from '@/lib/model';
import { useBoardContext } from '@/components/board/BoardContext';
import dynamic from 'next/dynamic';
import { threadsFor, useThreads } from './useThreads';
import { useTranslations } from 'next-intl';
import { useAssumptionText } from '@/components/board/useAssumptionText';
import { MessageSquare } from 'lucide-react';

/** The comment button (with the open-thread count) beside one assumption, opening its threads. */
// The thread view loads when someone opens a lever's comments (issue 11's phone budget).
const CommentThreads = dynamic(() => import('./CommentThreads').then((m) => m.CommentThreads), {
  ssr: false,
});

export function AssumptionComments({ assumptionId }: { assumptionId: AssumptionId }) {
  // The board context changes with every edit; the button needs only the document (its threads
  // have their own subscription), so every row's button is not re-rendered at drag rate.
  return <CommentsButton doc={useBoardContext().session.doc} assumptionId={assumptionId} />;
}

const CommentsButton = memo(function CommentsButton({
  doc,
  assumptionId,
}: {
  doc: Y.Doc;
  assumptionId: AssumptionId;
}) {
  const threads = threadsFor(useThreads(doc), { kind: 'assumption', id: assumptionId });
  const openCount = threads.filter((t) => !t.root.resolved).length;
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const wrapRef = useRef<HTMLSpanElement>(null);
  const t = useTranslations('comments');
  const label = useAssumptionText().label(assumptionId);

  const closePanel = useCallback(() => setOpen(false), []);
  useDismiss(open, closePanel, wrapRef);

  return (
    <span ref={wrapRef} className="contents">
      <button
        type="button"
        onClick={() => setOpen((v) => !v)}
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={
          openCount ? t('onLabelOpen', { label, count: openCount }) : t('onLabel', { label })
        }
        title={t('title')}
        data-testid={`comments-${assumptionId}`}
        data-count={openCount}
        className={`inline-flex h-5 shrink-0 items-center gap-0.5 rounded-full px-1 text-[11px] font-semibold ${
          openCount > 0
            ? 'bg-amber-100 text-amber-900 hover:bg-amber-200'
            : 'text-muted hover:bg-canvas hover:text-ink'
        } ${open ? 'ring-1 ring-accent' : ''}`}
      >
        <MessageSquare className="size-3.5" aria-hidden="true" />
        {openCount > 0 && <span className="tabular-nums">{openCount}</span>}
      </button>
      {open && (
        <div
          id={panelId}
          role="dialog"
          aria-label={t('onLabel', { label })}
          data-testid={`comments-panel-${assumptionId}`}
          className="absolute start-2 end-2 top-9 z-30 max-h-[26rem] overflow-y-auto rounded-xl border border-line bg-surface p-3 shadow-lg sm:start-auto sm:w-[22rem]"
        >
          <div className="mb-2 flex items-center justify-between gap-2">
            <h3 className="text-sm font-semibold">{t('heading', { label })}</h3>
            <button
              type="button"
              onClick={() => setOpen(false)}
              aria-label={t('close')}
              className="inline-flex size-6 items-center justify-center rounded text-muted hover:bg-canvas hover:text-ink"
            >
              ×
            </button>
          </div>
          <CommentThreads target={{ kind: 'assumption', id: assumptionId }} label={label} />
        </div>
      )}
    </span>
  );
});
