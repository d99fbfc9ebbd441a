/**
 * Where a Yjs type or value sits in the board layout, as a path of map keys from its root
 * (["scenarios", id, "values"]), for the write check and the server's update inspection.
 */
import * as Y from 'yjs';
import { ROOT } from './layout';
import { ABSENT } from './refusal';

/** Where a shared type sits in the board layout. */
export type Place =
  | { kind: 'root'; name: string }
  | { kind: 'scenario'; scenarioId: string }
  | { kind: 'values'; scenarioId: string }
  | { kind: 'unknown' };

export function basePath(place: Place): string[] {
  switch (place.kind) {
    case 'root':
      return [place.name];
    case 'scenario':
      return [ROOT.scenarios, place.scenarioId];
    case 'values':
      return [ROOT.scenarios, place.scenarioId, 'values'];
    default:
      return [];
  }
}

/**
 * The raw value at a path of map keys (Yjs types as they are), or ABSENT. A key set to
 * `undefined` is present (and invalid), not absent: it would otherwise hide in the map.
 */
export function rawAt(doc: Y.Doc, path: string[]): unknown {
  const [root, ...rest] = path;
  if (root === undefined || !doc.share.has(root)) return ABSENT;
  let current: unknown = doc.share.get(root);
  for (const key of rest) {
    if (!(current instanceof Y.Map) || !current.has(key)) return ABSENT;
    current = current.get(key);
  }
  return current;
}

/** Where a shared type sits, as a path of keys from its root; null outside the board layout. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Yjs types are generic over their event type
export function pathOfType(doc: Y.Doc, type: Y.AbstractType<any>): string[] | null {
  const place = placeOf(doc, type);
  return place.kind === 'unknown' ? null : basePath(place);
}

/** A Y.Map holding list items (possible only in a hand-made update): content no reader sees. */
export function hasListItems(map: Y.Map<unknown>): boolean {
  return map._start !== null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Yjs types are generic over their event type
function rootName(doc: Y.Doc, type: Y.AbstractType<any>): string | null {
  for (const [name, t] of doc.share) if (t === type) return name;
  return null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export function placeOf(doc: Y.Doc, type: Y.AbstractType<any>): Place {
  const item = type._item;
  if (item === null) {
    const name = rootName(doc, type);
    return name === null ? { kind: 'unknown' } : { kind: 'root', name };
  }
  const parent = item.parent;
  if (!(parent instanceof Y.AbstractType) || item.parentSub === null) return { kind: 'unknown' };
  const parentPlace = placeOf(doc, parent);
  if (parentPlace.kind === 'root' && parentPlace.name === ROOT.scenarios)
    return { kind: 'scenario', scenarioId: item.parentSub };
  if (parentPlace.kind === 'scenario' && item.parentSub === 'values')
    return { kind: 'values', scenarioId: parentPlace.scenarioId };
  return { kind: 'unknown' };
}
