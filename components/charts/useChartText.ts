'use client';
/**
 * Words inside charts in the page's language: segment names and target names. The charts
 * themselves are never mirrored (time runs left to right in Urdu too); only their words change.
 */
import { useTranslations } from 'next-intl';
import { useCallback } from 'react';
import type { Target } from '@/lib/model';
import { targetAmount } from '@/lib/client/targets';

export type SegmentKey = 'existing' | 'services' | 'products' | 'freelance';

export function useChartText() {
  const t = useTranslations('chart');
  const segment = useCallback((key: SegmentKey) => t(`segment.${key}`), [t]);
  const targetName = useCallback(
    (target: Pick<Target, 'id' | 'value'>) => {
      const amount = targetAmount(target);
      if (target.id === 't5') return t('target.policy', { amount });
      if (target.id === 't10') return t('target.aspirationLow', { amount });
      if (target.id === 't18') return t('target.aspirationHigh', { amount });
      return t('target.other', { amount });
    },
    [t],
  );
  return { t, segment, targetName };
}
