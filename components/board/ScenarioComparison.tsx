'use client';

import { useMemo, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { ScenarioState } from '@/lib/board/schema';
import { differingAssumptions } from '@/lib/board/exchange';
import { ASSUMPTIONS, TARGETS, TARGET_YEAR, kpis, project } from '@/lib/model';
import { formatUsd, formatValue } from '@/lib/format';
import { GOAL_TARGET, targetAmount } from '@/lib/client/targets';
import { CHART_LINE, CHART_MUTED } from '@/lib/client/chartTheme';
import { percentDelta } from '@/lib/client/history';
import { useBoardContext } from './BoardContext';
import { targetLines } from '@/components/charts/referenceLines';

interface ScenarioComparisonProps {
  scenarios: readonly ScenarioState[];
  selectedId: string;
  onSelect: (id: string) => void;
  /** Null when this person cannot add scenarios. */
  onAdd: (() => void) | null;
}

const B = 1e9;

/**
 * Every scenario's headline numbers side by side, and a closer comparison of the ones picked:
 * overlaid totals against the targets, year by year with deltas against the baseline, and the
 * assumptions that differ. A prompt to create a scenario when there is only one.
 */
export function ScenarioComparison({
  scenarios,
  selectedId,
  onSelect,
  onAdd,
}: ScenarioComparisonProps) {
  const { board } = useBoardContext();
  const baselineId = board.meta.baselineScenarioId;
  const rows = useMemo(
    () =>
      scenarios.map((s) => {
        const k = kpis(project(s.values));
        return {
          scenario: s,
          total: k.total2028,
          gap: k.gapTo[GOAL_TARGET.id],
          met5: k.firstYearMet.t5,
          horizon: k.horizonYear,
        };
      }),
    [scenarios],
  );

  // Picked for the closer comparison; null = the default (baseline + the one shown, or the first two).
  const [picked, setPicked] = useState<readonly string[] | null>(null);
  const ids = scenarios.map((s) => s.id);
  const chosen = (
    picked ??
    [...new Set([baselineId ?? '', selectedId, ...ids])]
      .filter((id) => ids.includes(id))
      .slice(0, 2)
  ).filter((id) => ids.includes(id));
  const compared = scenarios.filter((s) => chosen.includes(s.id));

  function toggle(id: string) {
    const next = chosen.includes(id) ? chosen.filter((x) => x !== id) : [...chosen, id];
    setPicked(ids.filter((x) => next.includes(x)));
  }

  if (scenarios.length < 2) {
    return (
      <section className="flex flex-wrap items-center justify-between gap-3 rounded-2xl border border-dashed border-line px-5 py-4">
        <p className="text-sm text-muted">
          <span className="font-medium text-ink">Compare scenarios.</span> Duplicate this one, move
          a few levers, and see the {TARGET_YEAR} outcomes side by side here.
        </p>
        {onAdd && (
          <button
            type="button"
            onClick={onAdd}
            className="h-9 shrink-0 rounded-lg border border-line bg-surface px-3 text-sm font-medium hover:bg-canvas"
          >
            Duplicate scenario
          </button>
        )}
      </section>
    );
  }

  return (
    <section
      className="flex flex-col gap-5 rounded-2xl border border-line bg-surface p-4 shadow-sm sm:p-5"
      aria-labelledby="compare-heading"
    >
      <div>
        <h2 id="compare-heading" className="mb-3 font-semibold">
          Scenarios side by side
        </h2>
        <div className="overflow-x-auto">
          <table className="w-full text-sm" data-testid="scenario-comparison">
            <thead>
              <tr className="text-left text-muted">
                <th scope="col" className="py-2 pr-4 font-medium">
                  <span className="sr-only">Compare</span>
                </th>
                <th scope="col" className="py-2 pr-4 font-medium">
                  Scenario
                </th>
                <th scope="col" className="py-2 pr-4 text-right font-medium">
                  Exports {TARGET_YEAR}
                </th>
                <th scope="col" className="py-2 pr-4 text-right font-medium">
                  Gap to {targetAmount(GOAL_TARGET)}
                </th>
                <th scope="col" className="py-2 text-right font-medium">
                  $5B first met
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-line">
              {rows.map(({ scenario, total, gap, met5, horizon }) => {
                const selected = scenario.id === selectedId;
                return (
                  <tr key={scenario.id} className={selected ? 'bg-accent-soft/50' : ''}>
                    <td className="w-8 py-2 pr-2 pl-1">
                      <input
                        type="checkbox"
                        checked={chosen.includes(scenario.id)}
                        onChange={() => toggle(scenario.id)}
                        aria-label={`Compare ${scenario.name}`}
                        data-testid={`compare-select-${scenario.id}`}
                        className="size-4 accent-[var(--color-accent)]"
                      />
                    </td>
                    <th scope="row" className="py-2 pr-4 text-left font-medium">
                      <button
                        type="button"
                        onClick={() => onSelect(scenario.id)}
                        className="inline-flex items-center gap-2 rounded text-left hover:text-accent"
                        aria-current={selected ? 'true' : undefined}
                      >
                        <span
                          className="size-2.5 shrink-0 rounded-full"
                          style={{ backgroundColor: scenario.color }}
                          aria-hidden="true"
                        />
                        {scenario.name}
                        {scenario.id === baselineId && (
                          <span className="text-xs font-normal text-muted">baseline</span>
                        )}
                      </button>
                    </th>
                    <td className="py-2 pr-4 text-right font-semibold tabular-nums">
                      {total === null ? '—' : formatUsd(total)}
                    </td>
                    <td
                      className={`py-2 pr-4 text-right tabular-nums ${gap !== null && gap > 0 ? 'text-danger' : 'text-emerald-700'}`}
                    >
                      {gap === null
                        ? '—'
                        : gap > 0
                          ? `${formatUsd(gap)} short`
                          : `+${formatUsd(-gap)}`}
                    </td>
                    <td className="py-2 text-right tabular-nums">
                      {met5 ?? <span className="text-muted">not by {horizon}</span>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <p className="mt-2 text-xs text-muted">
          Tick two or more scenarios to compare them year by year.
        </p>
      </div>
      {compared.length >= 2 ? (
        <CompareDetail compared={compared} baselineId={baselineId} />
      ) : (
        <p className="rounded-lg bg-canvas px-3 py-2 text-sm text-muted">
          Pick at least two scenarios to compare.
        </p>
      )}
    </section>
  );
}

function CompareDetail({
  compared,
  baselineId,
}: {
  compared: readonly ScenarioState[];
  baselineId: string | null;
}) {
  const reference = compared.find((s) => s.id === baselineId) ?? compared[0]!;
  const others = compared.filter((s) => s.id !== reference.id);
  const projections = useMemo(
    () =>
      new Map(
        compared.map((s) => [s.id, new Map(project(s.values).years.map((y) => [y.year, y.total]))]),
      ),
    [compared],
  );
  const years = useMemo(() => {
    const all = new Set<number>();
    for (const p of projections.values()) for (const y of p.keys()) all.add(y);
    return [...all].sort((a, b) => a - b);
  }, [projections]);
  const data = years.map((year) => {
    const row: Record<string, number | null> = { year };
    for (const s of compared) {
      const t = projections.get(s.id)?.get(year);
      row[s.id] = t === undefined ? null : t / B;
    }
    return row;
  });
  const max = Math.max(10.5, ...data.flatMap((r) => compared.map((s) => r[s.id] ?? 0))) * 1.08;
  const top = Math.ceil(max / 2) * 2;
  const refLabel = reference.id === baselineId ? 'baseline' : 'reference';

  return (
    <>
      <figure className="flex flex-col gap-2" data-testid="compare-chart">
        <figcaption className="text-sm font-semibold">Total exports, scenarios overlaid</figcaption>
        <div className="h-64 w-full sm:h-72" aria-hidden="true">
          <LineChart
            responsive
            style={{ width: '100%', height: '100%' }}
            data={data}
            margin={{ top: 10, right: 16, bottom: 0, left: 0 }}
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
              domain={[0, top]}
              tickFormatter={(v: number) => `$${v}B`}
              tick={{ fill: CHART_MUTED, fontSize: 12 }}
              tickLine={false}
              axisLine={false}
              width={48}
            />
            <Tooltip
              formatter={(v) => (typeof v === 'number' ? formatUsd(v * B) : String(v))}
              labelStyle={{ fontWeight: 600 }}
              contentStyle={{ borderRadius: 8, borderColor: CHART_LINE, fontSize: 13 }}
            />
            <Legend wrapperStyle={{ fontSize: 13 }} />
            {targetLines(TARGETS.filter((t) => t.value / B <= top))}
            {compared.map((s) => (
              <Line
                key={s.id}
                type="monotone"
                dataKey={s.id}
                name={s.name}
                stroke={s.color}
                strokeWidth={s.id === reference.id ? 2.5 : 2}
                dot={false}
                isAnimationActive={false}
                connectNulls={false}
              />
            ))}
          </LineChart>
        </div>
      </figure>

      <div>
        <h3 className="mb-2 text-sm font-semibold">
          Year by year, against {reference.name} ({refLabel})
        </h3>
        <div className="overflow-x-auto">
          <table className="w-full text-sm tabular-nums" data-testid="compare-table">
            <thead>
              <tr className="text-muted">
                <th scope="col" className="py-1.5 pr-3 text-left font-medium">
                  Year
                </th>
                <th scope="col" className="py-1.5 pr-3 text-right font-medium">
                  <span className="inline-flex items-center gap-1.5">
                    <span
                      className="size-2 rounded-full"
                      style={{ backgroundColor: reference.color }}
                      aria-hidden="true"
                    />
                    {reference.name}
                  </span>
                </th>
                {others.map((s) => (
                  <th
                    key={s.id}
                    scope="col"
                    colSpan={3}
                    className="py-1.5 pr-3 text-right font-medium"
                  >
                    <span className="inline-flex items-center gap-1.5">
                      <span
                        className="size-2 rounded-full"
                        style={{ backgroundColor: s.color }}
                        aria-hidden="true"
                      />
                      {s.name}
                    </span>
                    <span className="block text-[11px] font-normal">total · Δ · Δ%</span>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-line">
              {years.map((year) => {
                const base = projections.get(reference.id)?.get(year);
                return (
                  <tr
                    key={year}
                    className={year === TARGET_YEAR ? 'bg-accent-soft/50 font-medium' : ''}
                    data-year={year}
                  >
                    <th scope="row" className="py-1.5 pr-3 text-left font-medium">
                      {year}
                    </th>
                    <td className="py-1.5 pr-3 text-right">
                      {base === undefined ? '—' : formatUsd(base)}
                    </td>
                    {others.map((s) => {
                      const v = projections.get(s.id)?.get(year);
                      const delta = v !== undefined && base !== undefined ? v - base : null;
                      const tone =
                        delta === null || Math.abs(delta) < 0.5
                          ? 'text-muted'
                          : delta > 0
                            ? 'text-emerald-700'
                            : 'text-danger';
                      return [
                        <td key={`${s.id}-t`} className="py-1.5 pr-3 text-right">
                          {v === undefined ? '—' : formatUsd(v)}
                        </td>,
                        <td
                          key={`${s.id}-d`}
                          className={`py-1.5 pr-3 text-right ${tone}`}
                          data-testid={`compare-delta-${s.id}-${year}`}
                        >
                          {delta === null ? '—' : `${delta >= 0 ? '+' : ''}${formatUsd(delta)}`}
                        </td>,
                        <td key={`${s.id}-p`} className={`py-1.5 pr-3 text-right ${tone}`}>
                          {delta === null || base === undefined || v === undefined
                            ? '—'
                            : percentDelta(v, base)}
                        </td>,
                      ];
                    })}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </div>

      <div data-testid="compare-differences">
        <h3 className="mb-2 text-sm font-semibold">
          Assumptions that differ from {reference.name}
        </h3>
        <div className="flex flex-col gap-3">
          {others.map((s) => {
            const diff = differingAssumptions(reference.values, s.values);
            return (
              <div key={s.id}>
                <p className="mb-1 flex items-center gap-1.5 text-xs font-semibold text-muted">
                  <span
                    className="size-2 rounded-full"
                    style={{ backgroundColor: s.color }}
                    aria-hidden="true"
                  />
                  {s.name}: {diff.length === 0 ? 'same assumptions' : `${diff.length} differ`}
                </p>
                {diff.length > 0 && (
                  <ul className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-2">
                    {diff.map((id) => (
                      <li
                        key={id}
                        className="flex items-baseline justify-between gap-2 border-b border-dashed border-line py-1"
                        data-testid={`compare-diff-${s.id}-${id}`}
                      >
                        <span className="min-w-0 truncate">{ASSUMPTIONS[id].label}</span>
                        <span className="shrink-0 tabular-nums">
                          <span className="text-muted">
                            {formatValue(ASSUMPTIONS[id], reference.values[id])}
                          </span>
                          <span aria-hidden="true" className="px-1 text-muted">
                            →
                          </span>
                          <span className="sr-only"> to </span>
                          <span className="font-semibold">
                            {formatValue(ASSUMPTIONS[id], s.values[id])}
                          </span>
                        </span>
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </>
  );
}
