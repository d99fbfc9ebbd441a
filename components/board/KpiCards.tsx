import type { ReactNode } from 'react';
import { BASE_YEAR, TARGETS, TARGET_YEAR, type Kpis, type ProjectionWarning } from '@/lib/model';
import { formatPercent, formatUsd } from '@/lib/format';
import { GOAL_TARGET, targetAmount } from '@/lib/client/targets';
import { useLocale, useTranslations } from 'next-intl';
import { isolateFigure } from '@/lib/i18n/locales';
import { Ltr } from '@/components/ui/Ltr';

interface KpiCardsProps {
  kpis: Kpis;
  /** Total exports in the base year, USD. */
  baseTotal: number;
  /** Years outside what the model was built for (R21); a badge when any. */
  warnings?: readonly ProjectionWarning[];
}

/** The headline numbers, large enough to read from the back of the room. */
export function KpiCards({ kpis, baseTotal, warnings = [] }: KpiCardsProps) {
  const t = useTranslations('kpi');
  const locale = useLocale();
  const gap = kpis.gapTo[GOAL_TARGET.id];
  const short = gap !== null && gap > 0;
  return (
    <section aria-label={t('section')} className="grid grid-cols-2 gap-3 sm:gap-4 xl:grid-cols-4">
      <Card label={t('exportsIn', { year: TARGET_YEAR })} testId="kpi-total-2028-card">
        <p
          className="text-3xl font-semibold tracking-tight tabular-nums sm:text-4xl"
          data-testid="kpi-total-2028"
        >
          <Ltr>{kpis.total2028 === null ? '—' : formatUsd(kpis.total2028)}</Ltr>
        </p>
        {warnings.length > 0 && (
          <p
            className="w-fit rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900"
            data-testid="kpi-warning"
            title={warnings.map((w) => w.message).join('\n')}
          >
            ⚠ {t('outsideRange', { year: warnings[0]!.year })}
          </p>
        )}
        <p className="text-sm text-muted">
          {kpis.total2028 === null
            ? t('horizonEnds', { year: kpis.horizonYear })
            : t.rich('fromBase', {
                amount: () => <Ltr>{formatUsd(baseTotal)}</Ltr>,
                year: BASE_YEAR,
              })}
        </p>
      </Card>

      <Card
        label={t('gapTo', {
          target: isolateFigure(locale, targetAmount(GOAL_TARGET)),
          year: TARGET_YEAR,
        })}
        testId="kpi-gap-10-card"
      >
        <p
          className={`text-3xl font-semibold tracking-tight tabular-nums sm:text-4xl ${short ? 'text-danger' : 'text-emerald-700'}`}
          data-testid="kpi-gap-10"
        >
          <Ltr>{gap === null ? '—' : short ? formatUsd(gap) : `+${formatUsd(-gap)}`}</Ltr>
        </p>
        <p className="text-sm text-muted">
          {gap === null ? t('beyondHorizon') : short ? t('short') : t('above')}
        </p>
      </Card>

      <Card label={t('firstMet')} testId="kpi-first-met">
        <ul className="flex flex-col gap-1 text-sm">
          {TARGETS.map((target) => {
            const year = kpis.firstYearMet[target.id];
            return (
              <li key={target.id} className="flex items-baseline justify-between gap-3">
                <span className="font-medium tabular-nums">
                  <Ltr>{targetAmount(target)}</Ltr>
                </span>
                <span
                  className={year === null ? 'text-muted' : 'font-semibold text-ink tabular-nums'}
                  data-testid={`kpi-first-met-${target.id}`}
                >
                  {year === null ? t('notBy', { year: kpis.horizonYear }) : year}
                </span>
              </li>
            );
          })}
        </ul>
      </Card>

      <Card label={t('growth')} testId="kpi-cagr-card">
        <p
          className="text-3xl font-semibold tracking-tight tabular-nums sm:text-4xl"
          data-testid="kpi-cagr"
        >
          <Ltr>{formatPercent(kpis.cagr)}</Ltr>
        </p>
        <p className="text-sm text-muted">
          {t('cagr')} <Ltr>{`${BASE_YEAR}–${kpis.horizonYear}`}</Ltr>
        </p>
      </Card>
    </section>
  );
}

function Card({ label, testId, children }: { label: string; testId: string; children: ReactNode }) {
  return (
    <div
      className="flex min-w-0 flex-col gap-1.5 rounded-2xl border border-line bg-surface p-4 shadow-sm sm:p-5"
      data-testid={testId}
    >
      <h3 className="text-sm font-medium text-muted">{label}</h3>
      {children}
    </div>
  );
}
