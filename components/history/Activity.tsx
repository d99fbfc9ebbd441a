'use client';

import { useEffect, useRef, useState } from 'react';
import { useTranslations } from 'next-intl';
import { readLog, type LogEntry } from '@/lib/board/decisionLog';
import { ASSUMPTIONS, isAssumptionId } from '@/lib/model';
import { revertEdit, useDocValue } from '@/lib/client/history';
import { isPresenting, useWorkshopDoc } from '@/lib/client/workshop';
import { useBoardContext, useSharedBoard } from '@/components/board/BoardContext';
import { useAssumptionText } from '@/components/board/useAssumptionText';
import { useApiErrorText } from '@/lib/i18n/apiErrors';

/** "Revert" on a log entry (moderators): puts the value back, as a logged change. */
export function RevertButton({ entry, onDone }: { entry: LogEntry; onDone?: () => void }) {
  const { boardId, session } = useBoardContext();
  const t = useTranslations('activity');
  const apiErrorText = useApiErrorText();
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({
    busy: false,
    error: null,
  });
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <button
        type="button"
        disabled={state.busy}
        data-testid="revert-entry"
        onClick={async () => {
          setState({ busy: true, error: null });
          try {
            await revertEdit(boardId, session.signedToken(), entry.id);
            setState({ busy: false, error: null });
            onDone?.();
          } catch (err) {
            setState({ busy: false, error: apiErrorText(err, t('notReverted')) });
          }
        }}
        className="h-7 rounded-md border border-line px-2 text-xs font-medium text-ink hover:bg-canvas disabled:opacity-50"
      >
        {t('revert')}
      </button>
      {state.error && (
        <span role="alert" className="text-xs text-danger">
          {state.error}
        </span>
      )}
    </span>
  );
}

/** "Bilal changed Conversion rate in Skills-first: 1.3% → 5%", in the page's language. */
function useDescribeEntry() {
  const t = useTranslations('activity');
  const { label, value } = useAssumptionText();
  return (entry: LogEntry, scenarioName: string): string => {
    const id = isAssumptionId(entry.assumptionId) ? entry.assumptionId : null;
    const f = (v: number | null) => (v === null ? '—' : id ? value(ASSUMPTIONS[id], v) : String(v));
    return t('changed', {
      name: entry.by.name,
      what: id ? label(id) : entry.assumptionId,
      scenario: scenarioName,
      from: f(entry.from),
      to: f(entry.to),
    });
  };
}

/**
 * A quiet note for the presenting moderator when someone edits a scenario other than the one
 * presented, with a one-click revert. One at a time; it goes away by itself after 12 s.
 */
export function OffPresentedToast() {
  const { session, me, role } = useBoardContext();
  const board = useSharedBoard();
  const t = useTranslations('activity');
  const describeEntry = useDescribeEntry();
  const log = useDocValue(session.doc, readLog);
  const { focus } = useWorkshopDoc(session.doc);
  const [shown, setShown] = useState<LogEntry | null>(null);
  const seen = useRef<Set<string> | null>(null);
  const presented = isPresenting(focus) ? focus.scenarioId : null;

  useEffect(() => {
    // The entries present at load are history, not news.
    if (seen.current === null) {
      seen.current = new Set(log.map((e) => e.id));
      return;
    }
    const fresh = log.filter((e) => !seen.current!.has(e.id));
    for (const e of fresh) seen.current.add(e.id);
    if (role !== 'moderator' || !presented) return;
    const outside = fresh.filter(
      (e) => e.scenarioId !== presented && e.by.id !== me?.id && !e.revertOf,
    );
    const last = outside.at(-1);
    if (last) setShown(last);
  }, [log, role, presented, me?.id]);

  useEffect(() => {
    if (!shown) return;
    const timer = window.setTimeout(() => setShown(null), 12_000);
    return () => window.clearTimeout(timer);
  }, [shown]);

  if (!shown) return null;
  const name = board.scenarios.find((s) => s.id === shown.scenarioId)?.name ?? t('aScenario');
  return (
    <div
      role="status"
      data-testid="off-presented-toast"
      className="fixed end-4 bottom-24 z-40 flex max-w-[min(28rem,calc(100vw-2rem))] flex-col gap-2 rounded-xl border border-line bg-surface p-3 text-sm shadow-lg lg:bottom-6"
    >
      <p>
        <span className="font-medium">{t('outside')}</span> {describeEntry(shown, name)}
      </p>
      <div className="flex items-center gap-2">
        <RevertButton entry={shown} onDone={() => setShown(null)} />
        <button
          type="button"
          onClick={() => setShown(null)}
          className="h-7 rounded-md px-2 text-xs text-muted hover:text-ink"
        >
          {t('dismiss')}
        </button>
      </div>
    </div>
  );
}
