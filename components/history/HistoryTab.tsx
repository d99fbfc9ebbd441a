'use client';

import { useEffect, useMemo, useState } from 'react';
import { useLocale, useTranslations } from 'next-intl';
import { directionOf, isLocale } from '@/lib/i18n/locales';
import { Line, ReferenceDot } from 'recharts';
import { ChartFrame } from '@/components/charts/ChartFrame';
import { readLog, type LogEntry } from '@/lib/board/decisionLog';
import {
  ASSUMPTIONS,
  ASSUMPTION_IDS,
  TARGET_YEAR,
  isAssumptionId,
  type AssumptionId,
  type Assumptions,
} from '@/lib/model';
import { formatUsd } from '@/lib/format';
import { CHART_MUTED } from '@/lib/client/chartTheme';
import { replaySteps, useDocValue } from '@/lib/client/history';
import { useBoardContext, useSharedBoard } from '@/components/board/BoardContext';
import { Avatar } from '@/components/ui/Avatar';
import { useAssumptionText } from '@/components/board/useAssumptionText';
import { useTimeWords } from './useTimeWords';
import { CommentThreads } from './CommentThreads';
import { VersionsPanel } from './VersionsPanel';
import { DecisionPanel, DecisionTime } from './Decision';
import { RevertButton } from './Activity';
import { useBoardEvents } from './boardEvents';
import { revertedIds } from '@/lib/board/activity';
import { Card } from './Card';
import { ScenarioSwatch } from '@/components/ui/ScenarioSwatch';

/** The History tab: versions, the decision log with replay, and comments on the scenario shown. */
export function HistoryTab() {
  const { scenarioId } = useBoardContext();
  const board = useSharedBoard();
  const t = useTranslations('history');
  const scenario = board.scenarios.find((s) => s.id === scenarioId);
  return (
    <div className="flex flex-col gap-5" data-testid="history-tab">
      <DecisionPanel />
      <VersionsPanel />
      <DecisionLog />
      <Replay />
      {scenario && (
        <Card title={t('commentsOn', { name: scenario.name })} testId="scenario-comments">
          <CommentThreads target={{ kind: 'scenario', id: scenario.id }} label={scenario.name} />
        </Card>
      )}
    </div>
  );
}

type Words = { t: ReturnType<typeof useTranslations<'history'>> } & ReturnType<
  typeof useAssumptionText
>;

/** "Conversion rate in Bold: 1.3% → 5%", in the page's language. */
function describe(
  entry: LogEntry,
  names: Map<string, string>,
  { t, label, value }: Words,
): { what: string; from: string; to: string; scenario: string } {
  const id = isAssumptionId(entry.assumptionId) ? entry.assumptionId : null;
  const fmt = (v: number | null) => (v === null ? '—' : id ? value(ASSUMPTIONS[id], v) : String(v));
  return {
    what: id ? label(id) : entry.assumptionId,
    from: fmt(entry.from),
    to: fmt(entry.to),
    scenario: names.get(entry.scenarioId) ?? t('deletedScenario'),
  };
}

const PAGE = 30;

