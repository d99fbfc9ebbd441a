/** What the presenter shows, which followers mirror, and the spotlight (root `presenter`). */
import type * as Y from 'yjs';
import * as z from 'zod/mini';
import { isAssumptionId, type AssumptionId } from '../model';
import { ID_MAX, PRESENTER_TAB_MAX } from './limits';
import { ROOT } from './layout';

export const presenterFocusSchema = z.strictObject({
  scenarioId: z.nullable(z.string().check(z.maxLength(ID_MAX))),
  tab: z.string().check(z.maxLength(PRESENTER_TAB_MAX)),
  assumptionId: z.nullable(z.string().check(z.maxLength(ID_MAX))),
  /** Bumped by "bring everyone back", so followers who stepped away re-follow. */
  recall: z.number().check(z.int(), z.nonnegative()),
});
export type PresenterFocus = z.infer<typeof presenterFocusSchema>;

export function readPresenter(doc: Y.Doc): {
  focus: PresenterFocus | null;
  spotlight: AssumptionId | null;
} {
  const map = doc.getMap<unknown>(ROOT.presenter);
  const focus = presenterFocusSchema.safeParse(map.get('focus'));
  const spotlight = map.get('spotlight');
  return {
    focus: focus.success ? focus.data : null,
    spotlight: typeof spotlight === 'string' && isAssumptionId(spotlight) ? spotlight : null,
  };
}

export function setPresenterFocus(doc: Y.Doc, focus: PresenterFocus): void {
  doc.getMap<unknown>(ROOT.presenter).set('focus', focus);
}

export function setSpotlight(doc: Y.Doc, id: AssumptionId | null): void {
  doc.getMap<unknown>(ROOT.presenter).set('spotlight', id);
}
