'use client';

import type { AssumptionId } from '@/lib/model';

/** Moderator tools beside one assumption: lock / unlock, spotlight, value poll. */
export function AssumptionModeratorTools(_props: { assumptionId: AssumptionId }) {
  return null;
}
