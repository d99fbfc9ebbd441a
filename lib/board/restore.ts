/**
 * Rolling a board back to a saved version, and what a version's content is (for comparing).
 * The decision log and comments are the record: a rollback keeps them as they are.
 */
import * as Y from 'yjs';
import { ROOT, orderOf, scenariosOf } from './layout';
import { boardModel } from './meta';
import { insertScenario, readScenario } from './scenarios';
import { readBoard } from './boardState';

/** Roots a rollback restores. */
const RESTORED_MAPS = [ROOT.meta, ROOT.locks, ROOT.bands, ROOT.presenter, ROOT.polls] as const;

/**
 * Make `live`'s content equal to `from`'s (a saved version) as ordinary edits, so every client
 * follows. Comments and the decision log are kept.
 */
export function restoreContent(live: Y.Doc, from: Y.Doc): void {
  live.transact(() => {
    for (const name of RESTORED_MAPS) {
      const target = live.getMap<unknown>(name);
      const source = from.getMap<unknown>(name);
      // The layout's version belongs to the live document, not to the content restored into it.
      const kept = (key: string) => name === ROOT.meta && key === 'schemaVersion';
      for (const key of [...target.keys()]) if (!source.has(key) && !kept(key)) target.delete(key);
      for (const [key, value] of source.entries()) {
        if (kept(key)) continue;
        if (JSON.stringify(target.get(key)) !== JSON.stringify(value)) target.set(key, value);
      }
    }
    const targetScenarios = scenariosOf(live);
    const sourceScenarios = scenariosOf(from);
    for (const id of [...targetScenarios.keys()])
      if (!sourceScenarios.has(id)) targetScenarios.delete(id);
    for (const id of sourceScenarios.keys()) {
      const s = readScenario(from, id);
      if (!s) continue;
      const existing = targetScenarios.get(id);
      const values = existing instanceof Y.Map ? existing.get('values') : undefined;
      if (!(existing instanceof Y.Map) || !(values instanceof Y.Map)) {
        // Under its own id, outside the order: the order is set below.
        insertScenario(live, id, s, false);
        continue;
      }
      for (const [key, v] of [
        ['name', s.name],
        ['color', s.color],
        ['notes', s.notes],
        ['createdAt', s.createdAt],
      ] as const) {
        if (existing.get(key) !== v) existing.set(key, v);
      }
      for (const key of boardModel(from).assumptionIds)
        if (values.get(key) !== s.values[key]) values.set(key, s.values[key]);
    }
    const order = orderOf(live);
    const wanted = orderOf(from).toArray();
    if (JSON.stringify(order.toArray()) !== JSON.stringify(wanted)) {
      order.delete(0, order.length);
      order.push(wanted);
    }
  });
}

/** The parts of a board a version compares and restores, as plain data (for equality checks). */
export function boardContent(doc: Y.Doc): unknown {
  const out: Record<string, unknown> = {};
  for (const name of RESTORED_MAPS) out[name] = doc.getMap(name).toJSON();
  out.scenarios = readBoard(doc).scenarios;
  return out;
}
