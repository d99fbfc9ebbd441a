import { TARGET_YEAR, type Kpis } from '@/lib/model';
import { formatUsd } from '@/lib/format';
import { GOAL_TARGET, targetAmount } from '@/lib/client/targets';

/**
 * On phones the outcomes sit below the assumptions; this bar keeps the two headline numbers in
 * view while someone moves a slider, with a jump to the chart.
 */
export function MobileKpiBar({ kpis, outcomesId }: { kpis: Kpis; outcomesId: string }) {
  const gap = kpis.gapTo[GOAL_TARGET.id];
  return (
    <div
      className="fixed inset-x-0 bottom-0 z-10 border-t border-line bg-surface/95 px-4 pt-2.5 pb-[max(0.625rem,env(safe-area-inset-bottom))] shadow-[0_-4px_16px_rgb(0_0_0/0.06)] backdrop-blur lg:hidden"
      aria-hidden="true"
    >
      <div className="mx-auto flex max-w-xl items-center gap-4">
        <div className="min-w-0">
          <p className="text-xs text-muted">Exports {TARGET_YEAR}</p>
          <p className="text-lg leading-tight font-semibold tabular-nums">
            {kpis.total2028 === null ? '—' : formatUsd(kpis.total2028)}
          </p>
        </div>
        <div className="min-w-0">
          <p className="text-xs text-muted">Gap to {targetAmount(GOAL_TARGET)}</p>
          <p
            className={`text-lg leading-tight font-semibold tabular-nums ${gap !== null && gap > 0 ? 'text-danger' : 'text-emerald-700'}`}
          >
            {gap === null ? '—' : gap > 0 ? formatUsd(gap) : `+${formatUsd(-gap)}`}
          </p>
        </div>
        <a
          href={`#${outcomesId}`}
          tabIndex={-1}
          className="ml-auto rounded-lg border border-line px-3 py-1.5 text-sm font-medium text-accent"
        >
          Chart ↓
        </a>
      </div>
    </div>
  );
}
