'use client';

import { useId, useMemo, useState } from 'react';
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceDot,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from 'recharts';
import {
  ASSUMPTIONS,
  HEADLINE_LEVERS,
  TARGETS,
  TARGET_YEAR,
  frontier,
  goalSeek,
  type AssumptionId,
  type Assumptions,
  type FrontierPoint,
} from '@/lib/model';
import { formatCompact, formatUsd, formatValue } from '@/lib/format';
import { targetAmount } from '@/lib/client/targets';
import { CHART_INK, CHART_LINE, CHART_MUTED } from '@/lib/client/chartTheme';
import { GOAL_SEEK_LEVERS, targetValue, type TargetChoice } from '@/lib/client/analysis';
import { SELECT_CLASS, Section, YearSelect } from './ui';
import { useActuals } from './hooks';

/**
 * Goal seek: the value of one lever that reaches a target in a year, with one click to apply it as
 * a normal shared edit; and the two-lever frontier (training × conversion) for the same target.
 */
export function GoalSeekSection({
  values,
  onApply,
  applyBlock,
  assumptionIds,
}: {
  values: Assumptions;
  /** The board's model version's assumptions (a v1 board has no programme to seek). */
  assumptionIds: readonly AssumptionId[];
  /** Writes the value as a shared edit. */
  onApply: (id: AssumptionId, value: number) => void;
  /** Why this lever cannot be applied here (read-only, locked), or null. */
  applyBlock: (id: AssumptionId) => string | null;
}) {
  const ids = { target: useId(), custom: useId(), lever: useId() };
  const actuals = useActuals();
  const [choice, setChoice] = useState<TargetChoice>('t10');
  const [custom, setCustom] = useState('12');
  const [year, setYear] = useState(TARGET_YEAR);
  const [lever, setLever] = useState<AssumptionId>('conversionRate');
  const target = targetValue(choice, custom);
  const result = useMemo(
    () => (target === null ? null : goalSeek(values, { lever, target, year, actuals })),
    [values, lever, target, year, actuals],
  );
  const spec = ASSUMPTIONS[lever];
  const block = applyBlock(lever);
  const policy = TARGETS.find((t) => t.id === choice);
  const targetText = target === null ? '—' : policy ? targetAmount(policy) : formatUsd(target);

  let resultText: string;
  let tone: 'good' | 'bad' | 'neutral' = 'neutral';
  if (target === null) resultText = 'Enter a target in billions of dollars, e.g. 12.';
  else if (!result) resultText = '';
  else if (result.status === 'already-met') {
    resultText = `Already met: ${formatUsd(result.total)} in ${year} with ${spec.label.toLowerCase()} at ${formatValue(spec, result.value)}.`;
    tone = 'good';
  } else if (result.status === 'reached') {
    resultText = `${spec.label} of ${formatValue(spec, result.value)} reaches ${targetText} in ${year} (${formatUsd(result.total)}), from ${formatValue(spec, values[lever])} now.`;
    tone = 'good';
  } else {
    resultText = `Not reachable within the range of ${spec.label} (${formatValue(spec, spec.min)}–${formatValue(spec, spec.max)}): best is ${formatUsd(result.bestTotal)} at ${formatValue(spec, result.bestValue)}.`;
    tone = 'bad';
  }
  const applicable = result?.status === 'reached' && result.value !== values[lever];

  return (
    <Section
      title="Goal seek"
      description="What would it take? The value of one lever that reaches a target, everything else as set."
      testId="goal-seek"
    >
      <div className="grid grid-cols-1 gap-3 @lg:grid-cols-3">
        <div className="flex min-w-0 flex-col gap-1 text-sm">
          <label htmlFor={ids.target} className="text-muted">
            Target
          </label>
          <div className="flex gap-2">
            <select
              id={ids.target}
              value={choice}
              onChange={(e) => setChoice(e.target.value as TargetChoice)}
              className={`${SELECT_CLASS} w-full min-w-0 flex-1`}
              data-testid="goal-seek-target"
            >
              {TARGETS.map((t) => (
                <option key={t.id} value={t.id}>
                  {targetAmount(t)}
                </option>
              ))}
              <option value="custom">Custom…</option>
            </select>
            {choice === 'custom' && (
              <span className="flex items-center gap-1">
                <label htmlFor={ids.custom} className="sr-only">
                  Custom target in billions of US dollars
                </label>
                <span aria-hidden="true">$</span>
                <input
                  id={ids.custom}
                  value={custom}
                  inputMode="decimal"
                  onChange={(e) => setCustom(e.target.value)}
                  className="h-9 w-16 rounded-lg border border-line px-2 tabular-nums"
                  data-testid="goal-seek-custom"
                />
                <span aria-hidden="true">B</span>
              </span>
            )}
          </div>
        </div>
        <div>
          <YearSelect
            value={year}
            onChange={setYear}
            label="In year"
            testId="goal-seek-year"
            stacked
          />
        </div>
        <div className="flex min-w-0 flex-col gap-1 text-sm">
          <label htmlFor={ids.lever} className="text-muted">
            Lever to move
          </label>
          <select
            id={ids.lever}
            value={lever}
            onChange={(e) => setLever(e.target.value as AssumptionId)}
            className={`${SELECT_CLASS} w-full min-w-0`}
            data-testid="goal-seek-lever"
          >
            <optgroup label="Headline levers">
              {HEADLINE_LEVERS.map((id) => (
                <option key={id} value={id}>
                  {ASSUMPTIONS[id].label}
                </option>
              ))}
            </optgroup>
            <optgroup label="Other assumptions">
              {GOAL_SEEK_LEVERS.filter(
                (id) => !HEADLINE_LEVERS.includes(id) && assumptionIds.includes(id),
              ).map((id) => (
                <option key={id} value={id}>
                  {ASSUMPTIONS[id].label}
                </option>
              ))}
            </optgroup>
          </select>
        </div>
      </div>

      <div
        className={`flex flex-col gap-3 rounded-xl px-4 py-3 @lg:flex-row @lg:items-center @lg:justify-between ${
          tone === 'good' ? 'bg-emerald-50' : tone === 'bad' ? 'bg-danger/5' : 'bg-canvas'
        }`}
      >
        <p
          className={`text-base ${tone === 'bad' ? 'text-danger' : 'text-ink'}`}
          role="status"
          data-testid="goal-seek-result"
          data-status={result?.status ?? 'none'}
          data-value={result?.status === 'reached' ? String(result.value) : ''}
        >
          {result?.status === 'reached' && (
            <span className="mr-2 text-2xl font-semibold tabular-nums">
              {formatValue(spec, result.value)}
            </span>
          )}
          {resultText}
        </p>
        {result?.status === 'reached' && (
          <div className="flex shrink-0 flex-col items-start gap-1 @lg:items-end">
            <button
              type="button"
              data-testid="goal-seek-apply"
              disabled={!applicable || block !== null}
              onClick={() => onApply(lever, result.value)}
              className="h-10 rounded-lg bg-accent px-5 text-sm font-medium text-white shadow-sm hover:bg-accent/90 disabled:cursor-not-allowed disabled:opacity-50"
            >
              Apply {formatValue(spec, result.value)}
            </button>
            {block && <span className="text-xs text-muted">{block}</span>}
          </div>
        )}
      </div>

      {target !== null && (
        <Frontier values={values} target={target} targetText={targetText} year={year} />
      )}
    </Section>
  );
}

