/**
 * A look at an incoming Yjs update before anything is applied, in time proportional to the
 * update (never to the board):
 *
 * - its shape: only what boards are made of (map entries holding plain values, nested maps,
 *   deletions), under root names a board has and keys of sane length. Anything else (text,
 *   XML, binary, embedded documents, unknown roots) is refused before it touches a document,
 *   so even its tombstone never reaches storage;
 * - whether it could change anything at all: a client's sync step 2 usually repeats what the
 *   server has (no new structs, deletions already made) and is dropped without further work.
 */
import * as Y from 'yjs';
import { ROOT_NAMES } from '../../lib/board/layout';
import { KEY_MAX } from '../../lib/board/limits';

export type Inspection =
  | { ok: false; problem: string; tooLarge?: true }
  | {
      ok: true;
      /** Structs the document does not have yet. */
      addsStructs: boolean;
      /** Deletions of items the document still shows. */
      deletesLive: boolean;
      /** Clients whose structs the update carries (to find what it inserted). */
      clients: number[];
    };

/**
 * Items with content one update may carry. A board at its limits holds fewer (30 scenarios of
 * ~25 items, 2,000 comments, the log), so only a hand-made update reaches this; refusing it here
 * costs a decode, not an apply and an undo.
 */
export const UPDATE_ITEMS_MAX = 10_000;

/** Struct-walk limit for checking deletions; past it, the update is assumed to delete something. */
const DELETE_SCAN_MAX = 50_000;

export function inspectUpdate(doc: Y.Doc, update: Uint8Array): Inspection {
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch (err) {
    return { ok: false, problem: `undecodable update (${errorName(err)})` };
  }
  const clients = new Set<number>();
  let addsStructs = false;
  let items = 0;
  for (const struct of decoded.structs) {
    if (struct instanceof Y.Skip) continue;
    const { client, clock } = struct.id;
    clients.add(client);
    if (clock + struct.length > Y.getState(doc.store, client)) addsStructs = true;
    if (!(struct instanceof Y.Item)) continue; // GC: a length, nothing else
    const { parent, parentSub, content } = struct;
    if (!(content instanceof Y.ContentDeleted) && ++items > UPDATE_ITEMS_MAX)
      return {
        ok: false,
        problem: `more than ${UPDATE_ITEMS_MAX} items in one update`,
        tooLarge: true,
      };
    if (typeof parent === 'string' && !ROOT_NAMES.has(parent))
      return { ok: false, problem: 'names a part no board has' };
    if (parentSub !== null && parentSub.length > KEY_MAX)
      return { ok: false, problem: 'key too long' };
    if (
      !(content instanceof Y.ContentAny) &&
      !(content instanceof Y.ContentDeleted) &&
      !(content instanceof Y.ContentType && content.type.constructor === Y.Map)
    )
      return { ok: false, problem: `${content.constructor.name} is not used by boards` };
  }
  return {
    ok: true,
    addsStructs,
    deletesLive: deletesLiveItems(doc, decoded.ds),
    clients: [...clients],
  };
}

function deletesLiveItems(doc: Y.Doc, ds: ReturnType<typeof Y.decodeUpdate>['ds']): boolean {
  let scanned = 0;
  for (const [client, ranges] of ds.clients) {
    const structs = doc.store.clients.get(client);
    if (!structs) continue; // deletions of unknown items change nothing visible
    const state = Y.getState(doc.store, client);
    for (const { clock, len } of ranges) {
      if (clock >= state) continue;
      for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
        const struct = structs[i]!;
        if (struct.id.clock >= clock + len) break;
        if (!struct.deleted) return true;
        if (++scanned > DELETE_SCAN_MAX) return true;
      }
    }
  }
  return false;
}

const errorName = (err: unknown) => (err instanceof Error ? err.name : 'error');
