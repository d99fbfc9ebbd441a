/**
 * PostgreSQL restarts under a serving instance (a PostgreSQL of the test's own, stopped at once
 * and started again 5 s later). Edits made meanwhile are never silently dropped: an edit that
 * cannot be stored is not applied, its sender is closed with 4503 ("saving paused") and keeps it; once the database is
 * back the sender reconnects and resends it, and every client converges on it. /readyz says 503
 * while storage is unreachable.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readBoard } from '../lib/board/boardState';
import { setAssumption } from '../lib/board/scenarios';
import { connectClient, createBoard, tempDir, waitFor, type TestClient } from './helpers';
import { Instance, PrivatePostgres, freePort } from './cluster';

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

describe('PostgreSQL restart', () => {
  it('edits made while the database is down are kept by their sender and stored when it is back', async () => {
    const pg = await PrivatePostgres.start();
    cleanups.push(() => pg.stop());
    const instance = new Instance('one', await freePort(), {
      DATABASE_URL: pg.url,
      DATA_DIR: tempDir(),
      LOG_LEVEL: 'fatal',
    });
    cleanups.push(async () => {
      if (instance.running) await instance.kill9();
    });
    await instance.start();
    const http = `http://127.0.0.1:${instance.port}`;
    const board = await createBoard(http, {
      title: 'PG restart',
      assumptions: { trainingOutput: 0 },
    });
    const connect = (token: string) => {
      const c: TestClient = connectClient(`ws://127.0.0.1:${instance.port}/yjs`, board.id, token);
      cleanups.push(() => c.destroy());
      return c;
    };
    const writer = connect(board.tokens.editor);
    const watcher = connect(board.tokens.viewer);
    await Promise.all([writer.synced, watcher.synced]);
    const closes: number[] = [];
    writer.provider.on(
      'connection-close',
      (event: CloseEvent | null) => event && closes.push(event.code),
    );
    const scenarioId = readBoard(writer.doc).scenarios[0]!.id;
    const seen = () => readBoard(watcher.doc).scenarios[0]!.values.trainingOutput;
    let written = 0;
    const editing = setInterval(() => {
      written += 1;
      setAssumption(writer.doc, scenarioId, 'trainingOutput', written);
    }, 50);
    cleanups.push(() => clearInterval(editing));
    await waitFor(() => seen() >= 10, 'edits to flow');

    await pg.stop();
    const stoppedAt = Date.now();
    const acknowledgedBefore = seen();
    await new Promise((r) => setTimeout(r, 2000));
    const unready = await fetch(`${http}/readyz`);
    expect(unready.status).toBe(503);
    await new Promise((r) => setTimeout(r, 3000));
    // Nothing unstored reached anyone: the watcher saw at most what was stored before the stop
    // (plus what was in flight then).
    const seenDuringOutage = seen();
    expect(seenDuringOutage).toBeLessThan(written - 20);
    clearInterval(editing);
    const last = written;

    await pg.start();
    const backAt = Date.now();
    await waitFor(() => seen() === last, 'the watcher to get the last edit', 20_000);
    const storedMs = Date.now() - backAt;
    // Told "saving paused" (not a generic server error), so the page can say so.
    expect(closes).toContain(4503);
    expect(acknowledgedBefore).toBeLessThanOrEqual(last);
    // Stored: a newcomer (from the database) gets it.
    const newcomer = connect(board.tokens.viewer);
    await newcomer.synced;
    expect(readBoard(newcomer.doc).scenarios[0]!.values.trainingOutput).toBe(last);
    expect((await fetch(`${http}/readyz`)).status).toBe(200);
    console.log(
      `PostgreSQL down ${Math.round((backAt - stoppedAt) / 1000)} s: ${last} edits, ` +
        `${last - seenDuringOutage} made while it was down; all stored and seen ${storedMs} ms ` +
        `after it accepted queries again`,
    );
  }, 60_000);
});
