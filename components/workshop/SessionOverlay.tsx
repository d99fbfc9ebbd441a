'use client';

import { memo, useState } from 'react';
import { readAgenda } from '@/lib/board/agenda';
import { useDocValue } from '@/lib/client/history';
import { REACTIONS } from '@/lib/protocol';
import {
  isPresenting,
  timerActive,
  useFollow,
  useLiveSession,
  useWideScreen,
  useWorkshopDoc,
} from '@/lib/client/workshop';
import { TimerDisplay } from './TimerDisplay';
import {
  useBoardContext,
  useSharedBoard,
  useSessionSnapshot,
} from '@/components/board/BoardContext';
import { PresenterSync } from './PresenterSync';
import dynamic from 'next/dynamic';

// Polls load when one is open or being set up: most of a session has none (bench/phone.ts).
const PollCard = dynamic(() => import('./PollCard').then((m) => m.PollCard), { ssr: false });
const PollResults = dynamic(() => import('./PollResults').then((m) => m.PollResults), {
  ssr: false,
});
const QaCard = dynamic(() => import('./QaCard').then((m) => m.QaCard), { ssr: false });
const AgendaPanel = dynamic(() => import('./Agenda').then((m) => m.AgendaPanel), { ssr: false });
// The running agenda step: loaded once the moderator starts one (most boards never have one).
const AgendaNow = dynamic(() => import('./Agenda').then((m) => m.AgendaNow), { ssr: false });
import { FloatingReactions } from './Reactions';
import { ReactionIcon } from './ReactionIcon';
import { useTranslations } from 'next-intl';
import { useRefusalText } from '@/lib/i18n/refusals';
import { ChartNoAxesColumn, Hand } from 'lucide-react';

import { CHIP, CHIP_OFF, CHIP_ON } from './chips';

// The moderator's bar loads on a moderator's page only.
const ModeratorControls = dynamic(
  () => import('./ModeratorControls').then((m) => m.ModeratorControls),
  { ssr: false },
);
const HandsList = dynamic(() => import('./ModeratorControls').then((m) => m.HandsList), {
  ssr: false,
});

/** Page-wide live-session layer: session bar, open poll card, results, reactions, presenter follow. */
function SessionOverlayView() {
  const t = useTranslations('session');
  const { session, role } = useBoardContext();
  const live = useLiveSession(session);
  const { closedPolls } = useWorkshopDoc(session.doc);
  const agendaRunning = useDocValue(session.doc, readAgenda).currentId !== null;
  const [showResults, setShowResults] = useState(false);
  const [showAgenda, setShowAgenda] = useState(false);
  const wide = useWideScreen();
  const moderator = role === 'moderator';
  return (
    <>
      <PresenterSync />
      <section
        aria-label={t('bar')}
        className="border-b border-line bg-canvas/70"
        data-testid="session-bar"
      >
        {/* One row on a large screen: raised hands appear at the far end, so no button moves.
            On a phone a participant's bar has two fixed rows (see ParticipantControls), so a
            timer starting never wraps it. */}
        <div className="mx-auto flex max-w-[1600px] flex-wrap items-center gap-x-1.5 gap-y-2 px-4 py-2 sm:px-6 lg:flex-nowrap lg:overflow-x-auto">
          {!wide && timerActive(live.timer) && (
            <TimerDisplay timer={live.timer} clockOffset={live.clockOffset} size="bar" />
          )}
          {moderator ? (
            <ModeratorControls
              agendaOpen={showAgenda}
              toggleAgenda={() => setShowAgenda((v) => !v)}
            />
          ) : (
            <ParticipantControls />
          )}
          {(moderator || closedPolls.length > 0) && (
            <button
              type="button"
              data-testid="poll-results-toggle"
              aria-expanded={showResults}
              onClick={() => setShowResults((v) => !v)}
              className={`${CHIP} ${showResults ? CHIP_ON : CHIP_OFF}`}
            >
              <ChartNoAxesColumn className="size-3.5" aria-hidden="true" />
              {closedPolls.length > 0
                ? t('resultsCount', { count: closedPolls.length })
                : t('results')}
            </button>
          )}
          {moderator && live.hands.length > 0 && <HandsList />}
        </div>
      </section>
      {agendaRunning && <AgendaNow />}
      {(live.poll || live.qa || showResults || (moderator && showAgenda)) && (
        // Inline on a phone; on a large screen a dock in the corner, so the board never jumps.
        <div className="flex flex-col gap-3 px-4 pt-4 sm:px-6 lg:fixed lg:end-6 lg:bottom-6 lg:z-30 lg:max-h-[calc(100dvh-8rem)] lg:w-[400px] lg:overflow-y-auto lg:p-0 lg:[&>section]:shadow-lg">
          {moderator && showAgenda && <AgendaPanel />}
          {live.poll && (
            <PollCard
              poll={live.poll}
              session={session}
              people={live.people}
              mode={moderator ? 'moderate' : 'vote'}
            />
          )}
          {live.qa && (
            <QaCard
              qa={live.qa}
              session={session}
              people={live.people}
              upvoted={live.qaUpvoted}
              mode={moderator ? 'moderate' : 'vote'}
            />
          )}
          {showResults && <PollResults polls={closedPolls} />}
        </div>
      )}
      <FloatingReactions reactions={live.reactions} />
    </>
  );
}

