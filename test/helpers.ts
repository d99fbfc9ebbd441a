/**
 * Test helpers: a real server on port 0 (no Next), real y-websocket clients over real sockets,
 * participant credentials from the real API, real socket.io clients.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import { SOCKET_IO_PATH, SOCKET_IO_TRANSPORTS, YMessage, type ServerNotice } from '../lib/protocol';
import { io as ioClient, type Socket } from 'socket.io-client';
import { loadConfig, type ServerConfig } from '../server/config';
import { createLogger } from '../server/logger';
import { createAppServer, type AppServer, type AppServerOptions } from '../server/app';
import type {
  ClientToServerEvents,
  IssuedParticipant,
  Participant,
  ServerToClientEvents,
} from '../lib/protocol';
import type { BoardStorage } from '../server/storage/types';
import { LiveView } from '../lib/client/liveView';

export function tempDir(prefix = 'sb-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface TestServer {
  server: AppServer;
  port: number;
  http: string;
  ws: string;
  config: ServerConfig;
  /** Closes the server once; a later call returns the first call's promise. */
  close(): Promise<void>;
}

/**
 * One socket.io adapter channel per test file (vitest runs each file in its own process): a file's
 * instances form one cluster, and a cross-instance query (fetchSockets) never waits on a server of
 * a file running beside it.
 */
export const TEST_ADAPTER_KEY = `sb:io:test:${process.pid}`;

/**
 * Start the real server (API, Yjs endpoint, socket.io; no Next) on a free port. Its rate limiters
 * use their own Redis keys unless `rateLimitKeyPrefix` is given (instances that share budgets).
 */
export async function startServer(
  env: Record<string, string> = {},
  storage?: BoardStorage,
  {
    rateLimitKeyPrefix = `sb:test:${randomUUID()}`,
    adapterKey = TEST_ADAPTER_KEY,
    ...options
  }: Pick<AppServerOptions, 'allowIssue' | 'rateLimitKeyPrefix' | 'adapterKey'> = {},
): Promise<TestServer> {
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: env.DATA_DIR ?? tempDir(),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...env,
  });
  const server = await createAppServer({
    config,
    logger: createLogger(config.logLevel),
    storage,
    next: false,
    ...options,
    rateLimitKeyPrefix,
    adapterKey,
  });
  const port = await server.listen();
  // Once: a test that closes its server itself (to restart on its data) leaves nothing for
  // closeAfterTest to do.
  let closing: Promise<void> | undefined;
  return {
    server,
    port,
    config,
    http: `http://127.0.0.1:${port}`,
    ws: `ws://127.0.0.1:${port}/yjs`,
    close: () => (closing ??= server.close()),
  };
}

/**
 * A new board. Its baseline is open for editors unless `body` says `baselineOpen: false`: most
 * tests are about syncing edits, not about the facilitator's rules (test/facilitation.test.ts).
 */
export async function createBoard(
  base: string,
  body: Record<string, unknown> = { title: 'Test board' },
): Promise<CreatedBoard> {
  const res = await fetch(`${base}/api/boards`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ baselineOpen: true, ...body }),
  });
  if (res.status !== 201) throw new Error(`create board: ${res.status} ${await res.text()}`);
  return (await res.json()) as CreatedBoard;
}

export interface CreatedBoard {
  id: string;
  path: string;
  url: string;
  /** The moderator's token. */
  token: string;
  tokens: { moderator: string; editor: string; viewer: string };
  links: { moderator: string; editor: string; viewer: string };
  joinCode: string;
}

export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  synced: Promise<void>;
  /** Notices the server sent on the Yjs socket (e.g. why an update was refused). */
  notices: ServerNotice[];
  destroy(): void;
}

/** A stock y-websocket client, as the browser uses it. */
export function connectClient(wsBase: string, boardId: string, token: string): TestClient {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(wsBase, boardId, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 200,
  });
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    else provider.once('sync', (isSynced: boolean) => isSynced && resolve());
  });
  const notices: ServerNotice[] = [];
  provider.messageHandlers[YMessage.notice] = (_encoder, decoder) => {
    notices.push(JSON.parse(decoding.readVarString(decoder)) as ServerNotice);
  };
  return {
    doc,
    provider,
    synced,
    notices,
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Poll `check` until it returns true (auto-waiting, like Playwright's expect.poll). */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A raw WebSocket to the Yjs endpoint, for sending hand-made frames. Resolves once open. */
export function rawSocket(
  wsBase: string,
  boardId: string,
  token = '',
): Promise<{
  ws: WebSocket;
  closed: Promise<{ code: number; reason: string }>;
  messages: Uint8Array[];
}> {
  const ws = new WebSocket(`${wsBase}/${boardId}?token=${encodeURIComponent(token)}`);
  const messages: Uint8Array[] = [];
  ws.on('message', (data: Buffer) => messages.push(new Uint8Array(data)));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, closed, messages }));
    ws.once('error', reject);
  });
}

/** `POST /api/boards/<id>/participants` as the browser calls it; `token` is a link or a credential. */
export async function requestCredential(
  base: string,
  boardId: string,
  token: string,
  participant: Participant = { name: 'Sam', color: '#2563eb' },
): Promise<Response> {
  return fetch(`${base}/api/boards/${boardId}/participants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(participant),
  });
}

/** A participant credential for `name` (throws unless the server issues one). */
export async function issueCredential(
  base: string,
  boardId: string,
  token: string,
  name = 'Sam',
  color = '#2563eb',
): Promise<IssuedParticipant> {
  const res = await requestCredential(base, boardId, token, { name, color });
  if (res.status !== 201 && res.status !== 200)
    throw new Error(`issue credential: ${res.status} ${await res.text()}`);
  return (await res.json()) as IssuedParticipant;
}

export type SessionSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * A socket.io client of the live session. `auth` extras are sent as given (a hostile client may
 * add anything); the server reads identity from the credential only.
 */
export function connectSession(
  base: string,
  boardId: string,
  token: string,
  extraAuth: Record<string, unknown> = {},
): SessionSocket {
  return ioClient(base, {
    path: SOCKET_IO_PATH,
    transports: SOCKET_IO_TRANSPORTS,
    auth: { ...extraAuth, boardId, token },
    reconnection: false,
    forceNew: true,
  });
}

/** Resolves once the socket is connected and has its session snapshot; rejects if refused. */
export function sessionReady(socket: SessionSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('session:snapshot', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
}

/**
 * The live state `socket` holds, kept current from the server's snapshot and batches, as the
 * browser keeps it (`lib/client/liveView.ts`). Attach before the snapshot arrives.
 */
export function followSession(socket: SessionSocket): LiveView {
  const view = new LiveView();
  socket.on('session:snapshot', (s) => view.snapshot(s));
  socket.on('session:changes', (c) => view.changes(c));
  socket.on('poll:state', (p) => view.pollState(p));
  socket.on('poll:myVote', (v) => view.myVote(v));
  socket.on('qa:state', (q) => view.qaState(q));
  socket.on('qa:myUpvote', (u) => view.myUpvote(u));
  return view;
}
