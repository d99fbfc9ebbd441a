'use client';

import { useMemo } from 'react';
import { Area, AreaChart, CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import {
  BASE_YEAR,
  TARGETS,
  TARGET_YEAR,
  kpis,
  projectionSeries,
  type Projection,
} from '@/lib/model';
import { formatCompact, formatPercent, formatUsd } from '@/lib/format';
import { CHART_LINE, CHART_MUTED, SEGMENTS } from '@/lib/client/chartTheme';
import { Figure, Section } from './ui';

const SERVICES = SEGMENTS[1].color;
const PRODUCTS = SEGMENTS[2].color;

/** Services share of exports, workforce added, and the headline ratios. */
export function MoreOutputsSection({
  projection,
  countsAddedOnly,
}: {
  projection: Projection;
  /** Model v2: revenue per trainee counts what training adds (R20), not all growth (v1's R15). */
  countsAddedOnly: boolean;
}) {
  const k = useMemo(() => kpis(projection), [projection]);
  const rows = useMemo(() => {
    const s = projectionSeries(projection);
    return s.years.map((year, i) => ({
      year,
      share: (s.servicesShareOfTotal[i] ?? 0) * 100,
      workforce: s.workforceAdded[i] ?? 0,
    }));
  }, [projection]);
  const last = rows[rows.length - 1];
  const first = rows[0];
  const shareSummary =
    first && last
      ? `Services (everything but product companies) are ${formatPercent(first.share / 100, 0)} of exports in ${first.year} and ${formatPercent(
          last.share / 100,
          0,
        )} in ${last.year}.`
      : '';
  const workforceSummary = last
    ? `Trained people in export work by ${last.year}: ${formatCompact(last.workforce)}.`
    : '';
  const minShare = Math.max(0, Math.floor(Math.min(...rows.map((r) => r.share)) / 10) * 10 - 10);

  return (
    <Section
      title="More outputs"
      description="The mix of exports and the people behind them."
      testId="analysis-more"
    >
      <div className="grid grid-cols-1 gap-3 @md:grid-cols-3">
        <Figure
          label={`Exports in ${k.horizonYear}`}
          value={formatUsd(k.totalHorizon)}
          testId="analysis-kpi-horizon"
        />
        <Figure
          label={`Growth per year ${BASE_YEAR}–${k.horizonYear}`}
          value={formatPercent(k.cagr)}
          note="CAGR"
          testId="analysis-kpi-cagr"
        />
        <Figure
          label="Export revenue per trainee"
          value={formatUsd(countsAddedOnly ? k.addedRevenuePerTrainee : k.revenuePerTrainee)}
          note={
            countsAddedOnly
              ? 'what the programme adds ÷ people trained'
              : 'growth since 2023 ÷ people trained'
          }
          testId="analysis-kpi-per-trainee"
        />
      </div>
      <table className="w-full text-sm" data-testid="analysis-targets">
        <caption className="sr-only">
          Gap to each target in {TARGET_YEAR} and the first year it is met
        </caption>
        <thead className="text-left text-muted">
          <tr>
            <th className="py-1.5 font-medium">Target</th>
            <th className="py-1.5 text-right font-medium">Gap in {TARGET_YEAR}</th>
            <th className="py-1.5 text-right font-medium">First met</th>
          </tr>
        </thead>
        <tbody className="tabular-nums">
          {TARGETS.map((t) => {
            const gap = k.gapTo[t.id];
            const met = k.firstYearMet[t.id];
            return (
              <tr
                key={t.id}
                className="border-t border-line"
                data-testid={`analysis-target-${t.id}`}
              >
                <td className="py-1.5 font-medium">{t.label}</td>
                <td className={`py-1.5 text-right ${gap !== null && gap > 0 ? 'text-danger' : ''}`}>
                  {gap === null
                    ? `after ${k.horizonYear}`
                    : gap > 0
                      ? `${formatUsd(gap)} short`
                      : `met, ${formatUsd(-gap)} above`}
                </td>
                <td className="py-1.5 text-right">{met ?? `not by ${k.horizonYear}`}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="grid grid-cols-1 gap-5 @xl:grid-cols-2">
        <figure
          className="flex flex-col gap-1"
          aria-label={`Services share of exports. ${shareSummary}`}
          data-testid="analysis-services-share"
        >
          <h3 className="text-sm font-semibold">Services share of exports</h3>
          <p className="text-xs text-muted">{shareSummary}</p>
          <div className="h-40 w-full" aria-hidden="true">
            <LineChart
              responsive
              style={{ width: '100%', height: '100%' }}
              data={rows}
              margin={{ top: 8, right: 12, bottom: 0, left: 0 }}
              accessibilityLayer={false}
            >
              <CartesianGrid stroke={CHART_LINE} strokeDasharray="3 3" vertical={false} />
              <XAxis
                dataKey="year"
                tick={{ fill: CHART_MUTED, fontSize: 12 }}
                tickLine={false}
                axisLine={{ stroke: CHART_LINE }}
              />
              <YAxis
                domain={[minShare, 100]}
                tickFormatter={(v: number) => `${v}%`}
                tick={{ fill: CHART_MUTED, fontSize: 12 }}
                tickLine={false}
                axisLine={false}
                width={44}
              />
              <Tooltip formatter={(v) => [`${Number(v).toFixed(1)}%`, 'Services share']} />
              <Line
                type="monotone"
                dataKey="share"
                stroke={SERVICES}
                strokeWidth={2.5}
                dot={false}
                isAnimationActive={false}
              />
            </LineChart>
          </div>
        </figure>
        <figure
          className="flex flex-col gap-1"
          aria-label={`Workforce added. ${workforceSummary}`}
          data-testid="analysis-workforce"
        >
          <h3 className="text-sm font-semibold">Workforce added</h3>
          <p className="text-xs text-muted">{workforceSummary}</p>
          <div className="h-40 w-full" aria-hidden="true">
            <AreaChart
              responsive
              style={{ width: '100%', height: '100%' }}
              data={rows}
              margin={{ top: 8, right: 12, bottom: 0, left: 0 }}
              accessibilityLayer={false}
            >
              <CartesianGrid stroke={CHART_LINE} strokeDasharray="3 3" vertical={false} />
              <XAxis
                dataKey="year"
                tick={{ fill: CHART_MUTED, fontSize: 12 }}
                tickLine={false}
                axisLine={{ stroke: CHART_LINE }}
              />
              <YAxis
                tickFormatter={(v: number) => formatCompact(v)}
                tick={{ fill: CHART_MUTED, fontSize: 12 }}
                tickLine={false}
                axisLine={false}
                width={44}
              />
              <Tooltip formatter={(v) => [formatCompact(Number(v)), 'People in export work']} />
              <Area
                type="monotone"
                dataKey="workforce"
                stroke={PRODUCTS}
                fill={PRODUCTS}
                fillOpacity={0.25}
                strokeWidth={2}
                isAnimationActive={false}
              />
            </AreaChart>
          </div>
        </figure>
      </div>
    </Section>
  );
}
