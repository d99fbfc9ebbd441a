'use client';

import { useId, useMemo, useState, type PointerEvent } from 'react';
import {
  area as d3area,
  curveMonotoneX,
  line as d3line,
  stack as d3stack,
  type SeriesPoint,
} from 'd3-shape';
import {
  TARGETS,
  TARGET_YEAR,
  kpis as computeKpis,
  plausibilityWarnings,
  type Projection,
} from '@/lib/model';
import { formatUsd } from '@/lib/format';
import { targetAmount } from '@/lib/client/targets';
import { useChartText } from '@/components/charts/useChartText';

import { directionOf, isolateFigure } from '@/lib/i18n/locales';
import {
  CHART_INK,
  CHART_LINE,
  CHART_MUTED,
  CHART_TARGET,
  SEGMENTS,
} from '@/lib/client/chartTheme';
import { useElementSize } from '@/components/charts/useElementSize';
import { useLocale, useTranslations } from 'next-intl';

interface ExportsChartProps {
  projection: Projection;
  scenarioName: string;
  /**
   * Fill the height the parent gives (the projector, which must fit one screen without
   * scrolling); the summary is then for screen readers only. Default: a fixed-height card.
   */
  fill?: boolean;
  /** Draw the same scenario without the programme (model v2: how much the policy itself adds). */
  showWithoutProgramme?: boolean;
}

/** The dashed line of the total without the programme. */
const WITHOUT_COLOR = '#334155';
/** Reported actuals (R22): a solid dark line with points, labelled "Actual". */
const ACTUAL_COLOR = '#0f172a';

