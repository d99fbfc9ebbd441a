/**
 * Builds the whole server on one HTTP server: the API, the Yjs endpoint, socket.io and
 * (optionally) Next. Tests build it without Next on port 0; `index.ts` builds it with Next.
 */
import http from 'node:http';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { ServerConfig } from './config';
import type { Logger } from './logger';
import type { BoardStorage } from './storage/types';
import { SqliteStorage } from './storage/sqlite';
import { BoardHub } from './collab/hub';
import { createApiHandler, sendJson, type ApiOptions } from './http/api';
import { createYjsEndpoint } from './yjsEndpoint';
import { createLiveSession, type LiveSession } from './live/session';
import { TokenService } from './auth/tokens';
import { AccessControl } from './auth/access';
import { loadOrCreateSecret } from './auth/secret';
import { LINK_REPLACED_MESSAGE, SOCKET_IO_PATH } from '../lib/protocol';
import { Redis } from 'ioredis';
import { createAdapter } from '@socket.io/redis-adapter';
import { RedisBoardBus } from './collab/bus';
import { RateLimitedError, createRateLimits, type RateLimits } from './http/rateLimits';
import { BASE_SECURITY_HEADERS, setBaseSecurityHeaders } from './http/securityHeaders';
import { OutboundBudget } from './outboundBudget';
import { ConnectionLimiter } from './connectionLimits';
import { guardSocketIo } from './socketIoGuards';

export interface AppServerOptions {
  config: ServerConfig;
  logger: Logger;
  /** Defaults to SQLite in config.dataDir. */
  storage?: BoardStorage;
  /** Serve the Next app (pages). Off in integration tests, which only need the API and sockets. */
  next?: { dir: string } | false;
  /** Per-address limit on new participant ids (see ApiOptions.allowIssue); default: no limit. */
  allowIssue?: ApiOptions['allowIssue'];
  /** Prefix of the rate limiters' Redis keys (tests give each test its own). */
  rateLimitKeyPrefix?: string;
}

export interface AppServer {
  httpServer: http.Server;
  hub: BoardHub;
  /** Unsent bytes across all connections (for stats and tests). */
  outbound: OutboundBudget;
  connectionLimits: ConnectionLimiter;
  tokens: TokenService;
  /** Request budgets and the client address (for routes that spend them). */
  limits: RateLimits;
  /** Listen on config.port (0 picks a free port); resolves to the bound port. */
  listen(): Promise<number>;
  close(): Promise<void>;
}

/** SQLite in the data folder by default; PostgreSQL when DATABASE_URL is set. */
async function openStorage(config: ServerConfig): Promise<BoardStorage> {
  if (config.databaseUrl) {
    const { PostgresStorage } = await import('./storage/postgres');
    return PostgresStorage.connect(config.databaseUrl);
  }
  return new SqliteStorage(path.join(config.dataDir, 'boards.sqlite'));
}