function ParticipantControls() {
  const refusalText = useRefusalText();
  const { session, role } = useBoardContext();
  const board = useSharedBoard();
  const snapshot = useSessionSnapshot();
  const live = useLiveSession(session);
  const { focus } = useWorkshopDoc(session.doc);
  const { following, setFollowing } = useFollow(session);
  const t = useTranslations('session');
  const presenter = snapshot.roster?.find((r) => r.role === 'moderator')?.name ?? t('theModerator');
  // Which scenario the room is on, by name: a follower on a phone may not see the tab strip.
  const presented = isPresenting(focus)
    ? board.scenarios.find((s) => s.id === focus.scenarioId)?.name
    : undefined;
  const raised = live.hands.some((h) => h.participantId === snapshot.me?.id);
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      {isPresenting(focus) &&
        (following ? (
          <span
            data-testid="follow-pill"
            data-following="true"
            title={`${t('followingTitle', { presenter })}${presented ? `: ${presented}` : ''}`}
            className="inline-flex h-8 max-w-fit min-w-0 grow-[100] basis-0 items-center gap-2 rounded-full border border-accent/30 bg-accent-soft px-2.5 text-sm font-medium text-accent sm:max-w-full sm:grow-0 sm:basis-auto"
          >
            <span
              className="workshop-live-dot size-2 shrink-0 rounded-full bg-accent"
              aria-hidden="true"
            />
            {/* On a phone the scenario's name matters most: the presenter's name (in the
                title) gives way to it. */}
            <span className="min-w-0 truncate">
              {t('following')}
              <span className={presented ? 'hidden sm:inline' : ''}> {presenter}</span>
              {presented ? `: ${presented}` : ''}
            </span>
          </span>
        ) : (
          <span
            data-testid="follow-pill"
            data-following="false"
            className="inline-flex min-w-0 grow basis-0 items-center gap-2 text-sm text-muted sm:grow-0 sm:basis-auto"
          >
            <span className="hidden sm:inline">{t('steppedAway', { presenter })}</span>
            <button
              type="button"
              data-testid="follow-again"
              onClick={() => setFollowing(true)}
              className="inline-flex h-8 items-center rounded-full border border-accent bg-surface px-3 font-medium text-accent hover:bg-accent-soft"
            >
              {t('followAgain')}
            </button>
          </span>
        ))}
      {/* A viewer has no hand to raise: with nothing presented, its first row would be empty. */}
      {(role !== 'viewer' || isPresenting(focus)) && <span className="h-8 flex-1" />}
      {role !== 'viewer' && (
        <button
          type="button"
          data-testid="hand-raise"
          aria-pressed={raised}
          onClick={() =>
            void (raised ? session.lowerHand() : session.raiseHand()).then((r) =>
              setError(r.ok ? null : refusalText(r)),
            )
          }
          className={`${CHIP} ${raised ? 'border-amber-300 bg-amber-50 text-amber-900' : CHIP_OFF}`}
        >
          <Hand className="size-4" aria-hidden="true" />
          {raised ? t('lowerHand') : t('raiseHand')}
        </button>
      )}
      {/* On a phone the reactions always take the second row: whatever else appears in the
          first (a timer, the follow pill), nothing wraps and no button moves. */}
      <div
        role="group"
        aria-label={t('react')}
        className="flex basis-full items-center justify-end gap-0.5 sm:basis-auto"
      >
        {REACTIONS.map((emoji, i) => (
          <button
            key={emoji}
            type="button"
            data-testid={`reaction-${i}`}
            aria-label={t('reactWith', { emoji })}
            onClick={() =>
              void session.react(emoji).then((r) => setError(r.ok ? null : refusalText(r)))
            }
            className="inline-flex size-8 items-center justify-center rounded-lg text-lg hover:bg-surface active:scale-90"
          >
            <ReactionIcon emoji={emoji} />
          </button>
        ))}
      </div>
      {error && (
        <span role="alert" className="basis-full text-xs text-danger">
          {error}
        </span>
      )}
    </>
  );
}

/** Memoised: the board view re-renders on every edit; this only when its own inputs change. */
export const SessionOverlay = memo(SessionOverlayView);
