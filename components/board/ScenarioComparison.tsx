'use client';

import { useMemo, useState } from 'react';
import dynamic from 'next/dynamic';
import type { ScenarioState } from '@/lib/board/scenarios';
import { TARGET_YEAR, kpis, project } from '@/lib/model';
import { formatUsd } from '@/lib/format';
import { GOAL_TARGET, targetAmount } from '@/lib/client/targets';
import { useBoardContext } from './BoardContext';

/** The overlaid chart and year table load when two scenarios are picked (Recharts is large). */
const CompareDetail = dynamic(
  () => import('./ScenarioCompareDetail').then((m) => m.ScenarioCompareDetail),
  {
    ssr: false,
    loading: () => <p className="h-64 text-sm text-muted">Loading the comparison…</p>,
  },
);

interface ScenarioComparisonProps {
  scenarios: readonly ScenarioState[];
  selectedId: string;
  onSelect: (id: string) => void;
  /** Null when this person cannot add scenarios. */
  onAdd: (() => void) | null;
}

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
        const k = kpis(project(s.values, board.actuals));
        return {
          scenario: s,
          total: k.total2028,
          gap: k.gapTo[GOAL_TARGET.id],
          met5: k.firstYearMet.t5,
          horizon: k.horizonYear,
        };
      }),
    [scenarios, board.actuals],
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
          <table className="w-full text-xs sm:text-sm" data-testid="scenario-comparison">
            <thead>
              <tr className="text-left text-muted">
                <th scope="col" className="py-2 pr-2 sm:pr-4 font-medium">
                  <span className="sr-only">Compare</span>
                </th>
                <th scope="col" className="py-2 pr-2 sm:pr-4 font-medium">
                  Scenario
                </th>
                <th scope="col" className="py-2 pr-2 sm:pr-4 text-right font-medium">
                  Exports {TARGET_YEAR}
                </th>
                <th scope="col" className="py-2 pr-2 sm:pr-4 text-right font-medium">
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
                    <th scope="row" className="py-2 pr-2 sm:pr-4 text-left font-medium">
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
                        <span
                          className="max-w-[9rem] truncate sm:max-w-[16rem]"
                          title={scenario.name}
                        >
                          {scenario.name}
                        </span>
                        {scenario.id === baselineId && (
                          <span className="text-xs font-normal text-muted">baseline</span>
                        )}
                      </button>
                    </th>
                    <td className="py-2 pr-2 sm:pr-4 text-right font-semibold tabular-nums">
                      {total === null ? '—' : formatUsd(total)}
                    </td>
                    <td
                      className={`py-2 pr-2 sm:pr-4 text-right tabular-nums ${gap !== null && gap > 0 ? 'text-danger' : 'text-emerald-700'}`}
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
