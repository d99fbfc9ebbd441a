/**
 * Prometheus metrics (prom-client). This module alone owns the registry; the rest of the server
 * gets the small typed interfaces below (`BoardMetrics` for the collaboration layer, `Metrics`
 * for the wiring in app.ts), and `NO_METRICS` when metrics are off (METRICS=off) or in tests that
 * do not look at them.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RefusalKind } from '../lib/board/refusal';
import type { Role } from '../lib/protocol';

/** What a loaded board reports. */
export interface BoardMetrics {
  updateAccepted(): void;
  updateRefused(kind: RefusalKind): void;
  /** Seconds one `appendUpdate` took. */
  storeSeconds(seconds: number): void;
  /** Seconds from an update's arrival to its relay (queue wait, checks, store). */
  relaySeconds(seconds: number): void;
  /** Bytes of one batched presence broadcast. */
  presenceFlush(bytes: number): void;
  /** A catch-up from storage found and applied `bytes` this instance had missed. */
  caughtUp(bytes: number): void;
}

export type Transport = 'yjs' | 'socketio';

/** What became of reading a board's stored live session (live/durable.ts). */
export type LiveSessionLoad = 'restored' | 'none' | 'corrupted' | 'unreadable';

/** What the live sessions' durable copies report. */
export interface LiveSessionMetrics {
  liveSessionLoaded(outcome: LiveSessionLoad): void;
  /** One write (or deletion) of a stored live session, done or failed. */
  liveSessionWritten(ok: boolean): void;
}

export interface Metrics extends BoardMetrics, LiveSessionMetrics {
  /** A connection opened; call the returned function once when it closes. */
  connectionOpened(transport: Transport, role: Role): () => void;
  busReconnect(): void;
  busConnected(up: boolean): void;
  /** Seconds a heartbeat took through Redis and back (the bus's own delay). */
  busLag(seconds: number): void;
  /** Read at scrape time: boards in memory, PostgreSQL pool use (if any). */
  observe(sources: {
    boardsLoaded: () => number;
    pool?: () => { total: number; idle: number; waiting: number };
  }): void;
  /** The exposition text and its content type; null when metrics are off. */
  scrape(): Promise<{ contentType: string; body: string }> | null;
}

const noop = () => undefined;
export const NO_METRICS: Metrics = {
  updateAccepted: noop,
  updateRefused: noop,
  storeSeconds: noop,
  relaySeconds: noop,
  presenceFlush: noop,
  caughtUp: noop,
  connectionOpened: () => noop,
  busReconnect: noop,
  busConnected: noop,
  busLag: noop,
  liveSessionLoaded: noop,
  liveSessionWritten: noop,
  observe: noop,
  scrape: () => null,
};

/** Latency buckets (seconds): a local SQLite write is ~0.1 ms, a loaded PostgreSQL one ~50 ms. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export function createMetrics(): Metrics {
  const registry = new Registry();
  // Process CPU, memory, GC, handles and event-loop lag (nodejs_eventloop_lag_*).
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const connections = new Gauge({
    name: 'sb_connections',
    help: 'Open client connections, by transport (yjs, socketio) and role',
    labelNames: ['transport', 'role'] as const,
    registers,
  });
  const updates = new Counter({
    name: 'sb_updates_total',
    help: 'Document updates judged: outcome accepted or refused (with the refusal kind)',
    labelNames: ['outcome', 'kind'] as const,
    registers,
  });
  const storeLatency = new Histogram({
    name: 'sb_store_seconds',
    help: 'Time to store one document update durably',
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const relayLatency = new Histogram({
    name: 'sb_relay_seconds',
    help: 'Time from a document update arriving to its relay to the other clients',
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const presenceFlushes = new Histogram({
    name: 'sb_presence_flush_bytes',
    help: 'Size of one batched presence broadcast',
    buckets: [64, 256, 1024, 4096, 16384, 65536, 262144],
    registers,
  });
  const catchUps = new Counter({
    name: 'sb_catchup_updates_total',
    help: 'Catch-ups from storage that found updates this instance had missed (a bus message lost)',
    registers,
  });
  const catchUpBytes = new Counter({
    name: 'sb_catchup_bytes_total',
    help: 'Bytes of missed updates applied by catch-ups from storage',
    registers,
  });
  const busReconnects = new Counter({
    name: 'sb_redis_bus_reconnects_total',
    help: 'Reconnections of the Redis board bus (instances may have missed updates meanwhile)',
    registers,
  });
  const busUp = new Gauge({
    name: 'sb_redis_bus_connected',
    help: 'Whether the Redis board bus is connected (1) or lost (0); boards catch up when it returns',
    registers,
  });
  const busLag = new Histogram({
    name: 'sb_redis_bus_lag_seconds',
    help: 'Round trip of a heartbeat from this instance through Redis pub/sub back to it',
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const liveLoads = new Counter({
    name: 'sb_live_session_loads_total',
    help: 'Stored live sessions read when a board session starts here: restored, none, corrupted (ignored) or unreadable (store down)',
    labelNames: ['outcome'] as const,
    registers,
  });
  const liveWrites = new Counter({
    name: 'sb_live_session_writes_total',
    help: 'Writes of live sessions (timer, polls, hands, Q&A) to Redis or storage: stored or failed',
    labelNames: ['outcome'] as const,
    registers,
  });
  let sources: Parameters<Metrics['observe']>[0] | null = null;
  new Gauge({
    name: 'sb_boards_loaded',
    help: 'Boards held in memory',
    registers,
    collect() {
      if (sources) this.set(sources.boardsLoaded());
    },
  });
  new Gauge({
    name: 'sb_pg_pool_connections',
    help: 'PostgreSQL pool connections: state total, idle, or waiting (requests queued for one)',
    labelNames: ['state'] as const,
    registers,
    collect() {
      const pool = sources?.pool?.();
      if (!pool) return;
      this.set({ state: 'total' }, pool.total);
      this.set({ state: 'idle' }, pool.idle);
      this.set({ state: 'waiting' }, pool.waiting);
    },
  });

  return {
    updateAccepted: () => updates.inc({ outcome: 'accepted', kind: '' }),
    updateRefused: (kind) => updates.inc({ outcome: 'refused', kind }),
    storeSeconds: (s) => storeLatency.observe(s),
    relaySeconds: (s) => relayLatency.observe(s),
    presenceFlush: (bytes) => presenceFlushes.observe(bytes),
    caughtUp(bytes) {
      catchUps.inc();
      catchUpBytes.inc(bytes);
    },
    connectionOpened(transport, role) {
      connections.inc({ transport, role });
      let open = true;
      return () => {
        if (open) connections.dec({ transport, role });
        open = false;
      };
    },
    busReconnect: () => busReconnects.inc(),
    busConnected: (up) => busUp.set(up ? 1 : 0),
    busLag: (seconds) => busLag.observe(seconds),
    liveSessionLoaded: (outcome) => liveLoads.inc({ outcome }),
    liveSessionWritten: (ok) => liveWrites.inc({ outcome: ok ? 'stored' : 'failed' }),
    observe(s) {
      sources = s;
    },
    async scrape() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
