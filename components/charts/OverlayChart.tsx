'use client';

import { Line } from 'recharts';
import type { ScenarioState } from '@/lib/board/scenarios';
import { TARGETS, project, type Actual } from '@/lib/model';
import { formatUsd } from '@/lib/format';
import { ChartFrame, type ChartTooltip } from './ChartFrame';
import { targetLines } from './referenceLines';

const B = 1e9;

const TOOLTIP: ChartTooltip = {
  formatter: (v: unknown) => (typeof v === 'number' ? formatUsd(v * B) : String(v)),
};

/**
 * Every scenario's total exports per year as one line each, against the policy targets: the
 * scenario comparison on the board and the printed report.
 */
export function OverlayChart({
  scenarios,
  actuals = [],
  height,
  className = 'w-full',
  emphasize = null,
}: {
  scenarios: readonly ScenarioState[];
  /** The board's reported actuals (R22): every scenario's reported years are these figures. */
  actuals?: readonly Actual[];
  /** A pixel height, else the size `className` gives. */
  height?: number;
  className?: string;
  /** A scenario drawn a little heavier (the one the others are compared with). */
  emphasize?: string | null;
}) {
  const totals = scenarios.map(
    (s) => new Map(project(s.values, actuals).years.map((y) => [y.year, y.total / B])),
  );
  const years = [...new Set(totals.flatMap((m) => [...m.keys()]))].sort((a, b) => a - b);
  const data = years.map((year) => {
    const row: Record<string, number | null> = { year };
    scenarios.forEach((s, i) => (row[s.id] = totals[i]?.get(year) ?? null));
    return row;
  });
  const max = Math.max(10.5, ...totals.flatMap((m) => [...m.values()])) * 1.08;
  const top = Math.ceil(max / 2) * 2;
  return (
    <ChartFrame
      data={data}
      {...(height === undefined ? {} : { height })}
      className={className}
      margin={{ top: 10, right: 16, bottom: 0, left: 0 }}
      x={{ dataKey: 'year', format: 'year' }}
      y={{ domain: [0, top], format: 'billions', width: 48 }}
      tooltip={TOOLTIP}
      legend
    >
      {targetLines(TARGETS.filter((t) => t.value / B <= top))}
      {scenarios.map((s) => (
        <Line
          key={s.id}
          type="monotone"
          dataKey={s.id}
          name={s.name}
          stroke={s.color}
          strokeWidth={s.id === emphasize ? 2.5 : 2}
          dot={false}
          isAnimationActive={false}
          connectNulls={false}
        />
      ))}
    </ChartFrame>
  );
}
