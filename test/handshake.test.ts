/**
 * The version handshake (lib/protocol.ts): clients send their protocol and schema version on the
 * Yjs endpoint (query parameters) and on socket.io (auth); a client too old for the server is
 * closed with CloseCode.clientOutdated (4426, "This board was updated: reload") before anything
 * of the board reaches it. Real server on port 0, real sockets.
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CloseCode,
  MIN_CLIENT_VERSIONS,
  PROTOCOL_VERSION,
  clientVersionProblem,
  closeReason,
} from '../lib/protocol';
import { SCHEMA_VERSION } from '../lib/board/schemaVersion';
import {
  connectClient,
  connectSession,
  createBoard,
  issueCredential,
  sessionReady,
  startServer,
  type TestServer,
} from './helpers';

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(async () => {
  await s.close();
});

/** Open the Yjs endpoint with `query`; resolves with how it closed, or 'open' after 500 ms. */
function yjsOutcome(
  boardId: string,
  query: string,
): Promise<{ code: number; reason: string; frames: number } | 'open'> {
  const ws = new WebSocket(`${s.ws}/${boardId}?${query}`);
  let frames = 0;
  ws.on('message', () => frames++);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      ws.close();
      resolve('open');
    }, 500);
    ws.on('close', (code, reason) => {
      clearTimeout(timer);
      resolve({ code, reason: reason.toString(), frames });
    });
  });
}

describe('version handshake', () => {
  it('the rule: older than the minimum is outdated, missing fields are today’s legacy client', () => {
    expect(clientVersionProblem({ protocol: '1', schema: '1' })).toBeNull();
    expect(clientVersionProblem({})).toBeNull();
    expect(clientVersionProblem({ protocol: 0 })).toBe('outdated');
    expect(clientVersionProblem({ protocol: 'x' })).toBe('malformed');
    expect(clientVersionProblem({ schema: '-1' })).toBe('malformed');
    // Once a migration needs newer clients, today's are told to reload.
    const raised = { protocol: 1, schema: SCHEMA_VERSION + 1 };
    expect(clientVersionProblem({ protocol: '1', schema: String(SCHEMA_VERSION) }, raised)).toBe(
      'outdated',
    );
    expect(clientVersionProblem({}, raised)).toBe('outdated');
    expect(MIN_CLIENT_VERSIONS.protocol).toBeLessThanOrEqual(PROTOCOL_VERSION);
    expect(MIN_CLIENT_VERSIONS.schema).toBeLessThanOrEqual(SCHEMA_VERSION);
  });

  it('Yjs: a too-old client is closed with 4426 before any board data; current and legacy clients sync', async () => {
    const board = await createBoard(s.http, { title: 'Handshake' });
    const token = encodeURIComponent(board.tokens.editor);
    const old = await yjsOutcome(board.id, `token=${token}&protocol=0&schema=0`);
    expect(old).toEqual({
      code: CloseCode.clientOutdated,
      reason: closeReason[CloseCode.clientOutdated],
      frames: 0,
    });
    const garbled = await yjsOutcome(board.id, `token=${token}&protocol=one`);
    expect(garbled).toMatchObject({ code: CloseCode.malformed });
    expect(
      await yjsOutcome(
        board.id,
        `token=${token}&protocol=${PROTOCOL_VERSION}&schema=${SCHEMA_VERSION}`,
      ),
    ).toBe('open');
    // The stock client without version fields (scripts, tabs from before the handshake).
    const legacy = connectClient(s.ws, board.id, board.tokens.editor);
    await legacy.synced;
    legacy.destroy();
  });

  it('socket.io: a too-old client’s connect fails with status 426 and the same words', async () => {
    const board = await createBoard(s.http, { title: 'Handshake io' });
    const { credential } = await issueCredential(s.http, board.id, board.tokens.editor);
    const old = connectSession(s.http, board.id, credential, { protocol: 0, schema: 0 });
    const error = await new Promise<Error & { data?: { status?: number; code?: number } }>(
      (resolve) => old.once('connect_error', resolve),
    );
    expect(error.message).toBe(closeReason[CloseCode.clientOutdated]);
    expect(error.data).toEqual({ status: 426, code: CloseCode.clientOutdated });
    old.close();
    const current = connectSession(s.http, board.id, credential, {
      protocol: PROTOCOL_VERSION,
      schema: SCHEMA_VERSION,
    });
    await sessionReady(current);
    current.close();
  });
});
