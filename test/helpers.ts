/**
 * Test helpers: a real server on port 0 (no Next), real y-websocket clients over real sockets.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import { loadConfig, type ServerConfig } from '../server/config';
import { createLogger } from '../server/logger';
import { createAppServer, type AppServer } from '../server/app';
import type { BoardStorage } from '../server/storage/types';

export function tempDir(prefix = 'sb-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface TestServer {
  server: AppServer;
  port: number;
  http: string;
  ws: string;
  config: ServerConfig;
  close(): Promise<void>;
}

/**
 * Start the real server (API, Yjs endpoint, socket.io; no Next) on a free port. Its rate limiters
 * use their own Redis keys unless `rateLimitKeyPrefix` is given (instances that share budgets).
 */
export async function startServer(
  env: Record<string, string> = {},
  storage?: BoardStorage,
  { rateLimitKeyPrefix = `sb:test:${randomUUID()}` }: { rateLimitKeyPrefix?: string } = {},
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
    rateLimitKeyPrefix,
  });
  const port = await server.listen();
  return {
    server,
    port,
    config,
    http: `http://127.0.0.1:${port}`,
    ws: `ws://127.0.0.1:${port}/yjs`,
    close: () => server.close(),
  };
}

export async function createBoard(
  base: string,
  body: Record<string, unknown> = { title: 'Test board' },
): Promise<CreatedBoard> {
  const res = await fetch(`${base}/api/boards`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
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
  return {
    doc,
    provider,
    synced,
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
