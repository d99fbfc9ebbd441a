'use client';

import { useTranslations } from 'next-intl';
import { useId, useMemo } from 'react';
import { Area, Line, type TooltipContentProps } from 'recharts';
import { TARGETS, TARGET_YEAR, type MonteCarloResult, type Projection } from '@/lib/model';
import { formatUsd } from '@/lib/format';
import { targetAmount } from '@/lib/client/targets';
import { CHART_INK } from '@/lib/client/chartTheme';
import { ANALYSIS_SAMPLES, fanRows, formatProbability, type FanRow } from '@/lib/client/analysis';
import type { MonteCarloState } from './hooks';
import { Section } from './ui';
import { goalYearLine, targetLines } from '@/components/charts/referenceLines';
import { ChartFrame, ChartTooltipBox } from '@/components/charts/ChartFrame';
import { useChartText } from '@/components/charts/useChartText';

const B = 1e9;
/** Fan colours: the accent blue for the band and median, ink for the single run. */
const FAN = '#0b5cad';

function niceAxis(v: number): { top: number; ticks: number[] } {
  const step = v <= 6 ? 1 : v <= 14 ? 2 : v <= 30 ? 5 : v <= 60 ? 10 : 20;
  const top = Math.ceil(v / step) * step;
  const ticks: number[] = [];
  for (let t = 0; t <= top + 1e-9; t += step) ticks.push(t);
  return { top, ticks };
}

/** Fan chart (P10-P90, median, the scenario's own run) and the probability of meeting each target. */
export function UncertaintySection({
  mc,
  projection,
  scenarioName,
  bandsNote,
  children,
}: {
  mc: MonteCarloState;
  projection: Projection;
  scenarioName: string;
  /** How many bands the moderator has set (shown beside the chart). */
  bandsNote: string;
  /** The bands editor. */
  children?: React.ReactNode;
}) {
  const t = useTranslations('analysis.uncertainty');
  const chartText = useChartText();
  const summaryId = useId();
  const result = mc.result;
  const samples = ANALYSIS_SAMPLES.toLocaleString('en-US');
  const rows = useMemo(
    () => (result ? fanRows(result, projection.years) : []),
    [result, projection],
  );
  const horizonYear =
    result?.years[result.years.length - 1] ?? projection.years[projection.years.length - 1]?.year;
  const at2028 = rows.find((r) => r.year === TARGET_YEAR) ?? null;
  const maxY = Math.max(0, ...rows.map((r) => Math.max(r.p90, r.deterministic ?? 0)));
  const { top, ticks } = niceAxis(Math.max(maxY * 1.08, 10.5));
  const shownTargets = TARGETS.filter((t) => t.value / B <= top);

  const summary = result
    ? [
        t('futures', { samples, scenario: scenarioName }),
        ...(at2028
          ? [
              t('range', {
                year: TARGET_YEAR,
                p10: formatUsd(at2028.p10 * B),
                p90: formatUsd(at2028.p90 * B),
                p50: formatUsd(at2028.p50 * B),
              }),
            ]
          : []),
        t('chance', {
          list: TARGETS.map((target) =>
            t('chanceItem', {
              amount: targetAmount(target),
              probability: formatProbability(result.probabilityMet[target.id]),
              year: TARGET_YEAR,
            }),
          ).join(t('listSeparator')),
        }),
      ].join(' ')
    : t('running');

  return (
    <Section
      title={t('title')}
      description={t('description', { samples, bandsNote })}
      busy={mc.pending}
      actions={
        <span
          className={`rounded-full px-2.5 py-1 text-xs font-medium ${mc.pending ? 'bg-accent-soft text-accent' : 'bg-canvas text-muted'}`}
          role="status"
          data-testid="analysis-mc-status"
        >
          {mc.pending ? t('updating') : mc.error ? t('failed') : t('upToDate')}
        </span>
      }
    >
      <figure
        className={`flex flex-col gap-3 transition-opacity ${mc.pending && result ? 'opacity-60' : ''}`}
        data-testid="analysis-fan-chart"
        data-state={mc.pending ? 'pending' : 'ready'}
        data-p50-2028={at2028 ? formatUsd(at2028.p50 * B) : ''}
        data-probability-t10={result ? formatProbability(result.probabilityMet.t10) : ''}
        data-runner={mc.mode ?? ''}
        aria-describedby={summaryId}
      >
        <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm" aria-label={t('legend')}>
          <li className="flex items-center gap-1.5">
            <span
              className="h-3 w-5 rounded-sm"
              style={{ backgroundColor: FAN, opacity: 0.22 }}
              aria-hidden="true"
            />
            {t('band')}
          </li>
          <li className="flex items-center gap-1.5">
            <span className="h-0.5 w-5" style={{ backgroundColor: FAN }} aria-hidden="true" />
            {t('median')}
          </li>
          <li className="flex items-center gap-1.5">
            <span
              className="h-0 w-5 border-t-2 border-dashed"
              style={{ borderColor: CHART_INK }}
              aria-hidden="true"
            />
            {t('asSet')}
          </li>
        </ul>
        {rows.length > 0 ? (
          <ChartFrame
            kind="composed"
            data={rows}
            className="h-64 w-full sm:h-80"
            margin={{ top: 12, right: 24, bottom: 0, left: 0 }}
            fontSize={13}
            x={{ dataKey: 'year', format: 'year' }}
            y={{ domain: [0, top], ticks, allowDataOverflow: true, format: 'billions', width: 52 }}
            tooltip={{ content: (props) => <FanTooltip {...props} /> }}
          >
            <Area
              type="monotone"
              dataKey="p10"
              stackId="fan"
              stroke="none"
              fill="none"
              isAnimationActive={false}
            />
            <Area
              type="monotone"
              dataKey="spread"
              stackId="fan"
              stroke="none"
              fill={FAN}
              fillOpacity={0.2}
              isAnimationActive={false}
            />
            <Line
              type="monotone"
              dataKey="p50"
              stroke={FAN}
              strokeWidth={2.5}
              dot={false}
              isAnimationActive={false}
            />
            <Line
              type="monotone"
              dataKey="deterministic"
              stroke={CHART_INK}
              strokeWidth={1.75}
              strokeDasharray="5 4"
              dot={false}
              isAnimationActive={false}
            />
            {goalYearLine(chartText.t('targetYear', { year: TARGET_YEAR }))}
            {targetLines(shownTargets, { strong: true, name: chartText.targetName })}
          </ChartFrame>
        ) : (
          <div className="h-64 w-full sm:h-80" aria-hidden="true">
            <div className="size-full animate-pulse rounded-xl bg-canvas" />
          </div>
        )}
        <figcaption id={summaryId} className="sr-only" data-testid="analysis-fan-summary">
          {summary}
        </figcaption>
      </figure>

      <div className="overflow-x-auto">
        <table className="w-full text-sm" data-testid="analysis-probabilities">
          <caption className="sr-only">{t('probabilities')}</caption>
          <thead>
            <tr className="text-start text-muted">
              <th scope="col" className="py-1.5 pe-3 font-medium">
                {t('chanceOf')}
              </th>
              <th scope="col" className="px-3 py-1.5 text-end font-medium">
                {t('inYear', { year: TARGET_YEAR })}
              </th>
              <th scope="col" className="py-1.5 ps-3 text-end font-medium">
                {t('byYear', { year: horizonYear ?? t('theHorizon') })}
              </th>
            </tr>
          </thead>
          <tbody>
            {TARGETS.map((t) => (
              <ProbabilityRow key={t.id} id={t.id} label={targetAmount(t)} result={result} />
            ))}
          </tbody>
        </table>
      </div>
      {mc.error && (
        <p role="alert" className="text-sm text-danger">
          {t('error', { error: mc.error })}
        </p>
      )}
      {children}
    </Section>
  );
}

