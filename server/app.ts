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
import {
  DurableSessions,
  anonymousVoterKey,
  redisSessionStore,
  storageSessionStore,
} from './live/durable';
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
import { NO_METRICS, createMetrics, type Metrics } from './metrics';
import { createOpsHandler } from './http/ops';
import { randomUUID } from 'node:crypto';
import { SELF_ORIGIN_ENV } from '../lib/selfOrigin';

/**
 * Connections the kernel holds for the server while its event loop is busy (Node's default is
 * 511; Linux caps this at net.core.somaxconn, 4096 by default since 5.4). When a server restarts
 * under a full room, every phone reconnects at once (the stock y-websocket client's backoff has
 * no jitter) with two connections each: past the queue the kernel drops their handshakes and
 * they try again a second or more later. With 1,000 people coming back at once it dropped
 * 1,200-2,800 handshakes at 511 (the board back at p99 4.5-5.0 s after the server was), none at
 * 4096 (3.2-3.6 s; bench:scale, scenario restart).
 */
export const LISTEN_BACKLOG = 4096;

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
  /**
   * The socket.io Redis adapter's channel prefix: instances with the same key form one cluster
   * (tests give each test its own, so one test's instances never wait on another's).
   */
  adapterKey?: string;
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
  metrics: Metrics;
  /** The socket.io live session (for tests and stats). */
  liveSession: LiveSession;
  /** Listen on config.port (0 picks a free port); resolves to the bound port. */
  listen(): Promise<number>;
  /**
   * Graceful shutdown: not ready at once (/readyz 503, new upgrades refused), still serving for
   * SHUTDOWN_DRAIN_MS, then stop listening, store queued writes, close every client with 1012
   * (Yjs) or a transport close (socket.io) so it reconnects, close Redis and storage.
   */
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
  const metrics = config.metrics.enabled ? createMetrics() : NO_METRICS;
  // Several instances: documents and presence fan out over Redis, socket.io uses its adapter.
  const bus = config.redisUrl
    ? new RedisBoardBus(config.redisUrl, logger, undefined, {
        reconnect: () => metrics.busReconnect(),
        connected: (up) => metrics.busConnected(up),
        lag: (seconds) => metrics.busLag(seconds),
      })
    : undefined;
  const hub = new BoardHub({
    metrics,
    storage,
    logger,
    idleUnloadMs: config.idleUnloadMs,
    compactAfterUpdates: config.compactAfterUpdates,
    rateLimit: config.rateLimit,
    refusals: config.refusals,
    bus,
  });
  // Shared by both transports: unsent bytes server-wide, open connections per address.
  const outbound = new OutboundBudget({
    total: config.maxBufferedBytesTotal,
    perConnection: config.maxBufferedBytesPerConnection,
  });
  const connectionLimits = new ConnectionLimiter(config.maxConnectionsPerAddress);
  const secret = loadOrCreateSecret(config.tokenSecret, config.dataDir);
  const tokens = new TokenService(secret);
  const access = new AccessControl(tokens, storage);
  // Redis connections for socket.io's adapter: [publisher (also runs the rate limiters' commands), subscriber].
  const redisClients = config.redisUrl
    ? [new Redis(config.redisUrl), new Redis(config.redisUrl)]
    : [];
  // ioredis reconnects by itself; without a listener each failed attempt prints a warning.
  for (const client of redisClients)
    client.on('error', (err: Error) =>
      logger.warn({ err: err.message }, 'redis connection problem'),
    );
  const limits = createRateLimits({
    trustedProxies: config.trustProxy,
    boardsPerHour: config.boardsPerHour,
    participantsPerMinute: config.participantsPerAddressPerMinute,
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
    onLinksRotated: async (boardId, epochs) => {
      hub.revokeBefore(boardId, epochs, LINK_REPLACED_MESSAGE);
      await live?.revokeBefore(boardId, epochs, LINK_REPLACED_MESSAGE).catch((err: unknown) => {
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

  let draining = false;
  /** Answers within this, or readiness fails: a hung database must not hang the probe. */
  const READY_CHECK_MS = 2000;
  const withinReadyCheck = (check: Promise<unknown>, what: string) =>
    Promise.race([
      check.then(() => null),
      new Promise<string>((resolve) =>
        setTimeout(() => resolve(`${what} did not answer`), READY_CHECK_MS).unref(),
      ),
    ]).catch(() => `${what} unreachable`);
  const handleOps = createOpsHandler({
    metrics,
    metricsToken: config.metrics.token,
    async notReadyReason() {
      if (draining) return 'shutting down';
      return withinReadyCheck(storage.ping(), 'storage');
    },
    // Redis is shared by every instance: failing readiness on it would take them all out of the
    // balancer at once. Without it an instance still serves its own clients, and its boards
    // catch up from storage when it returns (collab/bus.ts), so it only degrades.
    async degradedReason() {
      const redis = redisClients[0];
      if (!redis) return null;
      // Reconnecting: a PING would wait in ioredis's offline queue.
      if (redis.status !== 'ready') return 'redis unreachable';
      return withinReadyCheck(redis.ping(), 'redis');
    },
  });
  metrics.observe({
    boardsLoaded: () => hub.stats().boards,
    pool:
      'poolStats' in storage && typeof storage.poolStats === 'function'
        ? () => (storage.poolStats as () => { total: number; idle: number; waiting: number })()
        : undefined,
  });

  const httpServer = http.createServer((req, res) => {
    setBaseSecurityHeaders(res);
    handleOps(req, res)
      .then((handled) => handled || handleApi(req, res))
      .then(async (handled) => {
        if (handled) return;
        if (nextRequest) return nextRequest(req, res);
        sendJson(res, 404, { error: 'not found' });
      })
      .catch((err: unknown) => {
        // The request id ties this line to the client's report (X-Request-Id if a proxy set one).
        const requestId = req.headers['x-request-id'] ?? randomUUID();
        logger.error({ err, requestId, method: req.method, url: req.url }, 'request failed');
        if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
        else res.end();
      });
  });

  const yjs = createYjsEndpoint({
    hub,
    access,
    logger,
    maxMessageBytes: config.maxMessageBytes,
    heartbeatMs: config.heartbeatMs,
    outbound,
    connectionLimits,
    addressOf,
    metrics,
  });
  live = createLiveSession({
    httpServer,
    hub,
    access,
    logger,
    maxMessageBytes: config.maxMessageBytes,
    handGraceMs: config.handGraceMs,
    // Timer, polls, hands and Q&A outlive the process: in Redis (shared) or else in storage.
    durable: new DurableSessions(
      redisClients[0] ? redisSessionStore(redisClients[0]) : storageSessionStore(storage),
      logger,
      metrics,
    ),
    voterKey: anonymousVoterKey(secret),
    adapter:
      redisClients.length === 2
        ? createAdapter(redisClients[0], redisClients[1], { key: options.adapterKey ?? 'sb:io' })
        : undefined,
  });
  const { io } = live;
  // socket.io answers its HTTP long-polling requests itself, before the handler above.
  const addBaseHeaders = (headers: Record<string, string>) =>
    void Object.assign(headers, BASE_SECURITY_HEADERS);
  io.engine.on('initial_headers', addBaseHeaders);
  io.engine.on('headers', addBaseHeaders);
  guardSocketIo(io, { outbound, connectionLimits, addressOf });
  io.on('connection', (socket) => {
    // `on`, not `once`: 'disconnect' comes once, and a once wrapper is ~0.13 KB per socket kept for
    // its life (issue 12's 20 KB per participant).
    socket.on('disconnect', metrics.connectionOpened('socketio', socket.data.entry.role));
  });
  // While draining, new socket.io connections (polling handshakes and upgrades) go elsewhere.
  io.engine.use(
    (req: http.IncomingMessage, res: http.ServerResponse, next: (err?: unknown) => void) => {
      if (!draining) return next();
      sendJson(res, 503, { error: 'server restarting' });
    },
  );

  httpServer.on('upgrade', (req, socket, head) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    // socket.io's own listener takes it (and turns it away while draining: see above).
    if (pathname.startsWith(`${SOCKET_IO_PATH}/`)) return;
    if (draining) {
      socket.end(
        'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n',
      );
      return;
    }
    if (yjs.matches(pathname)) return yjs.handleUpgrade(req, socket, head);
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
    metrics,
    liveSession: live,
    listen: () =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen({ port: config.port, host: config.host, backlog: LISTEN_BACKLOG }, () => {
          httpServer.off('error', reject);
          const { port } = httpServer.address() as AddressInfo;
          // The pages Next renders in this process reach the API through it (app/ never imports
          // server/): tell them where, including the real port when configured with port 0.
          if (options.next) process.env[SELF_ORIGIN_ENV] = originOf(config.host, port);
          resolve(port);
        });
      }),
    async close() {
      draining = true;
      if (config.shutdown.drainMs > 0)
        await new Promise((resolve) => setTimeout(resolve, config.shutdown.drainMs));
      // Stop listening: nothing new reaches this instance from here on.
      const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      // Queued writes are stored, then every Yjs client is closed with 1012 (it reconnects).
      await hub.close();
      await yjs.close(1000);
      // socket.io: a transport close (not a server "disconnect"), so clients reconnect.
      await new Promise<void>((resolve) => void io.close(() => resolve()));
      live?.stop();
      await Promise.all(redisClients.map((c) => connectedOrGivenUp(c)));
      // Live sessions changed in the last moments (and hands whose owners just left) are stored.
      await live?.flush();
      await Promise.allSettled(redisClients.map((c) => c.quit()));
      await storage.close();
      httpServer.closeAllConnections();
      await stopped;
    },
  };
}

/** Where code in this process (the pages Next renders) reaches this server's HTTP API. */
function originOf(host: string, port: number): string {
  const h =
    host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${h}:${port}`;
}

/**
 * A Redis client still connecting holds the socket.io adapter's SUBSCRIBE commands in its queue;
 * quitting now would reject them inside the adapter, where nobody handles it. Let it connect
 * first (briefly: a Redis that is down is not waited for).
 */
function connectedOrGivenUp(client: Redis, ms = 2_000): Promise<void> {
  if (client.status !== 'wait' && client.status !== 'connecting' && client.status !== 'connect')
    return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    client.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