function DecisionLog() {
  const { session, role } = useBoardContext();
  const board = useSharedBoard();
  const t = useTranslations('history');
  const text = useAssumptionText();
  const words = { t, ...text };
  // "from → to" points the way the page reads.
  const locale = useLocale();
  const arrow = isLocale(locale) && directionOf(locale) === 'rtl' ? '←' : '→';
  const log = useDocValue(session.doc, readLog);
  const isModerator = role === 'moderator';
  const reverted = useMemo(() => revertedIds(log), [log]);
  // Only the latest change of each value can be reverted without writing over a newer one.
  const latest = useMemo(() => {
    const out = new Map<string, string>();
    for (const e of log) out.set(`${e.scenarioId}|${e.assumptionId}`, e.id);
    return new Set(out.values());
  }, [log]);
  const events = useBoardEvents();
  const [assumption, setAssumption] = useState<AssumptionId | ''>('');
  const [scenarioFilter, setScenarioFilter] = useState('');
  const [limit, setLimit] = useState(PAGE);
  const names = useMemo(
    () => new Map(board.scenarios.map((s) => [s.id, s.name])),
    [board.scenarios],
  );
  const colors = useMemo(
    () => new Map(board.scenarios.map((s) => [s.id, s.color])),
    [board.scenarios],
  );
  const shown = log
    .filter(
      (e) =>
        (!assumption || e.assumptionId === assumption) &&
        (!scenarioFilter || e.scenarioId === scenarioFilter),
    )
    .reverse();
  const used = new Set(log.map((e) => e.assumptionId));

  return (
    <Card
      title={t('log')}
      testId="decision-log"
      actions={
        <div className="flex flex-wrap gap-2">
          <select
            value={scenarioFilter}
            onChange={(e) => setScenarioFilter(e.target.value)}
            aria-label={t('filterScenario')}
            className="min-h-8 rounded-lg border border-line bg-surface px-2 py-1 text-sm"
          >
            <option value="">{t('allScenarios')}</option>
            {board.scenarios.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
          <select
            value={assumption}
            onChange={(e) => setAssumption(e.target.value as AssumptionId | '')}
            aria-label={t('filterAssumption')}
            data-testid="log-filter"
            className="min-h-8 max-w-[14rem] rounded-lg border border-line bg-surface px-2 py-1 text-sm"
          >
            <option value="">{t('allAssumptions')}</option>
            {ASSUMPTION_IDS.filter((id) => used.has(id)).map((id) => (
              <option key={id} value={id}>
                {text.label(id)}
              </option>
            ))}
          </select>
        </div>
      }
    >
      {!assumption && !scenarioFilter && events.length > 0 && (
        <ol
          className="mb-3 flex flex-col gap-1 border-b border-line pb-3"
          aria-label={t('events')}
          data-testid="board-events"
        >
          {events.map((ev) => (
            <li key={ev.key} className="flex items-start gap-2 text-sm" data-testid="board-event">
              <span className="mt-0.5 w-16 shrink-0 text-xs font-semibold tracking-wide text-muted uppercase">
                {t(`eventKind.${ev.kind}`)}
              </span>
              <span className="min-w-0 flex-1">
                <span className="break-words">{ev.text}</span>{' '}
                <span className="text-muted tabular-nums">
                  · <DecisionTime at={ev.at} />
                </span>
              </span>
            </li>
          ))}
        </ol>
      )}
      {shown.length === 0 ? (
        <p className="text-sm text-muted">{log.length === 0 ? t('logEmpty') : t('noMatch')}</p>
      ) : (
        <ol
          className="relative flex flex-col gap-0.5 before:absolute before:top-2 before:bottom-2 before:start-[9px] before:w-px before:bg-line"
          aria-label={t('changes')}
        >
          {shown.slice(0, limit).map((e) => {
            const d = describe(e, names, words);
            return (
              <li
                key={e.id}
                className="relative flex items-start gap-3 py-1.5"
                data-testid="log-entry"
              >
                <Avatar name={e.by.name} color={e.by.color} size="xs" className="mt-0.5" />
                <div className="min-w-0 flex-1 text-sm">
                  <p className="leading-snug">
                    {t.rich(e.revertOf ? 'logReverted' : 'logChanged', {
                      name: e.by.name,
                      what: d.what,
                      scenario: d.scenario,
                      who: (c) => <span className="font-semibold">{c}</span>,
                      value: (c) => <span className="font-medium">{c}</span>,
                      muted: (c) => <span className="text-muted">{c}</span>,
                      place: (c) => (
                        <span className="inline-flex items-center gap-1">
                          <ScenarioSwatch
                            color={colors.get(e.scenarioId) ?? CHART_MUTED}
                            size="sm"
                          />
                          {c}
                        </span>
                      ),
                    })}
                  </p>
                  <p className="text-muted tabular-nums">
                    {d.from} {arrow} <span className="font-semibold text-ink">{d.to}</span> ·{' '}
                    <DecisionTime at={e.at} />
                    {reverted.has(e.id) && <span className="ms-1 text-xs">{t('reverted')}</span>}
                  </p>
                  {isModerator &&
                    e.from !== null &&
                    !reverted.has(e.id) &&
                    latest.has(e.id) &&
                    names.has(e.scenarioId) && (
                      <div className="mt-1">
                        <RevertButton entry={e} />
                      </div>
                    )}
                </div>
              </li>
            );
          })}
        </ol>
      )}
      {shown.length > limit && (
        <button
          type="button"
          onClick={() => setLimit((l) => l + PAGE)}
          className="mt-2 text-sm font-medium text-accent hover:underline"
        >
          {t('showMore', { count: Math.min(PAGE, shown.length - limit) })}
        </button>
      )}
    </Card>
  );
}

/** A scenario's logged changes and the board after each (memoized: each step is a projection). */
function useReplaySteps(
  log: readonly LogEntry[],
  scenarioId: string,
  values: Assumptions | undefined,
) {
  const entries = useMemo(() => log.filter((e) => e.scenarioId === scenarioId), [log, scenarioId]);
  const steps = useMemo(() => (values ? replaySteps(values, entries) : []), [values, entries]);
  return { entries, steps };
}

function Replay() {
  const { session, scenarioId } = useBoardContext();
  const board = useSharedBoard();
  const t = useTranslations('history');
  const log = useDocValue(session.doc, readLog);
  const scenario = board.scenarios.find((s) => s.id === scenarioId);
  const { entries, steps } = useReplaySteps(log, scenarioId, scenario?.values);
  const scenarioName = scenario?.name ?? '';
  const last = steps.length - 1;
  const [position, setPosition] = useState<number | null>(null);
  const [playing, setPlaying] = useState(false);
  const index = Math.min(position ?? last, last);
  const step = steps[index];

  useEffect(() => {
    if (!playing || index >= last) return;
    const timer = window.setTimeout(() => {
      setPosition(index + 1);
      if (index + 1 >= last) setPlaying(false);
    }, 900);
    return () => window.clearTimeout(timer);
  }, [playing, index, last]);

  if (!scenario || !step) return null;
  const names = new Map(board.scenarios.map((s) => [s.id, s.name]));
  const data = steps.map((s, i) => ({
    step: i,
    total: s.total2028 === null ? null : s.total2028 / 1e9,
  }));
  const current = data[index];

  return (
    <Card title={t('replay', { name: scenarioName })} testId="replay">
      {entries.length === 0 ? (
        <p className="text-sm text-muted">{t('replayEmpty', { name: scenarioName })}</p>
      ) : (
        <div className="flex flex-col gap-3">
          <div className="flex flex-wrap items-center gap-2">
            <div
              className="flex items-center rounded-lg border border-line"
              role="group"
              aria-label={t('replayControls')}
            >
              <button
                type="button"
                onClick={() => {
                  setPlaying(false);
                  setPosition(Math.max(0, index - 1));
                }}
                disabled={index === 0}
                data-testid="replay-prev"
                className="h-8 rounded-s-lg px-2.5 text-sm hover:bg-canvas disabled:opacity-40"
                aria-label={t('prevStep')}
              >
                {t('prev')}
              </button>
              <button
                type="button"
                onClick={() => {
                  if (!playing && index >= last) setPosition(0);
                  setPlaying((p) => !p);
                }}
                data-testid="replay-play"
                className="h-8 border-x border-line px-2.5 text-sm hover:bg-canvas"
              >
                {playing ? t('pause') : index >= last ? t('playFromStart') : t('play')}
              </button>
              <button
                type="button"
                onClick={() => {
                  setPlaying(false);
                  setPosition(Math.min(last, index + 1));
                }}
                disabled={index >= last}
                data-testid="replay-next"
                className="h-8 rounded-e-lg px-2.5 text-sm hover:bg-canvas disabled:opacity-40"
                aria-label={t('nextStep')}
              >
                {t('next')}
              </button>
            </div>
            <span className="text-sm text-muted tabular-nums" data-testid="replay-position">
              {t('stepOf', { n: index, count: last })}
            </span>
            <span className="flex-1" />
            <span className="text-sm">
              {t('total', { year: TARGET_YEAR })}{' '}
              <strong className="tabular-nums" data-testid="replay-total">
                {step.total2028 === null ? '—' : formatUsd(step.total2028)}
              </strong>
            </span>
          </div>
          <p
            className="min-h-10 rounded-lg bg-canvas px-3 py-2 text-sm"
            aria-live="polite"
            data-testid="replay-step"
          >
            {step.entry ? <ReplayStep entry={step.entry} names={names} /> : <>{t('beforeFirst')}</>}
          </p>
          <ChartFrame
            data={data}
            className="h-32 w-full"
            margin={{ top: 8, right: 12, bottom: 0, left: 0 }}
            fontSize={11}
            x={{ dataKey: 'step', allowDecimals: false }}
            y={{ format: 'billions1', width: 52, domain: ['auto', 'auto'] }}
          >
            <Line
              type="linear"
              dataKey="total"
              stroke={scenario.color}
              strokeWidth={2}
              dot={{ r: 2.5 }}
              isAnimationActive={false}
            />
            {current && current.total !== null && (
              <ReferenceDot
                x={current.step}
                y={current.total}
                r={6}
                fill={scenario.color}
                stroke="#fff"
                strokeWidth={2}
              />
            )}
          </ChartFrame>
        </div>
      )}
    </Card>
  );
}

/** One replayed change in words: "Bilal set Conversion rate from 1.3% to 5% · 3 min ago". */
function ReplayStep({ entry, names }: { entry: LogEntry; names: Map<string, string> }) {
  const t = useTranslations('history');
  const text = useAssumptionText();
  const time = useTimeWords();
  const d = describe(entry, names, { t, ...text });
  return (
    <>
      {t.rich('replaySet', {
        name: entry.by.name,
        what: d.what,
        from: d.from,
        to: d.to,
        who: (c) => <span className="font-semibold">{c}</span>,
        strong: (c) => <strong>{c}</strong>,
      })}{' '}
      <span className="text-muted">· {time.short(entry.at)}</span>
    </>
  );
}
