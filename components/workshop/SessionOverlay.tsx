'use client';

import { useState } from 'react';
import { setDefaultLocale, setFrozen } from '@/lib/board/meta';
import { setPresenterFocus } from '@/lib/board/presenter';
import { readAgenda } from '@/lib/board/agenda';
import { useDocValue } from '@/lib/client/history';
import { REACTIONS } from '@/lib/protocol';
import {
  TIMER_PRESETS,
  isPresenting,
  timerActive,
  useFollow,
  useLiveSession,
  useWideScreen,
  useWorkshopDoc,
} from '@/lib/client/workshop';
import { TimerDisplay } from './TimerDisplay';
import { useBoardContext } from '@/components/board/BoardContext';
import { Avatar } from '@/components/ui/Avatar';
import { PresenterSync } from './PresenterSync';
import dynamic from 'next/dynamic';

// Polls load when one is open or being set up: most of a session has none (bench/phone.ts).
const PollCard = dynamic(() => import('./PollCard').then((m) => m.PollCard), { ssr: false });
const PollOpenDialog = dynamic(() => import('./PollOpenDialog').then((m) => m.PollOpenDialog), {
  ssr: false,
});
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
import { ChartNoAxesColumn, ExternalLink, Hand, Languages, Monitor, Timer } from 'lucide-react';
import { LOCALES, LOCALE_NAMES, isLocale } from '@/lib/i18n/locales';

const CHIP =
  'inline-flex h-8 shrink-0 items-center gap-1.5 rounded-lg border px-2.5 text-sm font-medium transition-colors focus-visible:outline-2 focus-visible:outline-accent disabled:opacity-50';
const CHIP_OFF = 'border-line bg-surface text-ink hover:bg-canvas';
const CHIP_ON = 'border-accent/40 bg-accent-soft text-accent';