interface Row {
  year: number;
  existing: number;
  services: number;
  products: number;
  freelance: number;
  total: number;
  withoutProgramme: number;
  /** R22: a reported actual, not a projection. */
  actual: boolean;
  source: string;
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
export function ExportsChart({
  projection,
  scenarioName,
  fill = false,
  showWithoutProgramme = false,
}: ExportsChartProps) {
  const titleId = useId();
  const summaryId = useId();
  const [plotRef, size] = useElementSize<HTMLDivElement>();
  const rows = useMemo<Row[]>(
    () =>
      projection.years.map((y) => ({
        year: y.year,
        existing: y.existing / B,
        services: y.services / B,
        products: y.products / B,
        freelance: y.freelance / B,
        total: y.total / B,
        withoutProgramme: (y.withoutProgramme ?? y.total) / B,
        actual: y.kind === 'actual',
        source: y.source ?? '',
      })),
    [projection],
  );
  const { t, segment, targetName } = useChartText();
  const locale = useLocale();
  const warnings = useMemo(() => plausibilityWarnings(projection), [projection]);
  const first = rows[0];
  const last = rows[rows.length - 1];
  const maxTotal = Math.max(0, ...rows.map((r) => r.total));
  const { top, ticks } = niceAxis(Math.max(maxTotal * 1.08, 10.5));
  const shownTargets = TARGETS.filter((t) => t.value / B <= top);
  const hiddenTargets = TARGETS.filter((t) => t.value / B > top);
  const summary = useMemo(() => {
    if (!first || !last) return t('noProjection');
    const fig = (text: string) => isolateFigure(locale, text);
    const k = computeKpis(projection);
    const met = TARGETS.map((target) => {
      const year = k.firstYearMet[target.id];
      const amount = fig(targetAmount(target));
      return year === null
        ? t('summary.notReached', { amount, year: last.year })
        : t('summary.reached', { amount, year });
    }).join(`${t('summary.separator')} `);
    const actualYears = rows.filter((r) => r.actual).map((r) => r.year);
    const actuals =
      actualYears.length > 0
        ? ' ' +
          t('summary.actuals', {
            years: fig(actualYears.join(', ')),
            last: actualYears.at(-1) ?? '',
          })
        : '';
    const without = showWithoutProgramme
      ? ' ' +
        t('summary.without', {
          amount: fig(formatUsd(last.withoutProgramme * B)),
          year: last.year,
        })
      : '';
    return (
      t('summary.main', {
        scenario: scenarioName,
        from: fig(formatUsd(first.total * B)),
        firstYear: first.year,
        to: fig(formatUsd(last.total * B)),
        lastYear: last.year,
        met,
      }) +
      actuals +
      without
    );
  }, [first, last, projection, rows, scenarioName, showWithoutProgramme, t, locale]);
  const hasActuals = rows.some((r) => r.actual);

  return (
    <figure
      className={`relative flex flex-col gap-3 rounded-2xl border border-line bg-surface p-4 shadow-sm sm:p-5 ${fill ? 'h-full min-h-0' : ''}`}
      aria-labelledby={titleId}
      aria-describedby={summaryId}
      data-testid="chart-exports"
      data-total-horizon={last ? formatUsd(last.total * B) : ''}
    >
      <div className="flex flex-wrap items-start justify-between gap-x-6 gap-y-2">
        <div>
          <h2 id={titleId} className="font-semibold">
            {t('title')}
          </h2>
          <p
            id={summaryId}
            className={fill ? 'sr-only' : 'text-sm text-muted'}
            data-testid="chart-summary"
          >
            {summary}
          </p>
        </div>
        <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm" aria-label={t('legend')}>
          {SEGMENTS.map((s) => (
            <li key={s.key} className="flex items-center gap-1.5">
              <span
                className="size-3 rounded-sm"
                style={{ backgroundColor: s.color }}
                aria-hidden="true"
              />
              {segment(s.key)}
            </li>
          ))}
          {hasActuals && (
            <li className="flex items-center gap-1.5" data-testid="legend-actual">
              <span
                className="size-2.5 rounded-full"
                style={{ backgroundColor: ACTUAL_COLOR }}
                aria-hidden="true"
              />
              {t('actualReported')}
            </li>
          )}
          {showWithoutProgramme && (
            <li className="flex items-center gap-1.5" data-testid="legend-without-programme">
              <span
                className="h-0 w-4 border-t-2 border-dashed"
                style={{ borderColor: WITHOUT_COLOR }}
                aria-hidden="true"
              />
              {t('withoutProgramme')}
            </li>
          )}
        </ul>
      </div>
      {warnings.length > 0 && <WarningNote warnings={warnings} testId="chart-warnings" />}

      {/* Hidden from screen readers: the summary above and the table below say what it shows. */}
      <div
        ref={plotRef}
        className={`relative w-full ${fill ? 'min-h-0 flex-1' : 'h-72 sm:h-96'}`}
        aria-hidden="true"
        // Time runs left to right in every language: the plot is never mirrored.
        dir="ltr"
      >
        {size && (
          <StackedExports
            rows={rows}
            width={size.width}
            height={size.height}
            top={top}
            ticks={ticks}
            showWithoutProgramme={showWithoutProgramme}
            targets={shownTargets.map((target) => ({
              id: target.id,
              value: target.value / B,
              label: targetName(target),
            }))}
          />
        )}
      </div>
      {hiddenTargets.length > 0 && (
        <p className="text-xs text-muted">
          {t('offScale', { targets: hiddenTargets.map((target) => targetName(target)).join('، ') })}
        </p>
      )}

      {/* A table wrapped in .sr-only: a table itself ignores the 1px width and would widen the page. */}
      <div className="sr-only">
        <table>
          <caption>{t('tableCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('year')}</th>
              {SEGMENTS.map((s) => (
                <th key={s.key} scope="col">
                  {segment(s.key)}
                </th>
              ))}
              <th scope="col">{t('total')}</th>
              <th scope="col">{t('kind')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr
                key={r.year}
                data-testid={`chart-year-${r.year}`}
                data-kind={r.actual ? 'actual' : 'projected'}
                data-total={formatUsd(r.total * B)}
              >
                <th scope="row">{r.year}</th>
                {SEGMENTS.map((s) => (
                  <td key={s.key}>{formatUsd(r[s.key] * B)}</td>
                ))}
                <td>{formatUsd(r.total * B)}</td>
                <td>{r.actual ? t('actualFrom', { source: r.source }) : t('projected')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

/**
 * The plausibility guard (model rule R21) in words: which years are outside what the model was
 * built for. Never silent: the chart and the KPIs both show it.
 */
export function WarningNote({
  warnings,
  testId,
}: {
  warnings: readonly { year: number; message: string }[];
  testId: string;
}) {
  const t = useTranslations('chart');
  const years = [...new Set(warnings.map((w) => w.year))];
  const span = years.length > 1 ? `${years[0]}–${years[years.length - 1]}` : `${years[0]}`;
  return (
    <p
      role="note"
      className="rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900"
      data-testid={testId}
      title={warnings.map((w) => w.message).join('\n')}
    >
      <span aria-hidden="true">⚠ </span>
      <bdi dir="ltr">{span}</bdi>: {t('outsideModel')}
    </p>
  );
}

/** Plot margins: room for the $B labels on the left and the years below. */
const M = { top: 16, right: 16, bottom: 28, left: 52 };

/**
 * The stacked areas, target lines and axes as plain SVG drawn with d3-shape: the board's first
 * chart is on screen before anyone interacts, and Recharts (about 125 KB gzipped with its state
 * store) would double the JavaScript a phone downloads first (bench/phone.ts). The other charts,
 * opened on demand, still use Recharts. Presentation attributes only (no CSS): the PNG export
 * serialises this SVG as it is.
 */
function StackedExports({
  rows,
  width,
  height,
  top,
  ticks,
  targets,
  showWithoutProgramme,
}: {
  rows: Row[];
  width: number;
  height: number;
  top: number;
  ticks: number[];
  showWithoutProgramme: boolean;
  targets: { id: string; value: number; label: string }[];
}) {
  const { t } = useChartText();
  const [hover, setHover] = useState<number | null>(null);
  const innerW = Math.max(1, width - M.left - M.right);
  const innerH = Math.max(1, height - M.top - M.bottom);
  const n = rows.length;
  const x = (i: number) => M.left + (n > 1 ? (innerW * i) / (n - 1) : innerW / 2);
  const y = (v: number) => M.top + innerH * (1 - Math.min(v, top) / top);
  const series = useMemo(() => d3stack<Row>().keys(SEGMENTS.map((s) => s.key))(rows), [rows]);
  const yearIndex = new Map(rows.map((r, i) => [r.year, i]));
  const fill = d3area<SeriesPoint<Row>>()
    .x((d) => x(yearIndex.get(d.data.year) ?? 0))
    .y0((d) => y(d[0]))
    .y1((d) => y(d[1]))
    .curve(curveMonotoneX);
  const edge = d3line<SeriesPoint<Row>>()
    .x((d) => x(yearIndex.get(d.data.year) ?? 0))
    .y((d) => y(d[1]))
    .curve(curveMonotoneX);
  const withoutLine = d3line<Row>()
    .x((_, i) => x(i))
    .y((r) => y(r.withoutProgramme))
    .curve(curveMonotoneX);
  // R22: the reported years, and the base year they continue from, as one solid line.
  const lastActual = rows.reduce((at, r, i) => (r.actual ? i : at), -1);
  const actualLine =
    lastActual > 0
      ? rows
          .slice(0, lastActual + 1)
          .map((r, i) => `${i === 0 ? 'M' : 'L'}${x(i)},${y(r.total)}`)
          .join('')
      : null;
  // Every year's label when there is room, every other one on a phone.
  const labelEvery = n > 1 && innerW / (n - 1) < 38 ? 2 : 1;
  const goalIndex = yearIndex.get(TARGET_YEAR);
  const hovered = hover === null ? null : rows[hover];

  function onPointerMove(e: PointerEvent<SVGSVGElement>) {
    const left = e.currentTarget.getBoundingClientRect().left;
    const i = Math.round(((e.clientX - left - M.left) / innerW) * (n - 1));
    setHover(n > 0 ? Math.min(n - 1, Math.max(0, i)) : null);
  }

  return (
    <>
      <svg
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        fontSize={13}
        onPointerMove={onPointerMove}
        onPointerLeave={() => setHover(null)}
      >
        {ticks.map((t) => (
          <g key={t}>
            <line
              x1={M.left}
              x2={M.left + innerW}
              y1={y(t)}
              y2={y(t)}
              stroke={CHART_LINE}
              strokeDasharray={t === 0 ? undefined : '3 3'}
            />
            <text x={M.left - 8} y={y(t)} dy="0.32em" textAnchor="end" fill={CHART_MUTED}>
              ${t}B
            </text>
          </g>
        ))}
        {rows.map((r, i) =>
          i % labelEvery === 0 || i === n - 1 ? (
            <text
              key={r.year}
              x={x(i)}
              y={M.top + innerH + 20}
              textAnchor="middle"
              fill={CHART_MUTED}
            >
              {r.year}
            </text>
          ) : null,
        )}
        {series.map((s, i) => (
          <g key={s.key}>
            <path d={fill(s) ?? undefined} fill={SEGMENTS[i]?.color} fillOpacity={0.78} />
            <path
              d={edge(s) ?? undefined}
              fill="none"
              stroke={SEGMENTS[i]?.color}
              strokeWidth={1.5}
            />
          </g>
        ))}
        {showWithoutProgramme && (
          <path
            d={withoutLine(rows) ?? undefined}
            fill="none"
            stroke={WITHOUT_COLOR}
            strokeWidth={2}
            strokeDasharray="6 4"
            data-testid="line-without-programme"
          />
        )}
        {actualLine && (
          <g data-testid="chart-actuals">
            <path d={actualLine} fill="none" stroke={ACTUAL_COLOR} strokeWidth={2.5} />
            {rows.map((r, i) =>
              r.actual ? (
                <circle
                  key={r.year}
                  cx={x(i)}
                  cy={y(r.total)}
                  r={4.5}
                  fill={ACTUAL_COLOR}
                  stroke="#ffffff"
                  strokeWidth={1.5}
                />
              ) : null,
            )}
            <text
              x={x(lastActual)}
              y={y(rows[lastActual]!.total) - 10}
              textAnchor="middle"
              fill={ACTUAL_COLOR}
              fontWeight={600}
              fontSize={12}
            >
              {t('actual')}
            </text>
          </g>
        )}
        {goalIndex !== undefined && (
          <g>
            <line
              x1={x(goalIndex)}
              x2={x(goalIndex)}
              y1={M.top}
              y2={M.top + innerH}
              stroke={CHART_INK}
              strokeOpacity={0.35}
              strokeDasharray="2 4"
            />
            <text x={x(goalIndex) + 5} y={M.top + 14} fill={CHART_MUTED} fontSize={12}>
              {t('targetYear', { year: TARGET_YEAR })}
            </text>
          </g>
        )}
        {targets.map((t) => (
          <g key={t.id}>
            <line
              x1={M.left}
              x2={M.left + innerW}
              y1={y(t.value)}
              y2={y(t.value)}
              stroke={CHART_TARGET}
              strokeWidth={1.5}
              strokeDasharray="6 4"
            />
            <text x={M.left + 5} y={y(t.value) - 5} fill={CHART_TARGET} fontWeight={600}>
              {t.label}
            </text>
          </g>
        ))}
        {hover !== null && (
          <line
            x1={x(hover)}
            x2={x(hover)}
            y1={M.top}
            y2={M.top + innerH}
            stroke={CHART_MUTED}
            strokeDasharray="3 3"
          />
        )}
      </svg>
      {hovered && hover !== null && (
        <div
          className="pointer-events-none absolute top-2"
          style={x(hover) > width / 2 ? { right: width - x(hover) + 12 } : { left: x(hover) + 12 }}
        >
          <ChartTooltip row={hovered} />
        </div>
      )}
    </>
  );
}

function ChartTooltip({ row }: { row: Row }) {
  const { t, segment } = useChartText();
  // The plot is left to right; its tooltip's words follow the page's language.
  const dir = directionOf(useLocale());
  return (
    <div dir={dir} className="rounded-lg border border-line bg-surface px-3 py-2 text-sm shadow-md">
      <p className="mb-1 font-semibold">
        {row.year}
        {row.actual ? ` · ${t('actualShort')}` : ''}
      </p>
      {row.actual && (
        <p className="mb-1 max-w-56 text-xs text-muted">{t('source', { source: row.source })}</p>
      )}
      <table>
        <tbody>
          {[...SEGMENTS].reverse().map((s) => (
            <tr key={s.key}>
              <td className="pe-4">
                <span
                  className="me-1.5 inline-block size-2.5 rounded-sm"
                  style={{ backgroundColor: s.color }}
                />
                {segment(s.key)}
              </td>
              <td className="text-end tabular-nums">{formatUsd(row[s.key] * B)}</td>
            </tr>
          ))}
          <tr className="border-t border-line font-semibold">
            <td className="pt-1 pe-4">{t('total')}</td>
            <td className="pt-1 text-end tabular-nums">{formatUsd(row.total * B)}</td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}
