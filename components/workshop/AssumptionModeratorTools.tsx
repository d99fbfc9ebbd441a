'use client';

import { useState } from 'react';
import { useLocale, useTranslations } from 'next-intl';
import { useRefusalText } from '@/lib/i18n/refusals';
import { LOCK_REASON_MAX } from '@/lib/board/limits';
import { setLock, type Lock as BoardLock } from '@/lib/board/locks';
import { setSpotlight } from '@/lib/board/presenter';
import type { AssumptionId } from '@/lib/model';
import { useWorkshopDoc } from '@/lib/client/workshop';
import { useBoardContext } from '@/components/board/BoardContext';
import { ChartNoAxesColumn, Lock, LockOpen, Sun } from 'lucide-react';
import { useAssumptionText } from '@/components/board/useAssumptionText';
import { valuePollQuestion } from './pollText';

const BUTTON =
  'inline-flex size-6 shrink-0 items-center justify-center rounded-md border transition-colors focus-visible:outline-2 focus-visible:outline-accent';
const OFF = 'border-transparent text-muted hover:border-line hover:bg-canvas hover:text-ink';

/** Moderator tools beside one assumption: lock / unlock, spotlight, value poll. */
export function AssumptionModeratorTools({ assumptionId }: { assumptionId: AssumptionId }) {
  const { role, session, locks, identity } = useBoardContext();
  const { spotlight } = useWorkshopDoc(session.doc);
  /** The reason being typed before locking (null: the lock form is closed). */
  const [reason, setReason] = useState<string | null>(null);
  const t = useTranslations('moderatorTools');
  const tPoll = useTranslations('pollDialog');
  const refusalText = useRefusalText();
  const locale = useLocale();
  const text = useAssumptionText();
  if (role !== 'moderator') return null;
  const label = text.label(assumptionId);
  const question = valuePollQuestion(tPoll, label, locale);
  // lib/board/locks' lockText, in the page's language.
  const lockText = (l: BoardLock) =>
    l.reason ? t('lockedByWhy', { name: l.by, reason: l.reason }) : t('lockedBy', { name: l.by });
  const lock = locks[assumptionId] ?? null;
  const spotlit = spotlight === assumptionId;
  const lockNow = () => {
    const why = reason?.trim().slice(0, LOCK_REASON_MAX);
    // No `reason` key at all when empty: the server refuses a key holding `undefined`.
    setLock(session.doc, assumptionId, {
      by: identity?.name ?? t('moderator'),
      at: Date.now(),
      ...(why ? { reason: why } : {}),
    });
    setReason(null);
  };
  return (
    <span
      className="relative ms-auto flex shrink-0 items-center gap-0.5 ps-1"
      data-testid={`moderator-tools-${assumptionId}`}
    >
      <button
        type="button"
        data-testid={`lock-toggle-${assumptionId}`}
        aria-pressed={lock !== null}
        aria-expanded={lock ? undefined : reason !== null}
        aria-label={
          lock ? t('unlockLabel', { label, lock: lockText(lock) }) : t('lockLabel', { label })
        }
        title={lock ? t('unlockTitle', { lock: lockText(lock) }) : t('lockTitle')}
        onClick={() => {
          if (lock) setLock(session.doc, assumptionId, null);
          else setReason((r) => (r === null ? '' : null));
        }}
        className={`${BUTTON} ${lock ? 'border-amber-300 bg-amber-50 text-amber-800' : OFF}`}
      >
        {lock ? (
          <Lock className="size-3.5" aria-hidden="true" />
        ) : (
          <LockOpen className="size-3.5" aria-hidden="true" />
        )}
      </button>
      {reason !== null && !lock && (
        <form
          data-testid={`lock-form-${assumptionId}`}
          onSubmit={(e) => {
            e.preventDefault();
            lockNow();
          }}
          className="absolute end-0 top-full z-40 mt-1 flex w-72 max-w-[calc(100vw-2rem)] flex-col gap-2 rounded-xl border border-line bg-surface p-3 text-sm shadow-lg"
        >
          <label htmlFor={`lock-reason-${assumptionId}`} className="font-medium">
            {t('lockLabel', { label })}
          </label>
          <input
            id={`lock-reason-${assumptionId}`}
            data-testid={`lock-reason-${assumptionId}`}
            autoFocus
            value={reason}
            maxLength={LOCK_REASON_MAX}
            onChange={(e) => setReason(e.target.value)}
            onKeyDown={(e) => e.key === 'Escape' && setReason(null)}
            placeholder={t('reasonPlaceholder')}
            className="rounded-lg border border-line px-2.5 py-1.5 outline-none focus:border-accent focus:ring-2 focus:ring-accent/25"
          />
          <span className="flex justify-end gap-2">
            <button
              type="button"
              onClick={() => setReason(null)}
              className="rounded-lg px-2.5 py-1 text-muted hover:bg-canvas"
            >
              {t('cancel')}
            </button>
            <button
              type="submit"
              data-testid={`lock-confirm-${assumptionId}`}
              className="rounded-lg bg-accent px-3 py-1 font-medium text-white hover:bg-accent/90"
            >
              {t('lock')}
            </button>
          </span>
        </form>
      )}
      <button
        type="button"
        data-testid={`spotlight-${assumptionId}`}
        aria-pressed={spotlit}
        aria-label={spotlit ? t('unspotlightLabel', { label }) : t('spotlightLabel', { label })}
        title={spotlit ? t('unspotlightTitle') : t('spotlightTitle')}
        onClick={() => setSpotlight(session.doc, spotlit ? null : assumptionId)}
        className={`${BUTTON} ${spotlit ? 'border-accent/40 bg-accent-soft text-accent' : OFF}`}
      >
        <Sun className="size-3.5" aria-hidden="true" />
      </button>
      <button
        type="button"
        data-testid={`poll-value-${assumptionId}`}
        aria-label={t('askLabel', { question })}
        title={t('askTitle')}
        onClick={() =>
          void session.openPoll({ kind: 'value', question, assumptionId }).then((r) => {
            if (!r.ok) window.alert(refusalText(r));
          })
        }
        className={`${BUTTON} ${OFF}`}
      >
        <ChartNoAxesColumn className="size-3.5" aria-hidden="true" />
      </button>
    </span>
  );
}
