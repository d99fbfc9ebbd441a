'use client';

import { useState, type FormEvent } from 'react';
import { useTranslations } from 'next-intl';
import { useRefusalText } from '@/lib/i18n/refusals';
import {
  AGENDA_MINUTES_MAX,
  AGENDA_STEPS_MAX,
  AGENDA_TITLE_MAX,
  agendaNow,
  newStepId,
  readAgenda,
  setAgendaSteps,
  startAgendaStep,
  type Agenda,
  type AgendaStep,
} from '@/lib/board/agenda';
import { setPresenterFocus } from '@/lib/board/presenter';
import { useDocValue } from '@/lib/client/history';
import { useWorkshopDoc } from '@/lib/client/workshop';
import { useBoardContext, useSharedBoard } from '@/components/board/BoardContext';

type AgendaT = ReturnType<typeof useTranslations<'agenda'>>;

/**
 * "Step 2 of 4: Explore Skills-first (10 min)", and what comes next; null when none runs.
 * `t` is the "agenda" namespace of the page's language.
 */
export function agendaLine(
  agenda: Agenda,
  t: AgendaT,
): { now: string; next: string | null } | null {
  const { current, next, index } = agendaNow(agenda);
  if (!current) return null;
  return {
    now: t('stepOf', {
      n: index + 1,
      count: agenda.steps.length,
      title: current.title,
      minutes: current.minutes,
    }),
    next: next ? t('stepShort', { title: next.title, minutes: next.minutes }) : null,
  };
}

/** The running step and the next one, for everyone (a thin strip under the session bar). */
export function AgendaNow() {
  const { session } = useBoardContext();
  const t = useTranslations('agenda');
  const line = agendaLine(useDocValue(session.doc, readAgenda), t);
  if (!line) return null;
  return (
    <p
      data-testid="agenda-now"
      className="mx-auto flex max-w-[1600px] min-w-0 items-baseline gap-x-3 px-4 py-1.5 text-sm sm:px-6"
    >
      <span className="min-w-0 truncate font-medium">{line.now}</span>
      {line.next && (
        <span className="hidden min-w-0 truncate text-muted sm:inline">
          {t('next', { step: line.next })}
        </span>
      )}
    </p>
  );
}

/**
 * The moderator's agenda: steps with minutes and an optional scenario. "Start" marks the step
 * running (the one before it done), starts the shared timer at its minutes and presents its
 * scenario; each write is checked by the server (the agenda and the focus are the moderator's,
 * the timer a moderator-only event).
 */