/** Page-wide live-session layer: session bar, open poll card, results, reactions, presenter follow. */
export function SessionOverlay() {
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

function ModeratorControls({
  agendaOpen,
  toggleAgenda,
}: {
  agendaOpen: boolean;
  toggleAgenda: () => void;
}) {
  const t = useTranslations('session');
  const { session, scenarioId, tab, boardId } = useBoardContext();
  const { focus, frozen } = useWorkshopDoc(session.doc);
  const live = useLiveSession(session);
  const [pollDialog, setPollDialog] = useState(false);
  const presenting = isPresenting(focus);
  const recall = focus?.recall ?? 0;
  return (
    <>
      <button
        type="button"
        role="switch"
        aria-checked={presenting}
        data-testid="present-toggle"
        onClick={() =>
          setPresenterFocus(session.doc, {
            scenarioId: presenting ? null : scenarioId,
            tab,
            assumptionId: focus?.assumptionId ?? null,
            recall,
          })
        }
        className={`${CHIP} ${presenting ? 'border-accent bg-accent text-white hover:bg-accent/90' : CHIP_OFF}`}
        title={presenting ? t('stopPresentingTitle') : t('presentTitle')}
      >
        <Monitor className="size-4" aria-hidden="true" />
        {presenting ? t('presenting') : t('present')}
      </button>
      {presenting && (
        <button
          type="button"
          data-testid="bring-back"
          onClick={() =>
            setPresenterFocus(session.doc, {
              scenarioId,
              tab,
              assumptionId: focus.assumptionId,
              recall: recall + 1,
            })
          }
          className={`${CHIP} ${CHIP_OFF}`}
          title={t('bringBackTitle')}
        >
          {t('bringBack')}
        </button>
      )}
      <button
        type="button"
        role="switch"
        aria-checked={frozen}
        data-testid="freeze-toggle"
        onClick={() => setFrozen(session.doc, !frozen)}
        className={`${CHIP} ${frozen ? 'border-amber-300 bg-amber-50 text-amber-900' : CHIP_OFF}`}
        title={frozen ? t('unfreezeTitle') : t('freezeTitle')}
      >
        <span
          aria-hidden="true"
          className={`relative inline-block h-4 w-7 rounded-full transition-colors ${frozen ? 'bg-amber-500' : 'bg-line'}`}
        >
          <span
            className={`absolute top-0.5 size-3 rounded-full bg-white shadow transition-[inset-inline-start] ${frozen ? 'start-3.5' : 'start-0.5'}`}
          />
        </span>
        {frozen ? t('frozen') : t('freeze')}
      </button>
      <Divider />
      <button
        type="button"
        data-testid="agenda-toggle"
        aria-expanded={agendaOpen}
        onClick={toggleAgenda}
        className={`${CHIP} ${agendaOpen ? CHIP_ON : CHIP_OFF}`}
        title={t('agendaTitle')}
      >
        {t('agenda')}
      </button>
      <TimerControls />
      <Divider />
      <button
        type="button"
        data-testid="poll-open"
        disabled={live.poll !== null || live.qa !== null}
        onClick={() => setPollDialog(true)}
        className={`${CHIP} ${CHIP_OFF}`}
        title={live.poll || live.qa ? t('askBlockedTitle') : t('askTitle')}
      >
        <ChartNoAxesColumn className="size-3.5" aria-hidden="true" />
        {t('ask')}
      </button>
      <a
        href={`/b/${encodeURIComponent(boardId)}/present`}
        target="_blank"
        rel="noopener"
        data-testid="projector-link"
        className={`${CHIP} ${CHIP_OFF}`}
      >
        {t('projector')}
        <ExternalLink className="size-3.5" aria-hidden="true" />
      </a>
      <BoardLanguageSelect />
      {pollDialog && <PollOpenDialog onClose={() => setPollDialog(false)} />}
    </>
  );
}

/** The board's default language: what the projector shows (participants each choose their own). */
function BoardLanguageSelect() {
  const t = useTranslations('session');
  const { session, board } = useBoardContext();
  return (
    <label className={`${CHIP} ${CHIP_OFF} gap-1`} title={t('boardLanguageTitle')}>
      <span className="sr-only">{t('boardLanguage')}</span>
      <Languages className="size-4 text-muted" aria-hidden="true" />
      <select
        data-testid="board-language"
        value={board.meta.defaultLocale}
        onChange={(e) => {
          if (isLocale(e.target.value)) setDefaultLocale(session.doc, e.target.value);
        }}
        className="bg-transparent text-sm outline-none"
      >
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LOCALE_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}

function Divider() {
  return <span aria-hidden="true" className="mx-1 hidden h-5 w-px bg-line sm:block" />;
}

function TimerControls() {
  const t = useTranslations('session');
  const { session } = useBoardContext();
  const { timer } = useLiveSession(session);
  // Until the moderator picks one here, the duration is the session's own (the server keeps the
  // last started or reset duration), so a reload shows 10m for a 10-minute timer, not 5m.
  const [chosen, setMinutes] = useState<number | null>(null);
  const minutes = chosen ?? (timer ? timer.durationMs / 60_000 : 5);
  const [typed, setCustom] = useState<string | null>(null);
  const custom =
    typed ?? ((TIMER_PRESETS as readonly number[]).includes(minutes) ? '' : String(minutes));
  const [error, setError] = useState<string | null>(null);
  const running = timer?.running ?? false;
  const paused = !running && timerActive(timer);
  const report = (p: Promise<{ ok: boolean; error?: string }>) =>
    void p.then((r) => setError(r.ok ? null : (r.error ?? t('refused'))));
  const durationMs = Math.round(minutes * 60_000);
  return (
    <div
      role="group"
      aria-label={t('timer')}
      className="flex flex-wrap items-center gap-1 lg:shrink-0 lg:flex-nowrap"
    >
      <Timer className="me-0.5 size-4 text-muted" aria-hidden="true" />
      {TIMER_PRESETS.map((m) => (
        <button
          key={m}
          type="button"
          data-testid={`timer-preset-${m}`}
          aria-pressed={minutes === m && custom === ''}
          onClick={() => {
            setMinutes(m);
            setCustom('');
          }}
          className={`${CHIP} px-2 ${minutes === m && custom === '' ? CHIP_ON : CHIP_OFF}`}
        >
          {t('minutesShort', { m })}
        </button>
      ))}
      <input
        aria-label={t('customMinutes')}
        data-testid="timer-custom"
        inputMode="decimal"
        placeholder={t('minPlaceholder')}
        value={custom}
        onChange={(e) => {
          setCustom(e.target.value);
          const v = Number(e.target.value.replace(',', '.'));
          if (Number.isFinite(v) && v > 0 && v <= 240) setMinutes(v);
        }}
        className="h-8 w-14 rounded-lg border border-line bg-surface px-2 text-sm tabular-nums"
      />
      {running ? (
        <button
          type="button"
          data-testid="timer-pause"
          onClick={() => report(session.pauseTimer())}
          className={`${CHIP} ${CHIP_OFF}`}
        >
          {t('pause')}
        </button>
      ) : (
        <button
          type="button"
          data-testid="timer-start"
          onClick={() => report(paused ? session.startTimer() : session.startTimer(durationMs))}
          className={`${CHIP} border-accent bg-accent text-white hover:bg-accent/90`}
        >
          {paused ? t('resume') : t('start')}
        </button>
      )}
      <button
        type="button"
        data-testid="timer-reset"
        onClick={() => report(session.resetTimer(durationMs))}
        className={`${CHIP} ${CHIP_OFF}`}
      >
        {t('reset')}
      </button>
      {error && (
        <span role="alert" className="text-xs text-danger">
          {error}
        </span>
      )}
    </div>
  );
}

function HandsList() {
  const t = useTranslations('session');
  const { session } = useBoardContext();
  const { hands } = useLiveSession(session);
  return (
    <div
      data-testid="hands-list"
      role="group"
      aria-label={t('raisedHands')}
      className="ms-auto flex min-w-0 shrink items-center gap-1 rounded-lg border border-amber-300 bg-amber-50 py-0.5 ps-2 pe-1 text-sm text-amber-900"
    >
      <Hand className="size-4" aria-hidden="true" />
      {/* The first three by name; the rest as a count, so the bar keeps one row. */}
      {hands.slice(0, 3).map((h) => (
        <span
          key={h.participantId}
          className="inline-flex items-center gap-1 rounded-md bg-white/80 py-0.5 ps-1 pe-0.5"
        >
          <Avatar name={h.name} color={h.color} size="xs" />
          <span className="max-w-[8rem] truncate" title={h.name}>
            {h.name}
          </span>
          <button
            type="button"
            onClick={() => void session.lowerHand(h.participantId)}
            aria-label={t('lowerHandOf', { name: h.name })}
            title={t('lowerHand')}
            className="rounded px-1 text-amber-900/70 hover:bg-amber-100 hover:text-amber-900"
          >
            ✕
          </button>
        </span>
      ))}
      {hands.length > 3 && (
        <span
          className="px-1 font-semibold"
          title={hands
            .slice(3)
            .map((h) => h.name)
            .join(', ')}
        >
          +{hands.length - 3}
        </span>
      )}
    </div>
  );
}

function ParticipantControls() {
  const { session, role, snapshot, board } = useBoardContext();
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
      <span className="h-8 flex-1" />
      {role !== 'viewer' && (
        <button
          type="button"
          data-testid="hand-raise"
          aria-pressed={raised}
          onClick={() =>
            void (raised ? session.lowerHand() : session.raiseHand()).then((r) =>
              setError(r.ok ? null : r.error),
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
            onClick={() => void session.react(emoji).then((r) => setError(r.ok ? null : r.error))}
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
