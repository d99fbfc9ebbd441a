'use client';

import { useTranslations } from 'next-intl';
import { useMemo } from 'react';
import { Area, Line } from 'recharts';
import {
  BASE_YEAR,
  TARGETS,
  TARGET_YEAR,
  kpis,
  projectionSeries,
  type Projection,
} from '@/lib/model';
import { formatCompact, formatPercent, formatUsd } from '@/lib/format';
import { SEGMENTS } from '@/lib/client/chartTheme';
import { targetAmount } from '@/lib/client/targets';
import { Figure, Section } from './ui';
import { ChartFrame } from '@/components/charts/ChartFrame';

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
  const t = useTranslations('analysis.more');
  const tTarget = useTranslations('analysis.targetLabel');
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
      ? t('shareSummary', {
          first: formatPercent(first.share / 100, 0),
          firstYear: first.year,
          last: formatPercent(last.share / 100, 0),
          lastYear: last.year,
        })
      : '';
  const workforceSummary = last
    ? t('workforceSummary', { year: last.year, count: formatCompact(last.workforce) })
    : '';
  // The model's English target labels, in the page's language.
  const targetLabel = (target: (typeof TARGETS)[number]) => {
    const values = { amount: targetAmount(target), year: TARGET_YEAR };
    return target.id === 't5' || target.id === 't10' || target.id === 't18'
      ? tTarget(target.id, values)
      : tTarget('other', values);
  };
  const minShare = Math.max(0, Math.floor(Math.min(...rows.map((r) => r.share)) / 10) * 10 - 10);

  return (
    <Section title={t('title')} description={t('description')} testId="analysis-more">
      <div className="grid grid-cols-1 gap-3 @md:grid-cols-3">
        <Figure
          label={t('exportsIn', { year: k.horizonYear })}
          value={formatUsd(k.totalHorizon)}
          testId="analysis-kpi-horizon"
        />
        <Figure
          label={t('growth', { from: BASE_YEAR, to: k.horizonYear })}
          value={formatPercent(k.cagr)}
          note={t('cagr')}
          testId="analysis-kpi-cagr"
        />
        <Figure
          label={t('perTrainee')}
          value={formatUsd(countsAddedOnly ? k.addedRevenuePerTrainee : k.revenuePerTrainee)}
          note={countsAddedOnly ? t('perTraineeAdded') : t('perTraineeGrowth')}
          testId="analysis-kpi-per-trainee"
        />
      </div>
      <table className="w-full text-sm" data-testid="analysis-targets">
        <caption className="sr-only">{t('targetsCaption', { year: TARGET_YEAR })}</caption>
        <thead className="text-start text-muted">
          <tr>
            <th className="py-1.5 font-medium">{t('target')}</th>
            <th className="py-1.5 text-end font-medium">{t('gapIn', { year: TARGET_YEAR })}</th>
            <th className="py-1.5 text-end font-medium">{t('firstMet')}</th>
          </tr>
        </thead>
        <tbody className="tabular-nums">
          {TARGETS.map((target) => {
            const gap = k.gapTo[target.id];
            const met = k.firstYearMet[target.id];
            return (
              <tr
                key={target.id}
                className="border-t border-line"
                data-testid={`analysis-target-${target.id}`}
              >
                <td className="py-1.5 font-medium">{targetLabel(target)}</td>
                <td className={`py-1.5 text-end ${gap !== null && gap > 0 ? 'text-danger' : ''}`}>
                  {gap === null
                    ? t('after', { year: k.horizonYear })
                    : gap > 0
                      ? t('short', { amount: formatUsd(gap) })
                      : t('above', { amount: formatUsd(-gap) })}
                </td>
                <td className="py-1.5 text-end">{met ?? t('notBy', { year: k.horizonYear })}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="grid grid-cols-1 gap-5 @xl:grid-cols-2">
        <figure
          className="flex flex-col gap-1"
          aria-label={t('shareChart', { summary: shareSummary })}
          data-testid="analysis-services-share"
        >
          <h3 className="text-sm font-semibold">{t('shareTitle')}</h3>
          <p className="text-xs text-muted">{shareSummary}</p>
          <ChartFrame
            data={rows}
            className="h-40 w-full"
            margin={{ top: 8, right: 12, bottom: 0, left: 0 }}
            x={{ dataKey: 'year', format: 'year' }}
            y={{ domain: [minShare, 100], format: 'percent', width: 44 }}
            tooltip={{ formatter: (v) => [`${Number(v).toFixed(1)}%`, t('shareTooltip')] }}
          >
            <Line
              type="monotone"
              dataKey="share"
              stroke={SERVICES}
              strokeWidth={2.5}
              dot={false}
              isAnimationActive={false}
            />
          </ChartFrame>
        </figure>
        <figure
          className="flex flex-col gap-1"
          aria-label={t('workforceChart', { summary: workforceSummary })}
          data-testid="analysis-workforce"
        >
          <h3 className="text-sm font-semibold">{t('workforceTitle')}</h3>
          <p className="text-xs text-muted">{workforceSummary}</p>
          <ChartFrame
            kind="area"
            data={rows}
            className="h-40 w-full"
            margin={{ top: 8, right: 12, bottom: 0, left: 0 }}
            x={{ dataKey: 'year', format: 'year' }}
            y={{ format: 'compact', width: 44 }}
            tooltip={{ formatter: (v) => [formatCompact(Number(v)), t('workforceTooltip')] }}
          >
            <Area
              type="monotone"
              dataKey="workforce"
              stroke={PRODUCTS}
              fill={PRODUCTS}
              fillOpacity={0.25}
              strokeWidth={2}
              isAnimationActive={false}
            />
          </ChartFrame>
        </figure>
      </div>
    </Section>
  );
}
