/**
 * Server configuration: read from the environment once, here, and validated with zod.
 * Everything else receives a typed `ServerConfig` object; nothing else reads process.env.
 */
import path from 'node:path';
import * as z from 'zod/mini';

// zod/mini (one schema style for the browser bundle and the server, lib/README) ships no words of
// its own: the server's validation messages, for people and API callers, are zod's English ones.
z.config(z.locales.en());

const intFromEnv = (def: number, min: number, max: number) =>
  z._default(z.coerce.number().check(z.int(), z.gte(min), z.lte(max)), def);

const envSchema = z.object({
  NODE_ENV: z._default(z.enum(['development', 'production', 'test']), 'production'),
  PORT: intFromEnv(3000, 0, 65535),
  HOST: z._default(z.string().check(z.minLength(1)), '0.0.0.0'),
  DATA_DIR: z._default(z.string().check(z.minLength(1)), './data'),
  MAX_MESSAGE_BYTES: intFromEnv(1024 * 1024, 1024, 64 * 1024 * 1024),
  /** Sustained messages per second one connection may send, and the burst it may save up. */
  RATE_LIMIT_PER_SECOND: intFromEnv(200, 1, 100_000),
  RATE_LIMIT_BURST: intFromEnv(400, 1, 1_000_000),
  /** Refused document updates one connection may send (sustained per second, and at once). */
  REFUSALS_PER_SECOND: z._default(z.coerce.number().check(z.positive(), z.lte(10_000)), 0.5),
  REFUSALS_BURST: intFromEnv(5, 1, 100_000),
  /**
   * Unsent bytes the server may hold for clients: for one connection (it must exceed the largest
   * board, which a joining client is sent whole) and for all of them together. Connections over
   * either are closed (4408), the ones holding most first.
   */
  MAX_BUFFERED_BYTES_PER_CONNECTION: intFromEnv(4 * 1024 * 1024, 64 * 1024, 1024 * 1024 * 1024),
  MAX_BUFFERED_BYTES_TOTAL: intFromEnv(64 * 1024 * 1024, 64 * 1024, 16 * 1024 * 1024 * 1024),
  /** Open connections (Yjs and socket.io together) per client address. */
  MAX_CONNECTIONS_PER_ADDRESS: intFromEnv(1000, 1, 1_000_000),
  /** How long a raised hand waits for someone who left to come back, then is lowered. */
  HAND_GRACE_MS: intFromEnv(60_000, 0, 24 * 3600_000),
  /** How long a board stays in memory after its last client leaves. */
  IDLE_UNLOAD_MS: intFromEnv(30_000, 0, 24 * 3600_000),
  /** Updates kept before they are compacted into one snapshot. */
  COMPACT_AFTER_UPDATES: intFromEnv(500, 2, 1_000_000),
  /** Next's build folder (see next.config.js); only parallel builds on one machine change it. */
  NEXT_DIST_DIR: z._default(z.string().check(z.minLength(1)), '.next'),
  LOG_LEVEL: z._default(
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    'info',
  ),
  /** Signs role links; set it when several instances serve the same boards. */
  TOKEN_SECRET: z.optional(
    z.string().check(z.minLength(32, 'TOKEN_SECRET must be at least 32 characters')),
  ),
  DATABASE_URL: z.optional(z.url()),
  REDIS_URL: z.optional(z.url()),
  /**
   * Reverse proxies in front of the server (0 = none): with n, the client address is the n-th
   * hop from the right of X-Forwarded-For + socket address. Never trusted by default.
   */
  TRUST_PROXY: z._default(
    z.coerce
      .number({ error: 'TRUST_PROXY is the number of proxies in front of the server (0 = none)' })
      .check(z.int('TRUST_PROXY is a whole number of proxies'), z.gte(0), z.lte(10)),
    0,
  ),
  /** Boards one client address may create per hour. */
  BOARDS_PER_HOUR: intFromEnv(60, 1, 1_000_000),
  /**
   * Participant credentials one client address may get per minute: a plenary of 1,000 behind
   * one venue address joins within a minute, with room for reloads.
   */
  PARTICIPANTS_PER_ADDRESS_PER_MINUTE: intFromEnv(1500, 1, 1_000_000),
  /** `off` removes /metrics (404). */
  METRICS: z._default(z.enum(['on', 'off'], { error: 'METRICS is on or off' }), 'on'),
  /** When set, /metrics answers only `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: z.optional(
    z.string().check(z.minLength(16, 'METRICS_TOKEN must be at least 16 characters')),
  ),
  /**
   * On SIGTERM: how long /readyz answers 503 while the server still serves (so a load balancer
   * stops sending new clients) before it stops listening and closes connections with 1012.
   */
  SHUTDOWN_DRAIN_MS: intFromEnv(0, 0, 120_000),
  /** On SIGTERM: the process exits (code 1) if shutting down takes longer than this. */
  SHUTDOWN_TIMEOUT_MS: intFromEnv(10_000, 100, 600_000),
});

export interface ServerConfig {
  dev: boolean;
  port: number;
  host: string;
  /** Absolute path of the folder holding the SQLite database. */
  dataDir: string;
  maxMessageBytes: number;
  rateLimit: { perSecond: number; burst: number };
  refusals: { perSecond: number; burst: number };
  maxBufferedBytesPerConnection: number;
  maxBufferedBytesTotal: number;
  maxConnectionsPerAddress: number;
  idleUnloadMs: number;
  /** How long a raised hand of someone who left waits for them (then it is lowered). */
  handGraceMs: number;
  compactAfterUpdates: number;
  logLevel: string;
  nextDistDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  tokenSecret: string | undefined;
  /** Reverse proxies whose X-Forwarded-For entries are believed (0 = none). */
  trustProxy: number;
  boardsPerHour: number;
  participantsPerAddressPerMinute: number;
  metrics: { enabled: boolean; token: string | undefined };
  shutdown: { drainMs: number; timeoutMs: number };
}

/** Configuration could not be read; the message lists every bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parse and validate the environment (or any record, in tests). */
export function loadConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  // Empty strings mean "unset", as in most .env files.
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    dev: e.NODE_ENV === 'development',
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    maxMessageBytes: e.MAX_MESSAGE_BYTES,
    rateLimit: { perSecond: e.RATE_LIMIT_PER_SECOND, burst: e.RATE_LIMIT_BURST },
    refusals: { perSecond: e.REFUSALS_PER_SECOND, burst: e.REFUSALS_BURST },
    maxBufferedBytesPerConnection: e.MAX_BUFFERED_BYTES_PER_CONNECTION,
    maxBufferedBytesTotal: e.MAX_BUFFERED_BYTES_TOTAL,
    maxConnectionsPerAddress: e.MAX_CONNECTIONS_PER_ADDRESS,
    idleUnloadMs: e.IDLE_UNLOAD_MS,
    handGraceMs: e.HAND_GRACE_MS,
    compactAfterUpdates: e.COMPACT_AFTER_UPDATES,
    logLevel: e.LOG_LEVEL,
    nextDistDir: e.NEXT_DIST_DIR,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    tokenSecret: e.TOKEN_SECRET,
    trustProxy: e.TRUST_PROXY,
    boardsPerHour: e.BOARDS_PER_HOUR,
    participantsPerAddressPerMinute: e.PARTICIPANTS_PER_ADDRESS_PER_MINUTE,
    metrics: { enabled: e.METRICS === 'on', token: e.METRICS_TOKEN },
    shutdown: { drainMs: e.SHUTDOWN_DRAIN_MS, timeoutMs: e.SHUTDOWN_TIMEOUT_MS },
  };
}
