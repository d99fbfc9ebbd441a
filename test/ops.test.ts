/**
 * Operator endpoints on a real server: /metrics (Prometheus text, counters that move with real
 * traffic, METRICS_TOKEN, METRICS=off), /healthz, /readyz (503 while draining or when storage is
 * unreachable).
 */
import { randomBytes } from 'node:crypto';
import { Pool, escapeIdentifier } from 'pg';
import { describe, expect, it } from 'vitest';
import { PostgresStorage } from '../server/storage/postgres';
import { readBoard } from '../lib/board/boardState';
import { setAssumption } from '../lib/board/scenarios';
import {
  connectClient,
  connectSession,
  createBoard,
  issueCredential,
  rawSocket,
  sessionReady,
  startServer,
  waitFor,
  type TestServer,
} from './helpers';
import { closeAfterTest } from './teardown';

async function start(
  env: Record<string, string> = {},
  storage?: PostgresStorage,
): Promise<TestServer> {
  const server = await startServer(env, storage);
  // A close that fails is ignored: some tests close the server or its storage themselves.
  closeAfterTest(server, (s) => s.close().catch(() => {}));
  return server;
}

async function scrape(base: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(`${base}/metrics`, { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

/** The value of one sample line (`name{labels} value`), or null if absent. */
function sample(text: string, series: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : null;
}

describe('/metrics', () => {
  it('speaks Prometheus text and counts connections, boards, accepted and refused updates', async () => {
    const server = await start();
    const board = await createBoard(server.http);
    const editor = connectClient(server.ws, board.id, board.tokens.editor);
    const viewer = connectClient(server.ws, board.id, board.tokens.viewer);
    closeAfterTest(editor, (c) => c.destroy());
    closeAfterTest(viewer, (c) => c.destroy());
    await Promise.all([editor.synced, viewer.synced]);
    const credential = await issueCredential(server.http, board.id, board.tokens.editor);
    const session = connectSession(server.http, board.id, credential.credential);
    closeAfterTest(session, (s) => s.disconnect());
    await sessionReady(session);

    const scenarioId = readBoard(editor.doc).scenarios[0]!.id;
    setAssumption(editor.doc, scenarioId, 'trainingOutput', 1234);
    // A viewer's edit is refused with kind viewOnly.
    setAssumption(viewer.doc, scenarioId, 'trainingOutput', 999);
    await waitFor(() => viewer.notices.some((n) => n.type === 'refused'), 'the refusal notice');

    const text = await scrape(server.http);
    expect(text).toContain('# TYPE sb_updates_total counter');
    expect(text).toContain('# TYPE sb_store_seconds histogram');
    expect(text).toContain('# TYPE sb_relay_seconds histogram');
    expect(text).toContain('# TYPE sb_presence_flush_bytes histogram');
    expect(text).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
    expect(sample(text, 'sb_updates_total{outcome="refused",kind="viewOnly"}')).toBe(1);
    expect(sample(text, 'sb_updates_total{outcome="accepted",kind=""}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'sb_store_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'sb_relay_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'sb_connections{transport="yjs",role="editor"}')).toBe(1);
    expect(sample(text, 'sb_connections{transport="yjs",role="viewer"}')).toBe(1);
    expect(sample(text, 'sb_connections{transport="socketio",role="editor"}')).toBe(1);
    expect(sample(text, 'sb_boards_loaded')).toBe(1);

    // Closed connections are no longer counted.
    viewer.destroy();
    session.disconnect();
    await waitFor(() => server.server.hub.stats().connections === 1, 'the viewer to leave');
    await new Promise((r) => setTimeout(r, 100));
    const after = await scrape(server.http);
    expect(sample(after, 'sb_connections{transport="yjs",role="viewer"}')).toBe(0);
    expect(sample(after, 'sb_connections{transport="socketio",role="editor"}')).toBe(0);
  });

  it('needs the bearer token when METRICS_TOKEN is set', async () => {
    const token = 'a-metrics-token-of-some-length';
    const server = await start({ METRICS_TOKEN: token });
    const bare = await fetch(`${server.http}/metrics`);
    expect(bare.status).toBe(401);
    expect(bare.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const wrong = await fetch(`${server.http}/metrics`, {
      headers: { authorization: `Bearer ${token.replace('a', 'b')}` },
    });
    expect(wrong.status).toBe(401);
    const text = await scrape(server.http, { authorization: `Bearer ${token}` });
    expect(text).toContain('sb_updates_total');
  });

  it('is gone with METRICS=off', async () => {
    const server = await start({ METRICS: 'off' });
    expect((await fetch(`${server.http}/metrics`)).status).toBe(404);
    expect((await fetch(`${server.http}/healthz`)).status).toBe(200);
  });

  it('reports PostgreSQL pool use, and /readyz checks PostgreSQL and Redis', async () => {
    const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
    const schema = `sb_test_${randomBytes(6).toString('hex')}`;
    // Dropped after the test, once the server (registered later) is closed.
    closeAfterTest(schema, async (schema) => {
      const admin = new Pool({ connectionString: url, max: 1 });
      await admin.query(`DROP SCHEMA IF EXISTS ${escapeIdentifier(schema)} CASCADE`);
      await admin.end();
    });
    const server = await start(
      { REDIS_URL: 'redis://127.0.0.1:6379' },
      await PostgresStorage.connect(url, { schema }),
    );
    await createBoard(server.http);
    const ready = await fetch(`${server.http}/readyz`);
    expect(await ready.json()).toEqual({ ready: true });
    const text = await scrape(server.http);
    expect(sample(text, 'sb_pg_pool_connections{state="total"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'sb_pg_pool_connections{state="waiting"}')).toBe(0);
    expect(sample(text, 'sb_redis_bus_reconnects_total')).toBe(0);
  });
});

describe('/healthz and /readyz', () => {
  it('are 200 on a running server', async () => {
    const server = await start();
    const live = await fetch(`${server.http}/healthz`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${server.http}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true });
  });

  it('/readyz is 503 as soon as shutdown starts, and new upgrades are refused', async () => {
    const server = await start({ SHUTDOWN_DRAIN_MS: '1500' });
    const board = await createBoard(server.http);
    const closing = server.server.close();
    const ready = await fetch(`${server.http}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ ready: false, reason: 'shutting down' });
    // Still serving while draining (the balancer moves new clients elsewhere), but no new sockets.
    expect((await fetch(`${server.http}/healthz`)).status).toBe(200);
    await expect(rawSocket(server.ws, board.id, board.tokens.editor)).rejects.toThrow(/503/);
    const { credential } = await issueCredential(server.http, board.id, board.tokens.editor);
    const late = connectSession(server.http, board.id, credential);
    closeAfterTest(late, (s) => s.disconnect());
    await expect(sessionReady(late)).rejects.toThrow();
    await closing;
  });

  it('/readyz is 503 when storage is unreachable', async () => {
    const server = await start();
    await server.server.hub.storage.close();
    const ready = await fetch(`${server.http}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ ready: false, reason: 'storage unreachable' });
  });

  it('/readyz pings Redis when REDIS_URL is set (an outage degrades, test/redisOutage.test.ts)', async () => {
    const server = await start({ REDIS_URL: 'redis://127.0.0.1:6379' });
    expect((await fetch(`${server.http}/readyz`)).status).toBe(200);
  });
});
