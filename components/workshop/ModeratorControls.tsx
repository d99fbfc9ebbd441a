'use client';

import { useState } from 'react';
import dynamic from 'next/dynamic';
import { useTranslations } from 'next-intl';
import { useRefusalText } from '@/lib/i18n/refusals';
import { ChartNoAxesColumn, ExternalLink, Hand, Languages, Monitor, Timer } from 'lucide-react';
import { setDefaultLocale, setFrozen } from '@/lib/board/meta';
import { setPresenterFocus } from '@/lib/board/presenter';
import {
  TIMER_PRESETS,
  isPresenting,
  timerActive,
  useLiveSession,
  useWorkshopDoc,
} from '@/lib/client/workshop';
import { LOCALES, LOCALE_NAMES, isLocale } from '@/lib/i18n/locales';
import type { AckResult } from '@/lib/protocol';
import { useBoardContext, useSharedBoard } from '@/components/board/BoardContext';
import { Avatar } from '@/components/ui/Avatar';
import { CHIP, CHIP_OFF, CHIP_ON } from './chips';

const PollOpenDialog = dynamic(() => import('./PollOpenDialog').then((m) => m.PollOpenDialog), {
  ssr: false,
});

// The moderator's bar (timer, presenting, freezing, the board's language, raised hands): loaded
// only on a moderator's page (SessionOverlay.tsx; issue 11's phone budget).

export function ModeratorControls({
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
  const { session } = useBoardContext();
  const board = useSharedBoard();
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
  const refusalText = useRefusalText();
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
  const report = (p: Promise<AckResult>) =>
    void p.then((r) => setError(r.ok ? null : refusalText(r)));
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

export function HandsList() {
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
