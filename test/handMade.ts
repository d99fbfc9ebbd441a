/**
 * Hand-made clients for the Yjs endpoint: updates made on a copy of the server's board and sent
 * over a raw socket, as an attacker with a role link would send them (test/hostile.test.ts,
 * test/facilitation.test.ts).
 */
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { YMessage, type ServerNotice } from '../lib/protocol';
import { defineRoots } from '../lib/board/layout';
import { rawSocket, waitFor, type CreatedBoard, type TestServer } from './helpers';

/** A change made on the server (as a moderator would), to set the scene. */
export async function serverChange(s: TestServer, id: string, change: (doc: Y.Doc) => void) {
  await s.server.hub.withBoard(id, (b) => b.applyServerChange(change));
}

/** The server's document as a fresh copy, to make hand-made updates against. */
export async function serverCopy(s: TestServer, id: string): Promise<Y.Doc> {
  const state = await s.server.hub.withBoard(id, (b) => Y.encodeStateAsUpdate(b.doc));
  // No garbage collection: a hand-made update keeps content it deletes, as an attacker's would.
  const doc = new Y.Doc({ gc: false });
  defineRoots(doc);
  Y.applyUpdate(doc, state!);
  return doc;
}

/** A hand-made update: `change` applied to a copy of the board, encoded as the difference. */
export async function handMade(s: TestServer, id: string, change: (doc: Y.Doc) => void) {
  const doc = await serverCopy(s, id);
  const before = Y.encodeStateVector(doc);
  change(doc);
  return Y.encodeStateAsUpdate(doc, before);
}

export function presenceFrame(): Uint8Array {
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, 1); // one state
  encoding.writeVarUint(update, Math.floor(Math.random() * 2 ** 30)); // awareness client id
  encoding.writeVarUint(update, 1); // clock
  encoding.writeVarString(update, '{}');
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, YMessage.awareness);
  encoding.writeVarUint8Array(encoder, encoding.toUint8Array(update));
  return encoding.toUint8Array(encoder);
}

export function updateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, YMessage.sync);
  encoding.writeVarUint(encoder, 2); // sync update
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** A raw connection that collects the server's notices. */
export async function attacker(
  s: TestServer,
  board: CreatedBoard,
  role: 'viewer' | 'editor' | 'moderator',
  /** Told of the socket, so the test can close it afterwards. */
  track: (raw: { ws: { close(): void } }) => void,
) {
  const raw = await rawSocket(s.ws, board.id, board.tokens[role]);
  track(raw);
  const notices = (): ServerNotice[] =>
    raw.messages
      .map((m) => decoding.createDecoder(m))
      .filter((d) => decoding.readVarUint(d) === YMessage.notice)
      .map((d) => JSON.parse(decoding.readVarString(d)) as ServerNotice);
  // A presence state of its own (a viewer's is kept but never relayed). A presence query is
  // answered whatever is shared, so it serves as the round trip below.
  raw.ws.send(presenceFrame());
  const roundTrip = async () => {
    const answers = raw.messages.length;
    raw.ws.send(new Uint8Array([YMessage.queryAwareness]));
    await waitFor(() => raw.messages.length > answers || raw.ws.readyState !== 1, 'answer');
  };
  return {
    ...raw,
    notices,
    /** Send an update and wait for the server's verdict (a notice) on it. */
    async send(update: Uint8Array): Promise<ServerNotice | null> {
      const seen = notices().length;
      raw.ws.send(updateFrame(update));
      // The server answers a presence query as soon as it reads it, so once the answer is here
      // the update before it is in the board's queue; then wait for the queue.
      await roundTrip();
      await s.server.hub.withBoard(board.id, (b) => b.enqueue(() => undefined));
      // And once more, so that whatever the server sent while handling it has arrived.
      await roundTrip();
      return notices()[seen] ?? null;
    },
  };
}
