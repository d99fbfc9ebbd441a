'use client';
/**
 * An assumption's words in the page's language: label, description and unit by id, from the
 * message catalog rather than the model's English specs. The model keeps its English text for
 * the API, exports and tests; sources stay as quoted (they cite English documents).
 */
import { useLocale, useTranslations } from 'next-intl';
import { useCallback } from 'react';
import type { AssumptionGroupId, AssumptionId, AssumptionSpec } from '@/lib/model';
import { formatValue } from '@/lib/format';

const UNIT_KEYS = {
  'people/yr': 'peoplePerYear',
  '%': 'percent',
  '%/yr': 'percentPerYear',
  '$/yr': 'usdPerYear',
  x: 'times',
  $B: 'usdBillions',
  yrs: 'years',
  year: 'year',
} as const;

/**
 * lib/format's value text with its English unit words in Urdu: "40k/yr" -> "40k/سال",
 * "5 yrs" -> "5 سال". Figures, "$", "%", "x" and k/M/B stay as the board writes them.
 */
function urduUnits(text: string): string {
  return text.replace(/\/yr$/, '/سال').replace(/ yrs?$/, ' سال');
}

export function useAssumptionText() {
  const locale = useLocale();
  const tAssumption = useTranslations('assumption');
  const tGroup = useTranslations('group');
  const tUnit = useTranslations('unit');
  const label = useCallback((id: AssumptionId) => tAssumption(`${id}.label`), [tAssumption]);
  const description = useCallback(
    (id: AssumptionId) => tAssumption(`${id}.description`),
    [tAssumption],
  );
  const unit = useCallback(
    (spec: Pick<AssumptionSpec, 'unit'>) => {
      const key = UNIT_KEYS[spec.unit as keyof typeof UNIT_KEYS];
      return key ? tUnit(key) : spec.unit;
    },
    [tUnit],
  );
  const group = useCallback(
    (id: AssumptionGroupId) => ({
      label: tGroup(`${id}.label`),
      description: tGroup(`${id}.description`),
    }),
    [tGroup],
  );
  const value = useCallback(
    (spec: AssumptionSpec, v: number) =>
      locale === 'ur' ? urduUnits(formatValue(spec, v)) : formatValue(spec, v),
    [locale],
  );
  return { label, description, unit, group, value };
}
