import * as Y from 'yjs';
import { ROOT, defineRoots } from '../../lib/board/schema';

const REFUSED = Symbol('refused update');

/**
 * The update that takes a client which applied `refused` on top of `truth` back to the true
 * state. The server never applies a refused update, but the client that sent it already has it;
 * this undoes it there (Yjs UndoManager on a scratch copy), so the client converges without a
 * reload. Once the client sends both back, their net effect is no change, which the server accepts.
 */
export function correctionFor(truth: Y.Doc, refused: Uint8Array): Uint8Array | null {
  const scratch = new Y.Doc({ gc: false });
  try {
    defineRoots(scratch);
    Y.applyUpdate(scratch, Y.encodeStateAsUpdate(truth));
    const scope = Object.values(ROOT).map((name) =>
      name === ROOT.scenarioOrder ? scratch.getArray(name) : scratch.getMap(name),
    );
    const undo = new Y.UndoManager(scope, {
      trackedOrigins: new Set([REFUSED]),
      captureTimeout: 0,
    });
    Y.applyUpdate(scratch, refused, REFUSED);
    const before = Y.encodeStateVector(scratch);
    undo.undo();
    undo.destroy();
    const correction = Y.encodeStateAsUpdate(scratch, before);
    return isEmptyUpdate(correction) ? null : correction;
  } catch {
    return null;
  } finally {
    scratch.destroy();
  }
}

/** An update with no structs and no deletions ([0, 0]): a client's "nothing new". */
export function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length <= 2 && update.every((b) => b === 0);
}
