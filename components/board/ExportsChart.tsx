'use client';

import { useId, useMemo } from 'react';
import {
  Area,
  AreaChart,
  CartesianGrid,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from 'recharts';
import { TARGETS, kpis as computeKpis, type Projection } from '@/lib/model';
import { formatUsd } from '@/lib/format';
import { targetAmount, targetName } from '@/lib/client/targets';
import { CHART_LINE, CHART_MUTED, SEGMENTS } from '@/lib/client/chartTheme';
import { goalYearLine, targetLines } from '@/components/charts/referenceLines';

interface ExportsChartProps {
  projection: Projection;
  scenarioName: string;
}

interface Row {
  year: number;
  existing: number;
  services: number;
  products: number;
  freelance: number;
  total: number;
}

const B = 1e9;

/** A tidy axis in $B that reaches at least `v`: its top and evenly spaced ticks. */
function niceAxis(v: number): { top: number; ticks: number[] } {
  const step = v <= 6 ? 1 : v <= 14 ? 2 : v <= 30 ? 5 : v <= 60 ? 10 : 20;
  const top = Math.ceil(v / step) * step;
  const ticks: number[] = [];
  for (let t = 0; t <= top + 1e-9; t += step) ticks.push(t);
  return { top, ticks };
}

/**
 * Projected exports per year, stacked by where the money comes from, against the policy targets.
 * The y axis always reaches the $10B goal so the gap stays visible; higher targets appear once the
 * projection approaches them.
 */
export function ExportsChart({ projection, scenarioName }: ExportsChartProps) {
  const titleId = useId();
  const summaryId = useId();
  const rows = useMemo<Row[]>(
    () =>
      projection.years.map((y) => ({
        year: y.year,
        existing: y.existing / B,
        services: y.services / B,
        products: y.products / B,
        freelance: y.freelance / B,
        total: y.total / B,
      })),
    [projection],
  );
  const first = rows[0];
  const last = rows[rows.length - 1];
  const maxTotal = Math.max(0, ...rows.map((r) => r.total));
  const { top, ticks } = niceAxis(Math.max(maxTotal * 1.08, 10.5));
  const shownTargets = TARGETS.filter((t) => t.value / B <= top);
  const hiddenTargets = TARGETS.filter((t) => t.value / B > top);
  const summary = useMemo(() => {
    if (!first || !last) return 'No projection.';
    const k = computeKpis(projection);
    const met = TARGETS.map((t) => {
      const year = k.firstYearMet[t.id];
      return `${targetAmount(t)} ${year === null ? `not reached by ${last.year}` : `reached in ${year}`}`;
    }).join('; ');
    return `Projected ICT exports for ${scenarioName} grow from ${formatUsd(first.total * B)} in ${first.year} to ${formatUsd(
      last.total * B,
    )} in ${last.year}. Targets: ${met}.`;
  }, [first, last, projection, scenarioName]);

  return (
    <figure
      className="relative flex flex-col gap-3 rounded-2xl border border-line bg-surface p-4 shadow-sm sm:p-5"
      aria-labelledby={titleId}
      aria-describedby={summaryId}
      data-testid="chart-exports"
      data-total-horizon={last ? formatUsd(last.total * B) : ''}
    >
      <div className="flex flex-wrap items-start justify-between gap-x-6 gap-y-2">
        <div>
          <h2 id={titleId} className="font-semibold">
            Projected ICT exports by source
          </h2>
          <p id={summaryId} className="text-sm text-muted" data-testid="chart-summary">
            {summary}
          </p>
        </div>
        <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm" aria-label="Legend">
          {SEGMENTS.map((s) => (
            <li key={s.key} className="flex items-center gap-1.5">
              <span
                className="size-3 rounded-sm"
                style={{ backgroundColor: s.color }}
                aria-hidden="true"
              />
              {s.label}
            </li>
          ))}
        </ul>
      </div>

      <div className="h-72 w-full sm:h-96" aria-hidden="true">
        <AreaChart
          responsive
          style={{ width: '100%', height: '100%' }}
          data={rows}
          margin={{ top: 16, right: 16, bottom: 0, left: 0 }}
          accessibilityLayer={false}
        >
          <CartesianGrid stroke={CHART_LINE} strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="year"
            tick={{ fill: CHART_MUTED, fontSize: 13 }}
            tickLine={false}
            axisLine={{ stroke: CHART_LINE }}
          />
          <YAxis
            domain={[0, top]}
            ticks={ticks}
            allowDataOverflow
            tickFormatter={(v: number) => `$${v}B`}
            tick={{ fill: CHART_MUTED, fontSize: 13 }}
            tickLine={false}
            axisLine={false}
            width={52}
          />
          <Tooltip
            content={ChartTooltip}
            cursor={{ stroke: CHART_MUTED, strokeDasharray: '3 3' }}
          />
          {SEGMENTS.map((s) => (
            <Area
              key={s.key}
              type="monotone"
              dataKey={s.key}
              name={s.label}
              stackId="exports"
              stroke={s.color}
              strokeWidth={1.5}
              fill={s.color}
              fillOpacity={0.78}
              isAnimationActive={false}
            />
          ))}
          {goalYearLine()}
          {targetLines(shownTargets, { strong: true })}
        </AreaChart>
      </div>
      {hiddenTargets.length > 0 && (
        <p className="text-xs text-muted">
          Off the scale: {hiddenTargets.map((t) => targetName(t)).join(', ')}.
        </p>
      )}

      {/* A table wrapped in .sr-only: a table itself ignores the 1px width and would widen the page. */}
      <div className="sr-only">
        <table>
          <caption>Projected exports per year, US dollars</caption>
          <thead>
            <tr>
              <th scope="col">Year</th>
              {SEGMENTS.map((s) => (
                <th key={s.key} scope="col">
                  {s.label}
                </th>
              ))}
              <th scope="col">Total</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.year}>
                <th scope="row">{r.year}</th>
                {SEGMENTS.map((s) => (
                  <td key={s.key}>{formatUsd(r[s.key] * B)}</td>
                ))}
                <td>{formatUsd(r.total * B)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

function ChartTooltip({ active, payload, label }: TooltipContentProps) {
  if (!active || payload.length === 0) return null;
  const row = payload[0]?.payload as Row | undefined;
  if (!row) return null;
  return (
    <div className="rounded-lg border border-line bg-surface px-3 py-2 text-sm shadow-md">
      <p className="mb-1 font-semibold">{label}</p>
      <table>
        <tbody>
          {[...SEGMENTS].reverse().map((s) => (
            <tr key={s.key}>
              <td className="pr-4">
                <span
                  className="mr-1.5 inline-block size-2.5 rounded-sm"
                  style={{ backgroundColor: s.color }}
                />
                {s.label}
              </td>
              <td className="text-right tabular-nums">{formatUsd(row[s.key] * B)}</td>
            </tr>
          ))}
          <tr className="border-t border-line font-semibold">
            <td className="pt-1 pr-4">Total</td>
            <td className="pt-1 text-right tabular-nums">{formatUsd(row.total * B)}</td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}
