'use client';

import { useEffect, useMemo, useState } from 'react';
import { Line, ReferenceDot } from 'recharts';
import { ChartFrame } from '@/components/charts/ChartFrame';
import { readLog, type LogEntry } from '@/lib/board/decisionLog';
import {
  ASSUMPTIONS,
  ASSUMPTION_IDS,
  TARGET_YEAR,
  isAssumptionId,
  type AssumptionId,
} from '@/lib/model';
import { formatUsd, formatValue } from '@/lib/format';
import { CHART_MUTED } from '@/lib/client/chartTheme';
import { relativeTime, replaySteps, useDocValue } from '@/lib/client/history';
import { useBoardContext } from '@/components/board/BoardContext';
import { Avatar } from '@/components/ui/Avatar';
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
  const { board, scenarioId } = useBoardContext();
  const scenario = board.scenarios.find((s) => s.id === scenarioId);
  return (
    <div className="flex flex-col gap-5" data-testid="history-tab">
      <DecisionPanel />
      <VersionsPanel />
      <DecisionLog />
      <Replay />
      {scenario && (
        <Card title={`Comments on ${scenario.name}`} testId="scenario-comments">
          <CommentThreads target={{ kind: 'scenario', id: scenario.id }} label={scenario.name} />
        </Card>
      )}
    </div>
  );
}

/** "Conversion rate in Bold: 1.3% → 5%" */
function describe(
  entry: LogEntry,
  names: Map<string, string>,
): { what: string; from: string; to: string; scenario: string } {
  const spec = isAssumptionId(entry.assumptionId) ? ASSUMPTIONS[entry.assumptionId] : null;
  const fmt = (v: number | null) => (v === null ? '—' : spec ? formatValue(spec, v) : String(v));
  return {
    what: spec?.label ?? entry.assumptionId,
    from: fmt(entry.from),
    to: fmt(entry.to),
    scenario: names.get(entry.scenarioId) ?? 'a deleted scenario',
  };
}

const PAGE = 30;