export function AgendaPanel() {
  const refusalText = useRefusalText();
  const { session, tab, selectScenario } = useBoardContext();
  const board = useSharedBoard();
  const t = useTranslations('agenda');
  const agenda = useDocValue(session.doc, readAgenda);
  const { focus } = useWorkshopDoc(session.doc);
  const [title, setTitle] = useState('');
  const [minutes, setMinutes] = useState('10');
  const [scenario, setScenario] = useState('');
  const [error, setError] = useState<string | null>(null);
  const { steps, currentId } = agenda;
  const nameOf = (id: string | null) => board.scenarios.find((s) => s.id === id)?.name;

  function add(e: FormEvent) {
    e.preventDefault();
    const m = Number(minutes);
    if (!title.trim()) return setError(t('titleMissing'));
    if (!Number.isInteger(m) || m < 1 || m > AGENDA_MINUTES_MAX)
      return setError(t('minutesInvalid', { max: AGENDA_MINUTES_MAX }));
    if (steps.length >= AGENDA_STEPS_MAX) return setError(t('tooMany', { max: AGENDA_STEPS_MAX }));
    setAgendaSteps(session.doc, [
      ...steps,
      {
        id: newStepId(),
        title: title.trim().slice(0, AGENDA_TITLE_MAX),
        minutes: m,
        scenarioId: scenario || null,
        done: false,
      },
    ]);
    setTitle('');
    setError(null);
  }

  function start(step: AgendaStep) {
    startAgendaStep(session.doc, step.id);
    void session
      .startTimer(step.minutes * 60_000)
      .then((r) => setError(r.ok ? null : refusalText(r)));
    if (step.scenarioId && nameOf(step.scenarioId) !== undefined) {
      selectScenario(step.scenarioId);
      setPresenterFocus(session.doc, {
        scenarioId: step.scenarioId,
        tab,
        assumptionId: null,
        recall: focus?.recall ?? 0,
      });
    }
  }

  const update = (id: string, patch: Partial<AgendaStep>) =>
    setAgendaSteps(
      session.doc,
      steps.map((s) => (s.id === id ? { ...s, ...patch } : s)),
    );

  return (
    <section
      data-testid="agenda-panel"
      aria-label={t('heading')}
      className="rounded-2xl border border-line bg-surface p-4 shadow-sm"
    >
      <h2 className="text-sm font-semibold">{t('heading')}</h2>
      {steps.length === 0 && <p className="mt-1 text-sm text-muted">{t('empty')}</p>}
      <ol className="mt-2 flex flex-col gap-1.5">
        {steps.map((step, i) => {
          const running = step.id === currentId;
          return (
            <li
              key={step.id}
              data-testid="agenda-step"
              data-state={running ? 'running' : step.done ? 'done' : 'todo'}
              className={`flex items-center gap-2 rounded-lg border px-2.5 py-1.5 text-sm ${running ? 'border-accent bg-accent-soft' : 'border-line'}`}
            >
              <input
                type="checkbox"
                aria-label={t('done', { title: step.title })}
                data-testid="agenda-done"
                checked={step.done}
                onChange={(e) =>
                  running && e.target.checked
                    ? startAgendaStep(session.doc, null)
                    : update(step.id, { done: e.target.checked })
                }
                className="size-4 shrink-0 accent-accent"
              />
              <div className="min-w-0 flex-1">
                <p className={`truncate ${step.done ? 'text-muted line-through' : 'font-medium'}`}>
                  {i + 1}. {step.title}
                </p>
                <p className="truncate text-xs text-muted">
                  {step.scenarioId && nameOf(step.scenarioId)
                    ? t('minutesPresents', {
                        minutes: step.minutes,
                        scenario: nameOf(step.scenarioId)!,
                      })
                    : t('minutes', { minutes: step.minutes })}
                </p>
              </div>
              {running ? (
                <span className="shrink-0 text-xs font-semibold text-accent">{t('running')}</span>
              ) : (
                <button
                  type="button"
                  data-testid="agenda-start"
                  onClick={() => start(step)}
                  className="h-8 shrink-0 rounded-lg bg-accent px-2.5 text-xs font-medium text-white hover:bg-accent/90"
                >
                  {t('start')}
                </button>
              )}
              <button
                type="button"
                aria-label={t('remove', { title: step.title })}
                title={t('removeTitle')}
                onClick={() =>
                  setAgendaSteps(
                    session.doc,
                    steps.filter((s) => s.id !== step.id),
                  )
                }
                className="h-8 shrink-0 rounded-lg px-1.5 text-muted hover:bg-canvas hover:text-ink"
              >
                ✕
              </button>
            </li>
          );
        })}
      </ol>
      <form onSubmit={add} className="mt-3 flex flex-col gap-2 border-t border-line pt-3">
        <div className="flex gap-2">
          <input
            aria-label={t('minutesLabel')}
            data-testid="agenda-minutes"
            inputMode="numeric"
            value={minutes}
            onChange={(e) => setMinutes(e.target.value)}
            className="h-9 w-14 shrink-0 rounded-lg border border-line bg-surface px-2 text-sm tabular-nums"
          />
          <input
            aria-label={t('stepTitle')}
            data-testid="agenda-title"
            placeholder={t('stepPlaceholder')}
            maxLength={AGENDA_TITLE_MAX}
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            className="h-9 min-w-0 flex-1 rounded-lg border border-line bg-surface px-3 text-sm"
          />
        </div>
        <div className="flex gap-2">
          <select
            aria-label={t('scenarioLabel')}
            data-testid="agenda-scenario"
            value={scenario}
            onChange={(e) => setScenario(e.target.value)}
            className="min-h-9 min-w-0 flex-1 rounded-lg border border-line bg-surface px-2 py-1 text-sm"
          >
            <option value="">{t('noScenario')}</option>
            {board.scenarios.map((s) => (
              <option key={s.id} value={s.id}>
                {t('present', { name: s.name })}
              </option>
            ))}
          </select>
          <button
            type="submit"
            data-testid="agenda-add"
            className="h-9 shrink-0 rounded-lg border border-line px-3 text-sm font-medium hover:bg-canvas"
          >
            {t('add')}
          </button>
        </div>
        {error && (
          <p role="alert" className="text-xs text-danger">
            {error}
          </p>
        )}
      </form>
    </section>
  );
}
