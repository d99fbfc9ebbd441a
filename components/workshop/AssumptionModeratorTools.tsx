'use client';

import { useState } from 'react';
import { LOCK_REASON_MAX } from '@/lib/board/limits';
import { lockText, setLock } from '@/lib/board/locks';
import { setSpotlight } from '@/lib/board/presenter';
import { ASSUMPTIONS, type AssumptionId } from '@/lib/model';
import { useWorkshopDoc } from '@/lib/client/workshop';
import { useBoardContext } from '@/components/board/BoardContext';
import { ChartNoAxesColumn, Lock, LockOpen, Sun } from 'lucide-react';
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
  if (role !== 'moderator') return null;
  const spec = ASSUMPTIONS[assumptionId];
  const lock = locks[assumptionId] ?? null;
  const spotlit = spotlight === assumptionId;
  const lockNow = () => {
    const why = reason?.trim().slice(0, LOCK_REASON_MAX);
    // No `reason` key at all when empty: the server refuses a key holding `undefined`.
    setLock(session.doc, assumptionId, {
      by: identity?.name ?? 'Moderator',
      at: Date.now(),
      ...(why ? { reason: why } : {}),
    });
    setReason(null);
  };
  return (
    <span
      className="relative ml-auto flex shrink-0 items-center gap-0.5 pl-1"
      data-testid={`moderator-tools-${assumptionId}`}
    >
      <button
        type="button"
        data-testid={`lock-toggle-${assumptionId}`}
        aria-pressed={lock !== null}
        aria-expanded={lock ? undefined : reason !== null}
        aria-label={
          lock ? `${spec.label}: ${lockText(lock)}. Unlock` : `Lock ${spec.label} for the room`
        }
        title={lock ? `${lockText(lock)}. Click to unlock` : 'Lock for the room'}
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
          className="absolute top-full right-0 z-40 mt-1 flex w-72 max-w-[calc(100vw-2rem)] flex-col gap-2 rounded-xl border border-line bg-surface p-3 text-sm shadow-lg"
        >
          <label htmlFor={`lock-reason-${assumptionId}`} className="font-medium">
            Lock {spec.label} for the room
          </label>
          <input
            id={`lock-reason-${assumptionId}`}
            data-testid={`lock-reason-${assumptionId}`}
            autoFocus
            value={reason}
            maxLength={LOCK_REASON_MAX}
            onChange={(e) => setReason(e.target.value)}
            onKeyDown={(e) => e.key === 'Escape' && setReason(null)}
            placeholder="Why? e.g. agreed in the morning session"
            className="rounded-lg border border-line px-2.5 py-1.5 outline-none focus:border-accent focus:ring-2 focus:ring-accent/25"
          />
          <span className="flex justify-end gap-2">
            <button
              type="button"
              onClick={() => setReason(null)}
              className="rounded-lg px-2.5 py-1 text-muted hover:bg-canvas"
            >
              Cancel
            </button>
            <button
              type="submit"
              data-testid={`lock-confirm-${assumptionId}`}
              className="rounded-lg bg-accent px-3 py-1 font-medium text-white hover:bg-accent/90"
            >
              Lock
            </button>
          </span>
        </form>
      )}
      <button
        type="button"
        data-testid={`spotlight-${assumptionId}`}
        aria-pressed={spotlit}
        aria-label={
          spotlit
            ? `Remove the spotlight from ${spec.label}`
            : `Spotlight ${spec.label} for everyone`
        }
        title={spotlit ? 'Remove the spotlight' : 'Spotlight for everyone'}
        onClick={() => setSpotlight(session.doc, spotlit ? null : assumptionId)}
        className={`${BUTTON} ${spotlit ? 'border-accent/40 bg-accent-soft text-accent' : OFF}`}
      >
        <Sun className="size-3.5" aria-hidden="true" />
      </button>
      <button
        type="button"
        data-testid={`poll-value-${assumptionId}`}
        aria-label={`Ask the room: ${valuePollQuestion(spec.label)}`}
        title="Ask the room for their value"
        onClick={() =>
          void session
            .openPoll({ kind: 'value', question: valuePollQuestion(spec.label), assumptionId })
            .then((r) => {
              if (!r.ok) window.alert(r.error);
            })
        }
        className={`${BUTTON} ${OFF}`}
      >
        <ChartNoAxesColumn className="size-3.5" aria-hidden="true" />
      </button>
    </span>
  );
}
