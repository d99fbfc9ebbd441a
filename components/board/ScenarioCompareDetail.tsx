'use client';

import { useMemo } from 'react';
import { useLocale, useTranslations } from 'next-intl';
import { directionOf, isLocale } from '@/lib/i18n/locales';
import type { ScenarioState } from '@/lib/board/scenarios';
import { differingAssumptions } from '@/lib/board/exchange';
import { ASSUMPTIONS, TARGET_YEAR, project } from '@/lib/model';
import { formatUsd } from '@/lib/format';
import { percentDelta } from '@/lib/client/history';
import { OverlayChart } from '@/components/charts/OverlayChart';
import { useSharedBoard } from './BoardContext';
import { ScenarioSwatch } from '@/components/ui/ScenarioSwatch';
import { useAssumptionText } from './useAssumptionText';

/**
 * The closer comparison of the scenarios picked: overlaid totals against the targets, year by
 * year with deltas against the baseline, and the assumptions that differ. Its own module, loaded
 * on demand, so Recharts is not part of the board's first download (bench/phone.ts).
 */
export function ScenarioCompareDetail({
  compared,
  baselineId,
}: {
  compared: readonly ScenarioState[];
  baselineId: string | null;
}) {
  const board = useSharedBoard();
  const tc = useTranslations('compareDetail');
  const text = useAssumptionText();
  const locale = useLocale();
  // "from → to" points the way the page reads.
  const arrow = isLocale(locale) && directionOf(locale) === 'rtl' ? '←' : '→';
  const actuals = board.actuals;
  const reference = compared.find((s) => s.id === baselineId) ?? compared[0]!;
  const others = compared.filter((s) => s.id !== reference.id);
  const projections = useMemo(
    () =>
      new Map(
        compared.map((s) => [
          s.id,
          new Map(project(s.values, actuals).years.map((y) => [y.year, y.total])),
        ]),
      ),
    [compared, actuals],
  );
  const years = useMemo(() => {
    const all = new Set<number>();
    for (const p of projections.values()) for (const y of p.keys()) all.add(y);
    return [...all].sort((a, b) => a - b);
  }, [projections]);
  const refLabel = reference.id === baselineId ? tc('baseline') : tc('reference');
  const referenceName = reference.name;

  return (
    <>
      <figure className="flex flex-col gap-2" data-testid="compare-chart">
        <figcaption className="text-sm font-semibold">{tc('overlaid')}</figcaption>
        <OverlayChart
          scenarios={compared}
          actuals={actuals}
          className="h-64 w-full sm:h-72"
          emphasize={reference.id}
        />
      </figure>

      <div>
        <h3 className="mb-2 text-sm font-semibold">
          {tc('yearByYear', { name: referenceName, label: refLabel })}
        </h3>
        <div className="overflow-x-auto">
          <table className="w-full text-xs tabular-nums sm:text-sm" data-testid="compare-table">
            <thead>
              <tr className="text-muted">
                <th scope="col" className="py-1.5 pe-2 text-start font-medium sm:pe-3">
                  {tc('year')}
                </th>
                <th scope="col" className="py-1.5 pe-2 text-end sm:pe-3 font-medium">
                  <span className="inline-flex items-center gap-1.5">
                    <ScenarioSwatch color={reference.color} size="sm" />
                    {reference.name}
                  </span>
                </th>
                {others.map((s) => (
                  <th
                    key={s.id}
                    scope="col"
                    colSpan={3}
                    className="py-1.5 pe-2 text-end sm:pe-3 font-medium"
                  >
                    <span className="inline-flex items-center gap-1.5">
                      <ScenarioSwatch color={s.color} size="sm" />
                      {s.name}
                    </span>
                    <span className="block text-[11px] font-normal">{tc('columns')}</span>
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
                    <th scope="row" className="py-1.5 pe-2 text-start font-medium sm:pe-3">
                      {year}
                    </th>
                    <td className="py-1.5 pe-2 text-end sm:pe-3">
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
                        <td key={`${s.id}-t`} className="py-1.5 pe-2 text-end sm:pe-3">
                          {v === undefined ? '—' : formatUsd(v)}
                        </td>,
                        <td
                          key={`${s.id}-d`}
                          className={`py-1.5 pe-2 text-end sm:pe-3 ${tone}`}
                          data-testid={`compare-delta-${s.id}-${year}`}
                        >
                          {delta === null ? '—' : `${delta >= 0 ? '+' : ''}${formatUsd(delta)}`}
                        </td>,
                        <td key={`${s.id}-p`} className={`py-1.5 pe-2 text-end sm:pe-3 ${tone}`}>
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
        <h3 className="mb-2 text-sm font-semibold">{tc('differ', { name: referenceName })}</h3>
        <div className="flex flex-col gap-3">
          {others.map((s) => {
            const diff = differingAssumptions(reference.values, s.values);
            return (
              <div key={s.id}>
                <p className="mb-1 flex items-center gap-1.5 text-xs font-semibold text-muted">
                  <ScenarioSwatch color={s.color} size="sm" />
                  {s.name}:{' '}
                  {diff.length === 0 ? tc('same') : tc('differCount', { count: diff.length })}
                </p>
                {diff.length > 0 && (
                  <ul className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-2">
                    {diff.map((id) => (
                      <li
                        key={id}
                        className="flex min-w-0 items-baseline justify-between gap-2 border-b border-dashed border-line py-1"
                        data-testid={`compare-diff-${s.id}-${id}`}
                      >
                        <span className="min-w-0 truncate">{text.label(id)}</span>
                        <span className="shrink-0 tabular-nums">
                          <span className="text-muted">
                            {text.value(ASSUMPTIONS[id], reference.values[id])}
                          </span>
                          <span aria-hidden="true" className="px-1 text-muted">
                            {arrow}
                          </span>
                          <span className="sr-only"> {tc('to')} </span>
                          <span className="font-semibold">
                            {text.value(ASSUMPTIONS[id], s.values[id])}
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
