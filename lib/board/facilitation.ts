/**
 * What the moderator keeps out of the room's hands, scenario by scenario, in the words both the
 * server's refusals (`validate.ts`) and the UI's read-only notes use, so the two never disagree.
 */
import type { BoardMeta } from './meta';

export const BASELINE_KEPT =
  'The baseline is kept as it is: the moderator can open it for editing.';
export const BASELINE_DELETE = 'Only the moderator can delete the baseline.';

export function presentedOnlyMessage(presentedName: string | undefined): string {
  return presentedName
    ? `For now the room changes only the presented scenario, "${presentedName}".`
    : 'For now the room changes only the presented scenario.';
}

/**
 * Why an editor may not change scenario `scenarioId` now, or null. `presentedId` is the
 * presenter focus's scenario (null when nobody presents); `nameOf` names a scenario.
 */
export function scenarioHold(
  meta: Pick<BoardMeta, 'baselineScenarioId' | 'baselineOpen' | 'editPresentedOnly'>,
  presentedId: string | null,
  scenarioId: string,
  nameOf: (id: string) => string | undefined,
): string | null {
  if (scenarioId === meta.baselineScenarioId && !meta.baselineOpen) return BASELINE_KEPT;
  if (meta.editPresentedOnly && presentedId && scenarioId !== presentedId)
    return presentedOnlyMessage(nameOf(presentedId));
  return null;
}
