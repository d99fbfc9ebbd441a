/**
 * R11: revocation without races. Connections whose token was checked just before the links were
 * rotated must not join the board after the revocation ran. 100 connections (Yjs with a link or a
 * credential, socket.io with a credential) open while the links rotate; once everything settles,
 * none of them is still connected and nothing they sent after the rotation was stored or taken.
 * Repeated 100 times in a row on one server.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import WebSocket from 'ws';
import { readBoard, setAssumption } from '../lib/board/schema';
import { SocketEvent, YMessage, type AckResult } from '../lib/protocol';
import {
  connectSession,
  createBoard,
  issueCredential,
  startServer,
  type SessionSocket,
  type TestServer,
} from './helpers';

const ROUNDS = 100;
const CONNECTIONS = 100;
/** Connections opened before the rotation is sent, the rest right after it. */
const BEFORE_ROTATION = 50;

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

/** A sync-protocol update message, as a hand-made y-websocket client sends it. */
function updateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, YMessage.sync);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** An editor's valid edit against the board as stored now: conversionRate set to `value`. */
async function staleEdit(boardId: string, value: number): Promise<Uint8Array> {
  const state = await server.server.hub.withBoard(boardId, (b) => Y.encodeStateAsUpdate(b.doc));
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state!);
  const before = Y.encodeStateVector(doc);
  const scenarioId = readBoard(doc).scenarios[0]!.id;
  const result = setAssumption(doc, scenarioId, 'conversionRate', value);
  expect(result.ok).toBe(true);
  const update = Y.encodeStateAsUpdate(doc, before);
  doc.destroy();
  return update;
}

interface Attempt {
  /** Still connected, as the client sees it. */
  open(): boolean;
  /** Resolves once the connection is closed or refused. */
  settled: Promise<void>;
  /** Try to change something (after the rotation answered). */
  write(): void;
  /** True if the server accepted the write. */
  accepted(): boolean;
  close(): void;
}

function yjsAttempt(boardId: string, token: string, edit: Uint8Array): Attempt {
  const ws = new WebSocket(`${server.ws}/${boardId}?token=${encodeURIComponent(token)}`);
  ws.on('error', () => undefined);
  const settled = new Promise<void>((resolve) => ws.on('close', () => resolve()));
  return {
    open: () => ws.readyState === WebSocket.OPEN,
    settled,
    write: () => {
      if (ws.readyState === WebSocket.OPEN) ws.send(updateMessage(edit));
    },
    // What the server stored is checked on the board itself.
    accepted: () => false,
    close: () => ws.terminate(),
  };
}

function socketAttempt(boardId: string, credential: string): Attempt {
  const socket: SessionSocket = connectSession(server.http, boardId, credential);
  let accepted = false;
  const settled = new Promise<void>((resolve) => {
    socket.on('disconnect', () => resolve());
    socket.on('connect_error', () => resolve());
  });
  return {
    open: () => socket.connected,
    settled,
    write: () => {
      if (!socket.connected) return;
      socket.emit(SocketEvent.handRaise, (result: AckResult) => {
        if (result.ok) accepted = true;
      });
    },
    accepted: () => accepted,
    close: () => socket.disconnect(),
  };
}

it('R11: 100 connections opened while links rotate: none survives, nothing is stored, 100 times', async () => {
  const board = await createBoard(server.http, { title: 'Rotation race' });
  let tokens = board.tokens;
  const conversion = async () =>
    server.server.hub.withBoard(
      board.id,
      (b) => readBoard(b.doc).scenarios[0]!.values.conversionRate,
    );
  const original = await conversion();
  const storedBefore = (await server.server.hub.storage.loadDocument(board.id))!.lastSeq;
  let survivors = 0;
  let accepted = 0;

  for (let round = 0; round < ROUNDS; round++) {
    const { credential } = await issueCredential(server.http, board.id, tokens.editor, 'Old');
    const edit = await staleEdit(board.id, 10 + round / 100);
    const attempts: Attempt[] = [];
    const openOne = (k: number) =>
      attempts.push(
        k % 2 === 1
          ? socketAttempt(board.id, credential)
          : yjsAttempt(board.id, k % 4 === 0 ? tokens.editor : credential, edit),
      );
    for (let k = 0; k < BEFORE_ROTATION; k++) openOne(k);
    const rotation = fetch(`${server.http}/api/boards/${board.id}/rotate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.moderator}` },
    });
    for (let k = BEFORE_ROTATION; k < CONNECTIONS; k++) openOne(k);
    const rotated = await rotation;
    expect(rotated.status).toBe(200);
    tokens = ((await rotated.json()) as { tokens: typeof tokens }).tokens;

    // The rotation has answered: whatever is still open tries to write with its old token.
    for (const a of attempts) a.write();
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(resolve, 10_000, 'timeout'));
    await Promise.race([Promise.all(attempts.map((a) => a.settled)), timeout]);
    survivors += attempts.filter((a) => a.open()).length;
    accepted += attempts.filter((a) => a.accepted()).length;
    for (const a of attempts) a.close();
    expect({ round, survivors, accepted }).toEqual({ round, survivors: 0, accepted: 0 });
    expect(await conversion()).toBe(original);
  }
  // Nothing any of the 10,000 connections sent reached storage.
  expect((await server.server.hub.storage.loadDocument(board.id))!.lastSeq).toBe(storedBefore);
}, 120_000);
