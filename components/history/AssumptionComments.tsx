'use client';

import type { AssumptionId } from '@/lib/model';

/** The comment button (with count) beside one assumption, opening its threads. */
export function AssumptionComments(_props: { assumptionId: AssumptionId }) {
  return null;
}
