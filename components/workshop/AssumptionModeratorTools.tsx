'use client';

import { setLock, setSpotlight } from '@/lib/board/schema';
import { ASSUMPTIONS, type AssumptionId } from '@/lib/model';
import { useWorkshopDoc } from '@/lib/client/workshop';
import { useBoardContext } from '@/components/board/BoardContext';
import { LockIcon, PollIcon, SpotlightIcon } from './icons';
import { valuePollQuestion } from './pollText';

const BUTTON =
  'inline-flex size-6 shrink-0 items-center justify-center rounded-md border transition-colors focus-visible:outline-2 focus-visible:outline-accent';
const OFF = 'border-transparent text-muted hover:border-line hover:bg-canvas hover:text-ink';

/** Moderator tools beside one assumption: lock / unlock, spotlight, value poll. */
export function AssumptionModeratorTools({ assumptionId }: { assumptionId: AssumptionId }) {
  const { role, session, locks, identity } = useBoardContext();
  const { spotlight } = useWorkshopDoc(session.doc);
  if (role !== 'moderator') return null;
  const spec = ASSUMPTIONS[assumptionId];
  const lock = locks[assumptionId] ?? null;
  const spotlit = spotlight === assumptionId;
  return (
    <span
      className="ml-auto flex shrink-0 items-center gap-0.5 pl-1"
      data-testid={`moderator-tools-${assumptionId}`}
    >
      <button
        type="button"
        data-testid={`lock-toggle-${assumptionId}`}
        aria-pressed={lock !== null}
        aria-label={
          lock ? `${spec.label}: locked by ${lock.by}. Unlock` : `Lock ${spec.label} for the room`
        }
        title={lock ? `Locked by ${lock.by}: click to unlock` : 'Lock for the room'}
        onClick={() =>
          setLock(
            session.doc,
            assumptionId,
            lock ? null : { by: identity?.name ?? 'Moderator', at: Date.now() },
          )
        }
        className={`${BUTTON} ${lock ? 'border-amber-300 bg-amber-50 text-amber-800' : OFF}`}
      >
        <LockIcon open={!lock} />
      </button>
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
        <SpotlightIcon />
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
        <PollIcon />
      </button>
    </span>
  );
}
