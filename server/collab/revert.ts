/**
 * Undo a refused write inside the transaction that applied it to the probe, so that the probe
 * ends the transaction with the same content as the document, and the transaction's update is
 * the write plus its own undo. That update is what the sender needs to converge (it already
 * applied the write), and it carries no refused content: deleted content is garbage-collected
 * before Yjs encodes a transaction. Cost: the write's own size.
 */
import * as Y from 'yjs';
import { ROOT } from '../../lib/board/layout';
import { sameValue } from '../../lib/board/plainValue';
import { ABSENT } from '../../lib/board/refusal';
import { pathOfType, rawAt } from '../../lib/board/docPaths';

export function revertTransaction(
  probe: Y.Doc,
  truth: Y.Doc,
  tr: Y.Transaction,
  /** The Yjs clients whose structs the write may have inserted. */
  clients: Iterable<number>,
): void {
  // 1. Delete everything the write inserted (including hidden content no reader sees).
  for (const client of new Set(clients)) {
    const structs = probe.store.clients.get(client);
    const before = tr.beforeState.get(client) ?? 0;
    if (!structs || Y.getState(probe.store, client) <= before) continue;
    for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
      const struct = structs[i];
      if (struct instanceof Y.Item && !struct.deleted) struct.delete(tr);
    }
  }
  // 2. Put back what the document has at every key the write touched (its deletions, and keys
  //    whose winning value was one of the items just deleted).
  for (const [type, keys] of [...tr.changed]) {
    if (type._item?.deleted) continue;
    const base = pathOfType(probe, type);
    if (base === null) throw new Error('refused write touched a type outside the board');
    if (base[0] === ROOT.scenarioOrder && type instanceof Y.Array) {
      const wanted = truth.getArray(ROOT.scenarioOrder).toArray();
      if (!sameValue(type.toArray(), wanted)) {
        type.delete(0, type.length);
        type.insert(0, wanted);
      }
      continue;
    }
    if (!(type instanceof Y.Map)) throw new Error('refused write touched a type outside the board');
    for (const key of keys) {
      if (key === null) continue;
      const wanted = rawAt(truth, [...base, key]);
      if (sameValue(type.has(key) ? type.get(key) : ABSENT, wanted)) continue;
      if (wanted === ABSENT) type.delete(key);
      else type.set(key, copyValue(wanted));
    }
  }
}

/** A fresh copy of a document value (a Yjs type cannot live in two places). */
function copyValue(value: unknown): unknown {
  if (value instanceof Y.Map) {
    const copy = new Y.Map<unknown>();
    for (const [key, v] of value.entries()) copy.set(key, copyValue(v));
    return copy;
  }
  if (value instanceof Y.Array) {
    const copy = new Y.Array<unknown>();
    copy.insert(0, value.toArray().map(copyValue));
    return copy;
  }
  return value;
}