function ProbabilityRow({
  id,
  label,
  result,
}: {
  id: (typeof TARGETS)[number]['id'];
  label: string;
  result: MonteCarloResult | null;
}) {
  const p = result?.probabilityMet[id];
  const ph = result?.probabilityMetByHorizon[id];
  return (
    <tr className="border-t border-line">
      <th scope="row" className="py-2 pe-3 text-start font-semibold tabular-nums">
        {label}
      </th>
      <td className="px-3 py-2 text-end">
        <ProbabilityValue p={p} testId={`analysis-probability-${id}`} />
      </td>
      <td className="py-2 ps-3 text-end">
        <ProbabilityValue p={ph} testId={`analysis-probability-horizon-${id}`} />
      </td>
    </tr>
  );
}

function ProbabilityValue({ p, testId }: { p: number | undefined; testId: string }) {
  return (
    <span className="inline-flex items-center justify-end gap-2">
      <span
        className="hidden h-1.5 w-20 overflow-hidden rounded-full bg-line/50 sm:inline-block"
        aria-hidden="true"
      >
        <span
          className="block h-full rounded-full bg-accent"
          style={{ width: `${Math.round((p ?? 0) * 100)}%` }}
        />
      </span>
      <span className="w-14 text-lg font-semibold tabular-nums" data-testid={testId}>
        {p === undefined ? '—' : formatProbability(p)}
      </span>
    </span>
  );
}

function FanTooltip({ active, payload, label }: TooltipContentProps) {
  const t = useTranslations('analysis.uncertainty');
  if (!active || payload.length === 0) return null;
  const row = payload[0]?.payload as FanRow | undefined;
  if (!row) return null;
  const lines: [string, number | null][] = [
    ['P90', row.p90],
    [t('median'), row.p50],
    ['P10', row.p10],
    [t('asSetShort'), row.deterministic],
  ];
  return (
    <ChartTooltipBox>
      <p className="mb-1 font-semibold">{label}</p>
      <table>
        <tbody>
          {lines.map(([name, v]) => (
            <tr key={name}>
              <td className="pe-4 text-muted">{name}</td>
              <td className="text-end tabular-nums">{v === null ? '—' : formatUsd(v * B)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ChartTooltipBox>
  );
}
