'use client';

import { useTranslations } from 'next-intl';
import { useMemo, useState } from 'react';
import { ASSUMPTIONS, TARGET_YEAR, tornado, type Assumptions, type Bands } from '@/lib/model';
import { formatUsd } from '@/lib/format';
import { placeBar, specsOfVersion, tornadoScale } from '@/lib/client/analysis';
import { Section, YearSelect } from './ui';
import { useActuals } from './hooks';
import { useAssumptionText } from '@/components/board/useAssumptionText';

const LOW = '#e69f00';
const HIGH = '#0072b2';
const SHOWN = 8;

/** Tornado: the chosen year's total with each assumption alone at the low and high end of its band. */
export function SensitivitySection({
  values,
  bands,
  modelVersion,
}: {
  values: Assumptions;
  bands: Bands;
  /** The board's model version: its default bands. */
  modelVersion: number;
}) {
  const t = useTranslations('analysis.sensitivity');
  const { label, value: formatValue } = useAssumptionText();
  const [year, setYear] = useState(TARGET_YEAR);
  const [all, setAll] = useState(false);
  const actuals = useActuals();
  const result = useMemo(
    () => tornado(values, { year, bands, specs: specsOfVersion(modelVersion), actuals }),
    [values, year, bands, modelVersion, actuals],
  );
  const bars = all ? result.bars : result.bars.slice(0, SHOWN);
  const scale = tornadoScale(result, bars);
  const basePos = placeBar(scale.min, result.base, scale.min, scale.max).width;
  const top = result.bars[0];
  const summary = top
    ? t('summary', {
        year,
        base: formatUsd(result.base),
        label: label(top.id),
        low: formatUsd(top.totalAtLow),
        lowValue: formatValue(ASSUMPTIONS[top.id], top.lowValue),
        high: formatUsd(top.totalAtHigh),
        highValue: formatValue(ASSUMPTIONS[top.id], top.highValue),
      })
    : t('noBand');

  return (
    <Section
      title={t('title')}
      description={t('description', { year })}
      actions={<YearSelect value={year} onChange={setYear} testId="tornado-year" />}
    >
      <figure
        data-testid="analysis-tornado"
        data-top={top?.id ?? ''}
        data-base={formatUsd(result.base)}
        aria-label={t('chart', { summary })}
        className="flex flex-col gap-3"
      >
        <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm" aria-hidden="true">
          <li className="flex items-center gap-1.5">
            <span className="size-3 rounded-sm" style={{ backgroundColor: LOW }} />
            {t('lowEnd')}
          </li>
          <li className="flex items-center gap-1.5">
            <span className="size-3 rounded-sm" style={{ backgroundColor: HIGH }} />
            {t('highEnd')}
          </li>
          <li className="flex items-center gap-1.5 text-muted">
            <span className="h-3 w-0.5 bg-ink" />
            {t('asSet', { base: formatUsd(result.base) })}
          </li>
        </ul>
        <ol className="flex flex-col gap-2.5">
          {bars.map((b) => {
            const spec = ASSUMPTIONS[b.id];
            const low = placeBar(result.base, b.totalAtLow, scale.min, scale.max);
            const high = placeBar(result.base, b.totalAtHigh, scale.min, scale.max);
            return (
              <li
                key={b.id}
                className="grid gap-1 @xl:grid-cols-[minmax(0,14rem)_minmax(0,1fr)] @xl:items-center @xl:gap-3"
                data-testid={`tornado-bar-${b.id}`}
              >
                <div className="min-w-0 text-sm leading-tight">
                  <span className="block font-medium">{label(b.id)}</span>
                  <span className="text-xs text-muted tabular-nums">
                    {formatValue(spec, b.lowValue)} – {formatValue(spec, b.highValue)}
                  </span>
                </div>
                <div className="flex items-center gap-2">
                  <div className="relative h-6 flex-1 rounded bg-canvas" aria-hidden="true">
                    <span
                      className="absolute inset-y-0 rounded-l-sm rounded-r-sm"
                      style={{
                        left: `${low.left}%`,
                        width: `${Math.max(low.width, 0.3)}%`,
                        backgroundColor: LOW,
                      }}
                    />
                    <span
                      className="absolute inset-y-0 rounded-sm"
                      style={{
                        left: `${high.left}%`,
                        width: `${Math.max(high.width, 0.3)}%`,
                        backgroundColor: HIGH,
                      }}
                    />
                    <span
                      className="absolute -inset-y-1 w-0.5 bg-ink"
                      style={{ left: `${basePos}%` }}
                    />
                  </div>
                  <span className="w-28 shrink-0 text-end text-xs text-muted tabular-nums">
                    {formatUsd(Math.min(b.totalAtLow, b.totalAtHigh))}–
                    {formatUsd(Math.max(b.totalAtLow, b.totalAtHigh))}
                  </span>
                </div>
              </li>
            );
          })}
        </ol>
        <figcaption className="sr-only">{summary}</figcaption>
      </figure>
      {result.bars.length > SHOWN && (
        <button
          type="button"
          onClick={() => setAll((v) => !v)}
          className="self-start rounded-md px-2 py-1 text-sm font-medium text-accent hover:bg-canvas"
          aria-expanded={all}
        >
          {all ? t('showTop', { n: SHOWN }) : t('showAll', { n: result.bars.length })}
        </button>
      )}
    </Section>
  );
}
