import type { ReactNode } from 'react';
import { BASE_YEAR, TARGETS, TARGET_YEAR, type Kpis, type ProjectionWarning } from '@/lib/model';
import { formatPercent, formatUsd } from '@/lib/format';
import { GOAL_TARGET, targetAmount } from '@/lib/client/targets';

interface KpiCardsProps {
  kpis: Kpis;
  /** Total exports in the base year, USD. */
  baseTotal: number;
  /** Years outside what the model was built for (R21); a badge when any. */
  warnings?: readonly ProjectionWarning[];
}

/** The headline numbers, large enough to read from the back of the room. */
export function KpiCards({ kpis, baseTotal, warnings = [] }: KpiCardsProps) {
  const gap = kpis.gapTo[GOAL_TARGET.id];
  const short = gap !== null && gap > 0;
  return (
    <section aria-label="Key figures" className="grid grid-cols-2 gap-3 sm:gap-4 xl:grid-cols-4">
      <Card label={`Exports in ${TARGET_YEAR}`} testId="kpi-total-2028-card">
        <p
          className="text-3xl font-semibold tracking-tight tabular-nums sm:text-4xl"
          data-testid="kpi-total-2028"
        >
          {kpis.total2028 === null ? '—' : formatUsd(kpis.total2028)}
        </p>
        {warnings.length > 0 && (
          <p
            className="w-fit rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900"
            data-testid="kpi-warning"
            title={warnings.map((w) => w.message).join('\n')}
          >
            ⚠ outside the model’s range from {warnings[0]!.year}
          </p>
        )}
        <p className="text-sm text-muted">
          {kpis.total2028 === null
            ? `Horizon ends in ${kpis.horizonYear}`
            : `from ${formatUsd(baseTotal)} in ${BASE_YEAR}`}
        </p>
      </Card>

      <Card
        label={`Gap to the ${targetAmount(GOAL_TARGET)} aspiration in ${TARGET_YEAR}`}
        testId="kpi-gap-10-card"
      >
        <p
          className={`text-3xl font-semibold tracking-tight tabular-nums sm:text-4xl ${short ? 'text-danger' : 'text-emerald-700'}`}
          data-testid="kpi-gap-10"
        >
          {gap === null ? '—' : short ? formatUsd(gap) : `+${formatUsd(-gap)}`}
        </p>
        <p className="text-sm text-muted">
          {gap === null
            ? 'Beyond the horizon'
            : short
              ? 'short of the aspiration'
              : 'above the aspiration'}
        </p>
      </Card>

      <Card label="Targets first met" testId="kpi-first-met">
        <ul className="flex flex-col gap-1 text-sm">
          {TARGETS.map((t) => {
            const year = kpis.firstYearMet[t.id];
            return (
              <li key={t.id} className="flex items-baseline justify-between gap-3">
                <span className="font-medium tabular-nums">{targetAmount(t)}</span>
                <span
                  className={year === null ? 'text-muted' : 'font-semibold text-ink tabular-nums'}
                  data-testid={`kpi-first-met-${t.id}`}
                >
                  {year === null ? `not by ${kpis.horizonYear}` : year}
                </span>
              </li>
            );
          })}
        </ul>
      </Card>

      <Card label="Growth per year" testId="kpi-cagr-card">
        <p
          className="text-3xl font-semibold tracking-tight tabular-nums sm:text-4xl"
          data-testid="kpi-cagr"
        >
          {formatPercent(kpis.cagr)}
        </p>
        <p className="text-sm text-muted">
          CAGR {BASE_YEAR}–{kpis.horizonYear}
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
