/** What the presenter shows, which followers mirror, and the spotlight (root `presenter`). */
import type * as Y from 'yjs';
import * as v from 'valibot';
import { isAssumptionId, type AssumptionId } from '../model';
import { ID_MAX, PRESENTER_TAB_MAX } from './limits';
import { ROOT } from './layout';

export const presenterFocusSchema = v.strictObject({
  scenarioId: v.nullable(v.pipe(v.string(), v.maxLength(ID_MAX))),
  tab: v.pipe(v.string(), v.maxLength(PRESENTER_TAB_MAX)),
  assumptionId: v.nullable(v.pipe(v.string(), v.maxLength(ID_MAX))),
  /** Bumped by "bring everyone back", so followers who stepped away re-follow. */
  recall: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
});
export type PresenterFocus = v.InferOutput<typeof presenterFocusSchema>;

export function readPresenter(doc: Y.Doc): {
  focus: PresenterFocus | null;
  spotlight: AssumptionId | null;
} {
  const map = doc.getMap<unknown>(ROOT.presenter);
  const focus = v.safeParse(presenterFocusSchema, map.get('focus'));
  const spotlight = map.get('spotlight');
  return {
    focus: focus.success ? focus.output : null,
    spotlight: typeof spotlight === 'string' && isAssumptionId(spotlight) ? spotlight : null,
  };
}

export function setPresenterFocus(doc: Y.Doc, focus: PresenterFocus): void {
  doc.getMap<unknown>(ROOT.presenter).set('focus', focus);
}

export function setSpotlight(doc: Y.Doc, id: AssumptionId | null): void {
  doc.getMap<unknown>(ROOT.presenter).set('spotlight', id);
}
