'use client';

import { useMemo, useState } from 'react';
import dynamic from 'next/dynamic';
import type { ScenarioState } from '@/lib/board/scenarios';
import { TARGET_YEAR, kpis, project } from '@/lib/model';
import { formatUsd } from '@/lib/format';
import { GOAL_TARGET, targetAmount } from '@/lib/client/targets';
import { useSharedBoard } from './BoardContext';
import { useLocale, useTranslations } from 'next-intl';
import { isolateFigure } from '@/lib/i18n/locales';
import { ScenarioSwatch } from '@/components/ui/ScenarioSwatch';

/** The overlaid chart and year table load when two scenarios are picked (Recharts is large). */
const CompareDetail = dynamic(
  () => import('./ScenarioCompareDetail').then((m) => m.ScenarioCompareDetail),
  {
    ssr: false,
    loading: () => <CompareLoading />,
  },
);

interface ScenarioComparisonProps {
  scenarios: readonly ScenarioState[];
  selectedId: string;
  onSelect: (id: string) => void;
  /** Null when this person cannot add scenarios. */
  onAdd: (() => void) | null;
}

function CompareLoading() {
  return <p className="h-64 text-sm text-muted">{useTranslations('compare')('loading')}</p>;
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
  const t = useTranslations('compare');
  const locale = useLocale();
  const board = useSharedBoard();
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
          {t.rich('prompt', {
            year: TARGET_YEAR,
            strong: (chunks) => <span className="font-medium text-ink">{chunks}</span>,
          })}
        </p>
        {onAdd && (
          <button
            type="button"
            onClick={onAdd}
            className="h-9 shrink-0 rounded-lg border border-line bg-surface px-3 text-sm font-medium hover:bg-canvas"
          >
            {t('duplicate')}
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
          {t('heading')}
        </h2>
        <div className="overflow-x-auto">
          <table className="w-full text-xs sm:text-sm" data-testid="scenario-comparison">
            <thead>
              <tr className="text-start text-muted">
                <th scope="col" className="py-2 pe-2 sm:pe-4 font-medium">
                  <span className="sr-only">{t('compare')}</span>
                </th>
                <th scope="col" className="py-2 pe-2 sm:pe-4 font-medium">
                  {t('scenario')}
                </th>
                <th scope="col" className="py-2 pe-2 sm:pe-4 text-end font-medium">
                  {t('exports', { year: TARGET_YEAR })}
                </th>
                <th scope="col" className="py-2 pe-2 sm:pe-4 text-end font-medium">
                  {t('gap', { target: isolateFigure(locale, targetAmount(GOAL_TARGET)) })}
                </th>
                <th scope="col" className="py-2 text-end font-medium">
                  {t('firstMet', { target: isolateFigure(locale, '$5B') })}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-line">
              {rows.map(({ scenario, total, gap, met5, horizon }) => {
                const selected = scenario.id === selectedId;
                return (
                  <tr key={scenario.id} className={selected ? 'bg-accent-soft/50' : ''}>
                    <td className="w-8 py-2 ps-1 pe-2">
                      <input
                        type="checkbox"
                        checked={chosen.includes(scenario.id)}
                        onChange={() => toggle(scenario.id)}
                        aria-label={t('compareOne', { name: scenario.name })}
                        data-testid={`compare-select-${scenario.id}`}
                        className="size-4 accent-[var(--color-accent)]"
                      />
                    </td>
                    <th scope="row" className="py-2 pe-2 sm:pe-4 text-start font-medium">
                      <button
                        type="button"
                        onClick={() => onSelect(scenario.id)}
                        className="inline-flex items-center gap-2 rounded text-start hover:text-accent"
                        aria-current={selected ? 'true' : undefined}
                      >
                        <ScenarioSwatch color={scenario.color} />
                        <span
                          className="max-w-[9rem] truncate sm:max-w-[16rem]"
                          title={scenario.name}
                        >
                          {scenario.name}
                        </span>
                        {scenario.id === baselineId && (
                          <span className="text-xs font-normal text-muted">{t('baseline')}</span>
                        )}
                      </button>
                    </th>
                    <td className="py-2 pe-2 sm:pe-4 text-end font-semibold tabular-nums">
                      {total === null ? '—' : formatUsd(total)}
                    </td>
                    <td
                      className={`py-2 pe-2 sm:pe-4 text-end tabular-nums ${gap !== null && gap > 0 ? 'text-danger' : 'text-emerald-700'}`}
                    >
                      {gap === null
                        ? '—'
                        : gap > 0
                          ? t('short', { amount: isolateFigure(locale, formatUsd(gap)) })
                          : `+${formatUsd(-gap)}`}
                    </td>
                    <td className="py-2 text-end tabular-nums">
                      {met5 ?? <span className="text-muted">{t('notBy', { year: horizon })}</span>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <p className="mt-2 text-xs text-muted">{t('tick')}</p>
      </div>
      {compared.length >= 2 ? (
        <CompareDetail compared={compared} baselineId={baselineId} />
      ) : (
        <p className="rounded-lg bg-canvas px-3 py-2 text-sm text-muted">{t('pick')}</p>
      )}
    </section>
  );
}