export async function createAppServer(options: AppServerOptions): Promise<AppServer> {
  const { config, logger } = options;
  const storage = options.storage ?? (await openStorage(config));
  // Several instances: documents and presence fan out over Redis, socket.io uses its adapter.
  const bus = config.redisUrl ? new RedisBoardBus(config.redisUrl, logger) : undefined;
  const hub = new BoardHub({
    storage,
    logger,
    idleUnloadMs: config.idleUnloadMs,
    compactAfterUpdates: config.compactAfterUpdates,
    rateLimit: config.rateLimit,
    refusals: config.refusals,
    maxBufferedBytes: config.maxBufferedBytesPerConnection,
    bus,
  });
  // Shared by both transports: unsent bytes server-wide, open connections per address.
  const outbound = new OutboundBudget({
    total: config.maxBufferedBytesTotal,
    perConnection: config.maxBufferedBytesPerConnection,
  });
  const connectionLimits = new ConnectionLimiter(config.maxConnectionsPerAddress);
  const tokens = new TokenService(loadOrCreateSecret(config.tokenSecret, config.dataDir));
  const access = new AccessControl(tokens, storage);
  // Redis connections for socket.io's adapter: [publisher (also runs the rate limiters' commands), subscriber].
  const redisClients = config.redisUrl
    ? [new Redis(config.redisUrl), new Redis(config.redisUrl)]
    : [];
  const limits = createRateLimits({
    trustedProxies: config.trustProxy,
    boardsPerHour: config.boardsPerHour,
    redis: redisClients[0],
    keyPrefix: options.rateLimitKeyPrefix,
  });
  // The client address connections are counted under: behind a proxy (TRUST_PROXY), the one it names.
  const addressOf = (req: http.IncomingMessage) => limits.clientAddress(req);
  let live: LiveSession | null = null;
  const handleApi = createApiHandler({
    hub,
    logger,
    tokens,
    access,
    limits,
    // New participant ids are budgeted per client address (a venue shares one: see rateLimits.ts).
    allowIssue:
      options.allowIssue ??
      ((req) =>
        limits.participantIssue.consume(limits.clientAddress(req)).then(
          () => ({ ok: true as const }),
          (err: unknown) => {
            if (!(err instanceof RateLimitedError)) throw err;
            return { ok: false as const, retryAfterMs: err.retryAfterSeconds * 1000 };
          },
        )),
    // Called once the new epoch is stored: close old-link connections here and on other instances.
    onLinksRotated: async (boardId, epoch) => {
      hub.revokeBefore(boardId, epoch, LINK_REPLACED_MESSAGE);
      await live?.revokeBefore(boardId, epoch, LINK_REPLACED_MESSAGE).catch((err: unknown) => {
        logger.error({ err, board: boardId }, 'revoking live sessions failed');
      });
    },
  });

  let nextRequest: ((req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>) | null =
    null;
  let nextUpgrade:
    | ((
        req: http.IncomingMessage,
        socket: import('node:stream').Duplex,
        head: Buffer,
      ) => Promise<void>)
    | null = null;
  if (options.next) {
    const { default: next } = await import('next');
    // Next attaches an 'upgrade' listener to whatever httpServer it is given and closes upgrades
    // it thinks are its own (every path, with a catch-all page). Give it a dummy emitter and
    // forward only /_next/* (dev HMR) to it.
    const nextUpgrades = new EventEmitter();
    const app = next({
      dev: config.dev,
      dir: options.next.dir,
      hostname: 'localhost',
      port: config.port,
      httpServer: nextUpgrades as unknown as http.Server,
    });
    await app.prepare();
    const requestHandler = app.getRequestHandler();
    nextRequest = (req, res) => requestHandler(req, res);
    // Next attaches its upgrade listener to the emitter on its first request.
    nextUpgrade = (req, socket, head) => {
      nextUpgrades.emit('upgrade', req, socket, head);
      return Promise.resolve();
    };
  }

  const httpServer = http.createServer((req, res) => {
    setBaseSecurityHeaders(res);
    handleApi(req, res)
      .then(async (handled) => {
        if (handled) return;
        if (nextRequest) return nextRequest(req, res);
        sendJson(res, 404, { error: 'not found' });
      })
      .catch((err: unknown) => {
        logger.error({ err }, 'request failed');
        if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
        else res.end();
      });
  });

  const yjs = createYjsEndpoint({
    hub,
    access,
    logger,
    maxMessageBytes: config.maxMessageBytes,
    outbound,
    connectionLimits,
    addressOf,
  });
  live = createLiveSession({
    httpServer,
    hub,
    access,
    logger,
    maxMessageBytes: config.maxMessageBytes,
    handGraceMs: config.handGraceMs,
    adapter:
      redisClients.length === 2
        ? createAdapter(redisClients[0], redisClients[1], { key: 'sb:io' })
        : undefined,
  });
  const { io } = live;
  // socket.io answers its HTTP long-polling requests itself, before the handler above.
  const addBaseHeaders = (headers: Record<string, string>) =>
    void Object.assign(headers, BASE_SECURITY_HEADERS);
  io.engine.on('initial_headers', addBaseHeaders);
  io.engine.on('headers', addBaseHeaders);
  guardSocketIo(io, { outbound, connectionLimits, addressOf });

  httpServer.on('upgrade', (req, socket, head) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (yjs.matches(pathname)) return yjs.handleUpgrade(req, socket, head);
    if (pathname.startsWith(`${SOCKET_IO_PATH}/`)) return; // socket.io's own listener takes it
    if (nextUpgrade && pathname.startsWith('/_next/')) return void nextUpgrade(req, socket, head);
    socket.destroy();
  });

  return {
    httpServer,
    hub,
    outbound,
    connectionLimits,
    tokens,
    limits,
    listen: () =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(config.port, config.host, () => {
          httpServer.off('error', reject);
          resolve((httpServer.address() as AddressInfo).port);
        });
      }),
    async close() {
      yjs.close();
      await new Promise<void>((resolve) => void io.close(() => resolve()));
      await hub.close();
      await Promise.allSettled(redisClients.map((c) => c.quit()));
      await storage.close();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
