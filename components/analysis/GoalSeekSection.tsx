'use client';

import { useTranslations } from 'next-intl';
import { useId, useMemo, useState } from 'react';
import { Line, ReferenceDot, type TooltipContentProps } from 'recharts';
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
import { formatUsd } from '@/lib/format';
import { targetAmount } from '@/lib/client/targets';
import { CHART_INK, CHART_MUTED } from '@/lib/client/chartTheme';
import { GOAL_SEEK_LEVERS, targetValue, type TargetChoice } from '@/lib/client/analysis';
import { SELECT_CLASS, Section, YearSelect } from './ui';
import { useActuals } from './hooks';
import { ChartFrame, ChartTooltipBox } from '@/components/charts/ChartFrame';
import { useAssumptionText } from '@/components/board/useAssumptionText';

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
  const t = useTranslations('analysis.goalSeek');
  const { label, value: formatValue } = useAssumptionText();
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
  if (target === null) resultText = t('enterTarget');
  else if (!result) resultText = '';
  else if (result.status === 'already-met') {
    resultText = t('alreadyMet', {
      total: formatUsd(result.total),
      year,
      // Mid-sentence in English; Urdu has no letter case.
      lever: label(lever).toLowerCase(),
      value: formatValue(spec, result.value),
    });
    tone = 'good';
  } else if (result.status === 'reached') {
    resultText = t('reached', {
      lever: label(lever),
      value: formatValue(spec, result.value),
      target: targetText,
      year,
      total: formatUsd(result.total),
      now: formatValue(spec, values[lever]),
    });
    tone = 'good';
  } else {
    resultText = t('notReachable', {
      lever: label(lever),
      min: formatValue(spec, spec.min),
      max: formatValue(spec, spec.max),
      best: formatUsd(result.bestTotal),
      bestValue: formatValue(spec, result.bestValue),
    });
    tone = 'bad';
  }
  const applicable = result?.status === 'reached' && result.value !== values[lever];

  return (
    <Section title={t('title')} description={t('description')} testId="goal-seek">
      <div className="grid grid-cols-1 gap-3 @lg:grid-cols-3">
        <div className="flex min-w-0 flex-col gap-1 text-sm">
          <label htmlFor={ids.target} className="text-muted">
            {t('target')}
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
              <option value="custom">{t('custom')}</option>
            </select>
            {choice === 'custom' && (
              <span className="flex items-center gap-1">
                <label htmlFor={ids.custom} className="sr-only">
                  {t('customLabel')}
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
            label={t('inYear')}
            testId="goal-seek-year"
            stacked
          />
        </div>
        <div className="flex min-w-0 flex-col gap-1 text-sm">
          <label htmlFor={ids.lever} className="text-muted">
            {t('lever')}
          </label>
          <select
            id={ids.lever}
            value={lever}
            onChange={(e) => setLever(e.target.value as AssumptionId)}
            className={`${SELECT_CLASS} w-full min-w-0`}
            data-testid="goal-seek-lever"
          >
            <optgroup label={t('headline')}>
              {HEADLINE_LEVERS.map((id) => (
                <option key={id} value={id}>
                  {label(id)}
                </option>
              ))}
            </optgroup>
            <optgroup label={t('other')}>
              {GOAL_SEEK_LEVERS.filter(
                (id) => !HEADLINE_LEVERS.includes(id) && assumptionIds.includes(id),
              ).map((id) => (
                <option key={id} value={id}>
                  {label(id)}
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
            <span className="me-2 text-2xl font-semibold tabular-nums">
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
              {t('apply', { value: formatValue(spec, result.value) })}
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
  const t = useTranslations('analysis.frontier');
  const { value: formatValue } = useAssumptionText();
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
      ? t('summary', {
          target: targetText,
          year,
          fewest: formatValue(tSpec, first.a),
          fewestRate: formatValue(cSpec, first.b ?? 0),
          most: formatValue(tSpec, last.a),
          mostRate: formatValue(cSpec, last.b ?? 0),
          training: formatValue(tSpec, values.trainingOutput),
          rate: formatValue(cSpec, values.conversionRate),
        })
      : t('none', { target: targetText, year });
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
      <h3 className="text-sm font-semibold">{t('title', { target: targetText, year })}</h3>
      <p id={summaryId} className="text-sm text-muted">
        {summary}
      </p>
      <ChartFrame
        data={rows}
        className="h-52 w-full"
        margin={{ top: 8, right: 16, bottom: 4, left: 0 }}
        x={{
          dataKey: 'a',
          type: 'number',
          domain: [tSpec.min, tSpec.max],
          format: 'compact',
          label: {
            value: t('axis'),
            position: 'insideBottomRight',
            offset: -2,
            fill: CHART_MUTED,
            fontSize: 12,
          },
          height: 36,
        }}
        y={{ domain: [0, yTop], ticks: yTicks, format: 'percent', width: 44 }}
        tooltip={{ content: (props) => <FrontierTooltip {...props} /> }}
      >
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
          label={{ value: t('now'), position: 'top', fill: CHART_INK, fontSize: 12 }}
        />
      </ChartFrame>
      <figcaption className="text-xs text-muted">{t('caption')}</figcaption>
    </figure>
  );
}

function FrontierTooltip({ active, payload }: TooltipContentProps) {
  const t = useTranslations('analysis.frontier');
  const { value: formatValue } = useAssumptionText();
  if (!active || payload.length === 0) return null;
  const row = payload[0]?.payload as FrontierRow | undefined;
  if (!row) return null;
  return (
    <ChartTooltipBox>
      <p className="font-semibold">
        {t('trained', { value: formatValue(ASSUMPTIONS.trainingOutput, row.a) })}
      </p>
      <p className="text-muted">
        {row.b === null
          ? t('notReachable')
          : t('atLeast', { value: formatValue(ASSUMPTIONS.conversionRate, row.b) })}
      </p>
    </ChartTooltipBox>
  );
}
