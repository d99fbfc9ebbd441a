/**
 * The board's shared Yjs document: its root types and key names. Only `lib/board/` reads or
 * writes them, one concept per file (README.md lists which).
 *
 * Layout (root types):
 *   meta           Y.Map   title, description, modelId, modelVersion, schemaVersion (this layout's
 *                          version, written by the server: migrations.ts), createdAt, baselineScenarioId,
 *                          frozen, baselineOpen, editPresentedOnly, actuals (the last four: moderators
 *                          only; actuals is a plain array of reported past years, see actuals.ts),
 *                          defaultLocale (moderators only: 'en' | 'ur', the projector's language)
 *   scenarios      Y.Map   scenarioId -> Y.Map { name, color, notes, createdAt, values: Y.Map<AssumptionId, number> }
 *   scenarioOrder  Y.Array scenario ids in display order
 *   locks          Y.Map   assumptionId -> { by, at }            (moderators only)
 *   bands          Y.Map   assumptionId -> { low, high, origin? } (moderators only; uncertainty bands;
 *                          origin 'poll': set from a value poll, "the room's estimate")
 *   polls          Y.Map   pollId -> ClosedPoll                  (written by the server when a poll closes)
 *   presenter      Y.Map   focus -> PresenterFocus, spotlight -> assumptionId | null (moderators only)
 *   log            Y.Map   entryId -> LogEntry   the decision log: who changed which assumption, from, to
 *   comments       Y.Map   commentId -> Comment  threads on assumptions and scenarios
 *   decisions      Y.Map   decisionId -> DecisionRecord  the decision on record (server only; decision.ts)
 *   agenda         Y.Map   steps -> AgendaStep[], currentId -> step id | null (moderators only; agenda.ts)
 *
 * Assumption values are stored in the units the UI shows (percent as 0-100). Everything read from
 * the document is validated. A board is read with the model version in its meta (meta.ts,
 * boardModel): a v1 board has no programme assumptions and reads exactly as it did before v2.
 */
import * as Y from 'yjs';

export const ROOT = {
  meta: 'meta',
  scenarios: 'scenarios',
  scenarioOrder: 'scenarioOrder',
  locks: 'locks',
  bands: 'bands',
  polls: 'polls',
  presenter: 'presenter',
  log: 'log',
  comments: 'comments',
  decisions: 'decisions',
  agenda: 'agenda',
} as const;

/** The names of a board's root types: anything else is not part of a board. */
export const ROOT_NAMES: ReadonlySet<string> = new Set(Object.values(ROOT));

/**
 * Declare every root type with its real type. A document that receives an update naming a root
 * it has not declared makes it a generic type, which typed access and validation would reject.
 */
export function defineRoots(doc: Y.Doc): void {
  for (const name of Object.values(ROOT)) {
    if (name === ROOT.scenarioOrder) doc.getArray(name);
    else doc.getMap(name);
  }
}

export const metaOf = (doc: Y.Doc) => doc.getMap<unknown>(ROOT.meta);
export const scenariosOf = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>(ROOT.scenarios);
export const orderOf = (doc: Y.Doc) => doc.getArray<string>(ROOT.scenarioOrder);

/** A board document built from an encoded state (e.g. a saved version), read-only by convention. */
export function docFromState(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  defineRoots(doc);
  Y.applyUpdate(doc, state);
  return doc;
}

/** Subscribe to any change of the board; returns the unsubscribe function. */
export function observeBoard(doc: Y.Doc, onChange: () => void): () => void {
  const handler = () => onChange();
  doc.on('update', handler);
  return () => doc.off('update', handler);
}
