'use client';
/**
 * The one frame every Recharts chart is drawn in: the sized, left-to-right container, the grid,
 * both axes with their tick words in the page's language, the tooltip's look and the legend.
 * A chart passes its data, how each axis reads (`year`, `billions`, `percent`…) and its series as
 * children. Only the lazily loaded tabs import it (Recharts stays out of the board's first
 * download, bench/phone.ts).
 *
 * Time runs left to right in Urdu too: the container is `dir="ltr"` so SVG text anchors are not
 * flipped by the page's direction; only the words change.
 */
import type { ComponentProps, ReactNode } from 'react';
import {
  AreaChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { CHART_LINE, CHART_MUTED } from '@/lib/client/chartTheme';
import { useTickFormat, type TickFormat } from './ticks';

const CHARTS = { line: LineChart, area: AreaChart, composed: ComposedChart } as const;

type XAxisProps = ComponentProps<typeof XAxis>;
type YAxisProps = ComponentProps<typeof YAxis>;

/** What differs between charts on an axis; the look (colours, tick lines) is the frame's. */
export interface AxisSpec {
  dataKey?: string;
  type?: 'number' | 'category';
  domain?: YAxisProps['domain'];
  ticks?: number[];
  /** How tick values read; none: Recharts' own text. */
  format?: TickFormat;
  width?: number;
  height?: number;
  label?: XAxisProps['label'];
  allowDecimals?: boolean;
  allowDataOverflow?: boolean;
}

export type ChartTooltip =
  | { content: NonNullable<ComponentProps<typeof Tooltip>['content']> }
  | { formatter: NonNullable<ComponentProps<typeof Tooltip>['formatter']> };

/** The box the frame's tooltips are drawn in, for charts with their own tooltip content. */
export function ChartTooltipBox({ children }: { children: ReactNode }) {
  return (
    <div className="rounded-lg border border-line bg-surface px-3 py-2 text-sm shadow-md">
      {children}
    </div>
  );
}

export function ChartFrame({
  kind = 'line',
  data,
  className,
  height,
  margin,
  fontSize = 12,
  x,
  y,
  tooltip,
  legend = false,
  children,
}: {
  kind?: keyof typeof CHARTS;
  data: readonly object[];
  /** The container's size classes (e.g. "h-40 w-full"). */
  className?: string;
  /** A pixel height instead of a size class. */
  height?: number;
  margin: { top: number; right: number; bottom: number; left: number };
  /** Tick font size. */
  fontSize?: number;
  x: AxisSpec;
  y: AxisSpec;
  tooltip?: ChartTooltip;
  legend?: boolean;
  children: ReactNode;
}) {
  const tickFormat = useTickFormat();
  const Chart = CHARTS[kind];
  const tick = { fill: CHART_MUTED, fontSize };
  return (
    // The figure around it carries the words; the drawing itself is hidden from screen readers.
    <div
      className={className}
      style={height === undefined ? undefined : { height }}
      aria-hidden="true"
      dir="ltr"
    >
      <Chart
        responsive
        style={{ width: '100%', height: '100%' }}
        data={data}
        margin={margin}
        accessibilityLayer={false}
      >
        <CartesianGrid stroke={CHART_LINE} strokeDasharray="3 3" vertical={false} />
        <XAxis
          dataKey={x.dataKey}
          type={x.type}
          domain={x.domain}
          ticks={x.ticks}
          tickFormatter={x.format && tickFormat[x.format]}
          tick={tick}
          tickLine={false}
          axisLine={{ stroke: CHART_LINE }}
          label={x.label}
          allowDecimals={x.allowDecimals}
          allowDataOverflow={x.allowDataOverflow}
          {...(x.height === undefined ? {} : { height: x.height })}
        />
        <YAxis
          dataKey={y.dataKey}
          type={y.type}
          domain={y.domain}
          ticks={y.ticks}
          tickFormatter={y.format && tickFormat[y.format]}
          tick={tick}
          tickLine={false}
          axisLine={false}
          label={y.label}
          allowDecimals={y.allowDecimals}
          allowDataOverflow={y.allowDataOverflow}
          width={y.width}
        />
        {tooltip && (
          <Tooltip
            {...tooltip}
            cursor={{ stroke: CHART_MUTED, strokeDasharray: '3 3' }}
            labelStyle={{ fontWeight: 600 }}
            contentStyle={{ borderRadius: 8, borderColor: CHART_LINE, fontSize: 13 }}
          />
        )}
        {legend && <Legend wrapperStyle={{ fontSize: 13 }} />}
        {children}
      </Chart>
    </div>
  );
}
