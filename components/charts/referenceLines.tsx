'use client';

import { ReferenceLine } from 'recharts';
import { TARGET_YEAR, type Target } from '@/lib/model';
import { CHART_INK, CHART_MUTED, CHART_TARGET } from '@/lib/client/chartTheme';
import { targetName } from '@/lib/client/targets';

/** Values on these charts are plotted in billions of dollars. */
const B = 1e9;

/**
 * The policy targets as dashed horizontal lines, for any chart in billions (`name`: the words,
 * from charts/useChartText where the page is translated). Called as a function
 * (not a component) so Recharts sees ReferenceLine elements among its children.
 * `strong` is the main chart's look; the smaller charts use the quieter default.
 */
export function targetLines(
  targets: readonly Target[],
  { strong = false, name = targetName }: { strong?: boolean; name?: (t: Target) => string } = {},
) {
  return targets.map((t) => (
    <ReferenceLine
      key={t.id}
      y={t.value / B}
      stroke={CHART_TARGET}
      strokeDasharray="6 4"
      {...(strong ? { strokeWidth: 1.5, ifOverflow: 'discard' as const } : { strokeOpacity: 0.7 })}
      label={{
        value: name(t),
        position: 'insideBottomLeft',
        fill: CHART_TARGET,
        fontSize: strong ? 13 : 12,
        ...(strong ? { fontWeight: 600 } : {}),
      }}
    />
  ));
}

/** The vertical marker at the policy's target year (2028); `label` in the page's language. */
export function goalYearLine(label = `${TARGET_YEAR}: target year`) {
  return (
    <ReferenceLine
      x={TARGET_YEAR}
      stroke={CHART_INK}
      strokeOpacity={0.35}
      strokeDasharray="2 4"
      label={{
        value: label,
        position: 'insideTopLeft',
        fill: CHART_MUTED,
        fontSize: 12,
      }}
    />
  );
}