interface FrontierRow {
  a: number;
  b: number | null;
  total: number | null;
}

/** The least conversion rate that reaches the target, for each level of training. */
function Frontier({
  values,
  target,
  targetText,
  year,
}: {
  values: Assumptions;
  target: number;
  targetText: string;
  year: number;
}) {
  const summaryId = useId();
  const actuals = useActuals();
  const result = useMemo(
    () =>
      frontier(values, {
        leverA: 'trainingOutput',
        leverB: 'conversionRate',
        target,
        year,
        points: 25,
        actuals,
      }),
    [values, target, year, actuals],
  );
  const rows: FrontierRow[] = result.points.map((p: FrontierPoint) => ({
    a: p.a,
    b: p.b,
    total: p.total,
  }));
  const reachable = rows.filter((r) => r.b !== null);
  const first = reachable[0];
  const last = reachable[reachable.length - 1];
  const cSpec = ASSUMPTIONS.conversionRate;
  const tSpec = ASSUMPTIONS.trainingOutput;
  const summary =
    first && last
      ? `To reach ${targetText} in ${year}: with ${formatValue(tSpec, first.a)} trained it takes a conversion rate of at least ${formatValue(
          cSpec,
          first.b ?? 0,
        )}; with ${formatValue(tSpec, last.a)} at least ${formatValue(cSpec, last.b ?? 0)}. This scenario: ${formatValue(
          tSpec,
          values.trainingOutput,
        )} and ${formatValue(cSpec, values.conversionRate)}.`
      : `No combination of training and conversion within their ranges reaches ${targetText} in ${year}.`;
  const maxB = Math.max(values.conversionRate, ...reachable.map((r) => r.b ?? 0));
  const yStep = maxB <= 8 ? 2 : maxB <= 20 ? 5 : 10;
  const yTop = Math.max(yStep, Math.ceil((maxB * 1.05) / yStep) * yStep);
  const yTicks = Array.from({ length: yTop / yStep + 1 }, (_, i) => i * yStep);

  return (
    <figure
      className="flex flex-col gap-2 border-t border-line pt-4"
      data-testid="analysis-frontier"
      data-points={reachable.length}
      aria-describedby={summaryId}
    >
      <h3 className="text-sm font-semibold">
        Two levers together: training × conversion for {targetText} in {year}
      </h3>
      <p id={summaryId} className="text-sm text-muted">
        {summary}
      </p>
      <div className="h-52 w-full" aria-hidden="true">
        <LineChart
          responsive
          style={{ width: '100%', height: '100%' }}
          data={rows}
          margin={{ top: 8, right: 16, bottom: 4, left: 0 }}
          accessibilityLayer={false}
        >
          <CartesianGrid stroke={CHART_LINE} strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="a"
            type="number"
            domain={[tSpec.min, tSpec.max]}
            tickFormatter={(v: number) => formatCompact(v)}
            tick={{ fill: CHART_MUTED, fontSize: 12 }}
            tickLine={false}
            axisLine={{ stroke: CHART_LINE }}
            label={{
              value: 'trained per year',
              position: 'insideBottomRight',
              offset: -2,
              fill: CHART_MUTED,
              fontSize: 12,
            }}
            height={36}
          />
          <YAxis
            domain={[0, yTop]}
            ticks={yTicks}
            tickFormatter={(v: number) => `${v}%`}
            tick={{ fill: CHART_MUTED, fontSize: 12 }}
            tickLine={false}
            axisLine={false}
            width={44}
          />
          <Tooltip
            content={FrontierTooltip}
            cursor={{ stroke: CHART_MUTED, strokeDasharray: '3 3' }}
          />
          <Line
            type="monotone"
            dataKey="b"
            stroke="#009e73"
            strokeWidth={2.5}
            dot={false}
            connectNulls={false}
            isAnimationActive={false}
          />
          <ReferenceDot
            x={Math.min(tSpec.max, values.trainingOutput)}
            y={values.conversionRate}
            r={5}
            fill={CHART_INK}
            stroke="#fff"
            strokeWidth={2}
            ifOverflow="extendDomain"
            label={{ value: 'now', position: 'top', fill: CHART_INK, fontSize: 12 }}
          />
        </LineChart>
      </div>
      <figcaption className="text-xs text-muted">
        Line: the least conversion rate that reaches the target at each training level (above it:
        reached). Dot: this scenario.
      </figcaption>
    </figure>
  );
}

function FrontierTooltip({ active, payload }: TooltipContentProps) {
  if (!active || payload.length === 0) return null;
  const row = payload[0]?.payload as FrontierRow | undefined;
  if (!row) return null;
  return (
    <div className="rounded-lg border border-line bg-surface px-3 py-2 text-sm shadow-md">
      <p className="font-semibold">{formatValue(ASSUMPTIONS.trainingOutput, row.a)} trained</p>
      <p className="text-muted">
        {row.b === null
          ? 'not reachable'
          : `conversion ≥ ${formatValue(ASSUMPTIONS.conversionRate, row.b)}`}
      </p>
    </div>
  );
}
