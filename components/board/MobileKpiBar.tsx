import { TARGET_YEAR, type Kpis } from '@/lib/model';
import { formatUsd } from '@/lib/format';
import { GOAL_TARGET, targetAmount } from '@/lib/client/targets';
import { useLocale, useTranslations } from 'next-intl';
import { isolateFigure } from '@/lib/i18n/locales';
import { Ltr } from '@/components/ui/Ltr';

/**
 * On phones the outcomes sit below the assumptions; this bar keeps the two headline numbers in
 * view while someone moves a slider, with a jump to the chart.
 */
export function MobileKpiBar({ kpis, outcomesId }: { kpis: Kpis; outcomesId: string }) {
  const t = useTranslations('kpi');
  const locale = useLocale();
  const gap = kpis.gapTo[GOAL_TARGET.id];
  return (
    <div
      className="fixed inset-x-0 bottom-0 z-10 border-t border-line bg-surface px-4 pt-2.5 pb-[max(0.625rem,env(safe-area-inset-bottom))] shadow-[0_-4px_16px_rgb(0_0_0/0.06)] lg:hidden"
      aria-hidden="true"
    >
      <div className="mx-auto flex max-w-xl items-center gap-4">
        <div className="min-w-0">
          <p className="text-xs text-muted">{t('exportsShort', { year: TARGET_YEAR })}</p>
          <p className="text-lg leading-tight font-semibold tabular-nums">
            <Ltr>{kpis.total2028 === null ? '—' : formatUsd(kpis.total2028)}</Ltr>
          </p>
        </div>
        <div className="min-w-0">
          <p className="text-xs text-muted">
            {t('gapShort', { target: isolateFigure(locale, targetAmount(GOAL_TARGET)) })}
          </p>
          <p
            className={`text-lg leading-tight font-semibold tabular-nums ${gap !== null && gap > 0 ? 'text-danger' : 'text-emerald-700'}`}
          >
            <Ltr>{gap === null ? '—' : gap > 0 ? formatUsd(gap) : `+${formatUsd(-gap)}`}</Ltr>
          </p>
        </div>
        <a
          href={`#${outcomesId}`}
          tabIndex={-1}
          className="ms-auto rounded-lg border border-line px-3 py-1.5 text-sm font-medium text-accent"
        >
          {t('toChart')}
        </a>
      </div>
    </div>
  );
}