function DecisionLog() {
  const { session, board, role } = useBoardContext();
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
      title="Decision log"
      testId="decision-log"
      actions={
        <div className="flex flex-wrap gap-2">
          <select
            value={scenarioFilter}
            onChange={(e) => setScenarioFilter(e.target.value)}
            aria-label="Filter by scenario"
            className="h-8 rounded-lg border border-line bg-surface px-2 text-sm"
          >
            <option value="">All scenarios</option>
            {board.scenarios.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
          <select
            value={assumption}
            onChange={(e) => setAssumption(e.target.value as AssumptionId | '')}
            aria-label="Filter by assumption"
            data-testid="log-filter"
            className="h-8 max-w-[14rem] rounded-lg border border-line bg-surface px-2 text-sm"
          >
            <option value="">All assumptions</option>
            {ASSUMPTION_IDS.filter((id) => used.has(id)).map((id) => (
              <option key={id} value={id}>
                {ASSUMPTIONS[id].label}
              </option>
            ))}
          </select>
        </div>
      }
    >
      {!assumption && !scenarioFilter && events.length > 0 && (
        <ol
          className="mb-3 flex flex-col gap-1 border-b border-line pb-3"
          aria-label="Board events, newest first"
          data-testid="board-events"
        >
          {events.map((ev) => (
            <li key={ev.key} className="flex items-start gap-2 text-sm" data-testid="board-event">
              <span className="mt-0.5 w-16 shrink-0 text-xs font-semibold tracking-wide text-muted uppercase">
                {ev.kind}
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
        <p className="text-sm text-muted">
          {log.length === 0
            ? 'No decisions yet. Every change to an assumption is recorded here: who, what, from and to.'
            : 'No changes match the filter.'}
        </p>
      ) : (
        <ol
          className="relative flex flex-col gap-0.5 before:absolute before:top-2 before:bottom-2 before:left-[9px] before:w-px before:bg-line"
          aria-label="Changes, newest first"
        >
          {shown.slice(0, limit).map((e) => {
            const d = describe(e, names);
            return (
              <li
                key={e.id}
                className="relative flex items-start gap-3 py-1.5"
                data-testid="log-entry"
              >
                <Avatar name={e.by.name} color={e.by.color} size="xs" className="mt-0.5" />
                <div className="min-w-0 flex-1 text-sm">
                  <p className="leading-snug">
                    <span className="font-semibold">{e.by.name}</span>{' '}
                    {e.revertOf ? 'reverted a change to' : 'changed'}{' '}
                    <span className="font-medium">{d.what}</span>{' '}
                    <span className="text-muted">in</span>{' '}
                    <span className="inline-flex items-center gap-1">
                      <ScenarioSwatch color={colors.get(e.scenarioId) ?? CHART_MUTED} size="sm" />
                      {d.scenario}
                    </span>
                  </p>
                  <p className="text-muted tabular-nums">
                    {d.from} → <span className="font-semibold text-ink">{d.to}</span> ·{' '}
                    <DecisionTime at={e.at} />
                    {reverted.has(e.id) && <span className="ml-1 text-xs">(reverted)</span>}
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
          Show {Math.min(PAGE, shown.length - limit)} more
        </button>
      )}
    </Card>
  );
}

function Replay() {
  const { session, board, scenarioId } = useBoardContext();
  const log = useDocValue(session.doc, readLog);
  const scenario = board.scenarios.find((s) => s.id === scenarioId);
  const entries = useMemo(() => log.filter((e) => e.scenarioId === scenarioId), [log, scenarioId]);
  const values = scenario?.values;
  const steps = useMemo(() => (values ? replaySteps(values, entries) : []), [values, entries]);
  const last = steps.length - 1;
  const [position, setPosition] = useState<number | null>(null);
  const [playing, setPlaying] = useState(false);
  const index = Math.min(position ?? last, last);
  const step = steps[index];

  useEffect(() => {
    if (!playing || index >= last) return;
    const t = window.setTimeout(() => {
      setPosition(index + 1);
      if (index + 1 >= last) setPlaying(false);
    }, 900);
    return () => window.clearTimeout(t);
  }, [playing, index, last]);

  if (!scenario || !step) return null;
  const names = new Map(board.scenarios.map((s) => [s.id, s.name]));
  const data = steps.map((s, i) => ({
    step: i,
    total: s.total2028 === null ? null : s.total2028 / 1e9,
  }));
  const current = data[index];

  return (
    <Card title={`Replay · ${scenario.name}`} testId="replay">
      {entries.length === 0 ? (
        <p className="text-sm text-muted">No recorded changes to {scenario.name} yet.</p>
      ) : (
        <div className="flex flex-col gap-3">
          <div className="flex flex-wrap items-center gap-2">
            <div
              className="flex items-center rounded-lg border border-line"
              role="group"
              aria-label="Replay controls"
            >
              <button
                type="button"
                onClick={() => {
                  setPlaying(false);
                  setPosition(Math.max(0, index - 1));
                }}
                disabled={index === 0}
                data-testid="replay-prev"
                className="h-8 rounded-l-lg px-2.5 text-sm hover:bg-canvas disabled:opacity-40"
                aria-label="Previous step"
              >
                ‹ Prev
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
                {playing ? 'Pause' : index >= last ? 'Play from start' : 'Play'}
              </button>
              <button
                type="button"
                onClick={() => {
                  setPlaying(false);
                  setPosition(Math.min(last, index + 1));
                }}
                disabled={index >= last}
                data-testid="replay-next"
                className="h-8 rounded-r-lg px-2.5 text-sm hover:bg-canvas disabled:opacity-40"
                aria-label="Next step"
              >
                Next ›
              </button>
            </div>
            <span className="text-sm text-muted tabular-nums" data-testid="replay-position">
              Step {index} of {last}
            </span>
            <span className="flex-1" />
            <span className="text-sm">
              {TARGET_YEAR} total:{' '}
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
            {step.entry ? (
              (() => {
                const d = describe(step.entry, names);
                return (
                  <>
                    <span className="font-semibold">{step.entry.by.name}</span> set {d.what} from{' '}
                    {d.from} to <strong>{d.to}</strong>{' '}
                    <span className="text-muted">· {relativeTime(step.entry.at)}</span>
                  </>
                );
              })()
            ) : (
              <>Before the first recorded change.</>
            )}
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
