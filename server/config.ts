/**
 * Server configuration: read from the environment once, here, and validated with valibot.
 * Everything else receives a typed `ServerConfig` object; nothing else reads process.env.
 */
import path from 'node:path';
import * as v from 'valibot';

/** A number from an environment string, as `Number(value)` reads it (so `' 80 '` is 80). */
const numberFromEnv = (message?: string) =>
  v.pipe(v.unknown(), v.transform(Number), v.number(message));

const intFromEnv = (def: number, min: number, max: number) =>
  v.optional(v.pipe(numberFromEnv(), v.safeInteger(), v.minValue(min), v.maxValue(max)), def);

/**
 * A URL, given on trimmed and without the tabs and line breaks the URL parser skips (as before the
 * move to valibot). The message never repeats the value: it may hold a password.
 */
const urlFromEnv = v.pipe(
  v.string(),
  v.trim(),
  v.url('Invalid URL'),
  v.transform((url) => url.replace(/[\t\n\r]/g, '')),
);

/** The message of every TRUST_PROXY refusal but a fraction (or Infinity: not a whole number). */
const TRUST_PROXY_MESSAGE =
  'TRUST_PROXY is the number of proxies in front of the server (0 = none)';

const envSchema = v.object({
  NODE_ENV: v.optional(v.picklist(['development', 'production', 'test']), 'production'),
  PORT: intFromEnv(3000, 0, 65535),
  HOST: v.optional(v.pipe(v.string(), v.minLength(1)), '0.0.0.0'),
  DATA_DIR: v.optional(v.pipe(v.string(), v.minLength(1)), './data'),
  MAX_MESSAGE_BYTES: intFromEnv(1024 * 1024, 1024, 64 * 1024 * 1024),
  /** Sustained messages per second one connection may send, and the burst it may save up. */
  RATE_LIMIT_PER_SECOND: intFromEnv(200, 1, 100_000),
  RATE_LIMIT_BURST: intFromEnv(400, 1, 1_000_000),
  /** Refused document updates one connection may send (sustained per second, and at once). */
  REFUSALS_PER_SECOND: v.optional(
    v.pipe(numberFromEnv(), v.finite(), v.gtValue(0), v.maxValue(10_000)),
    0.5,
  ),
  REFUSALS_BURST: intFromEnv(5, 1, 100_000),
  /**
   * Unsent bytes the server may hold for clients: for one connection (it must exceed the largest
   * board, which a joining client is sent whole) and for all of them together. Connections over
   * either are closed (4408), the ones holding most first.
   */
  MAX_BUFFERED_BYTES_PER_CONNECTION: intFromEnv(4 * 1024 * 1024, 64 * 1024, 1024 * 1024 * 1024),
  MAX_BUFFERED_BYTES_TOTAL: intFromEnv(64 * 1024 * 1024, 64 * 1024, 16 * 1024 * 1024 * 1024),
  /**
   * Open connections (Yjs and socket.io together) per client address: a plenary of 1,000 behind
   * one venue address holds 2,000; after the venue's Wi-Fi drops and comes back the server still
   * holds the old ones beside the new until its heartbeats find them dead (up to a minute); and
   * the moderators, the projector and second tabs are on that network too. At 4,000 a drop left
   * one phone refused for that minute (bench:scale wifi); 6,000 leaves half a room to spare.
   */
  MAX_CONNECTIONS_PER_ADDRESS: intFromEnv(6000, 1, 1_000_000),
  /** How long a raised hand waits for someone who left to come back, then is lowered. */
  HAND_GRACE_MS: intFromEnv(60_000, 0, 24 * 3600_000),
  /** Each Yjs connection is pinged once in this period and closed if the last ping went unanswered. */
  HEARTBEAT_MS: intFromEnv(30_000, 300, 3600_000),
  /** How long a board stays in memory after its last client leaves. */
  IDLE_UNLOAD_MS: intFromEnv(30_000, 0, 24 * 3600_000),
  /** Updates kept before they are compacted into one snapshot. */
  COMPACT_AFTER_UPDATES: intFromEnv(500, 2, 1_000_000),
  /** Next's build folder (see next.config.js); only parallel builds on one machine change it. */
  NEXT_DIST_DIR: v.optional(v.pipe(v.string(), v.minLength(1)), '.next'),
  LOG_LEVEL: v.optional(
    v.picklist(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    'info',
  ),
  /** Signs role links; set it when several instances serve the same boards. */
  TOKEN_SECRET: v.optional(
    v.pipe(v.string(), v.minLength(32, 'TOKEN_SECRET must be at least 32 characters')),
  ),
  DATABASE_URL: v.optional(urlFromEnv),
  REDIS_URL: v.optional(urlFromEnv),
  /**
   * Reverse proxies in front of the server (0 = none): with n, the client address is the n-th
   * hop from the right of X-Forwarded-For + socket address. Never trusted by default.
   */
  TRUST_PROXY: v.optional(
    v.pipe(
      numberFromEnv(TRUST_PROXY_MESSAGE),
      v.safeInteger('TRUST_PROXY is a whole number of proxies'),
      v.minValue(0, TRUST_PROXY_MESSAGE),
      v.maxValue(10, TRUST_PROXY_MESSAGE),
    ),
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
  METRICS: v.optional(v.picklist(['on', 'off'], 'METRICS is on or off'), 'on'),
  /** When set, /metrics answers only `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: v.optional(
    v.pipe(v.string(), v.minLength(16, 'METRICS_TOKEN must be at least 16 characters')),
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
  /** Yjs connections' ping period (closed when a ping goes unanswered for a period). */
  heartbeatMs: number;
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
  const parsed = v.safeParse(envSchema, cleaned);
  if (!parsed.success) {
    const lines = parsed.issues.map((i) => `  ${v.getDotPath(i) ?? ''}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.output;
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
    heartbeatMs: e.HEARTBEAT_MS,
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
