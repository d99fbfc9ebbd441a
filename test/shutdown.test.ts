/**
 * Graceful shutdown of a real server process (SIGTERM, as an orchestrator or a rolling restart
 * sends it): /readyz goes 503 first, clients are closed so that they reconnect (Yjs 1012,
 * socket.io transport close), every edit another client saw is stored, and the process exits 0
 * within SHUTDOWN_TIMEOUT_MS.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { readBoard } from '../lib/board/boardState';
import { setAssumption } from '../lib/board/scenarios';
import { CloseCode, FATAL_CLOSE_CODES } from '../lib/protocol';
import {
  connectClient,
  connectSession,
  createBoard,
  issueCredential,
  rawSocket,
  sessionReady,
  startServer,
  tempDir,
  waitFor,
} from './helpers';
import { closeAfterTest } from './teardown';
import { startChildServer } from './childServer';

const SHUTDOWN_TIMEOUT_MS = 10_000;

/** A port free now, so a restarted server can take its predecessor's address. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.once('error', reject);
  });
}

describe('graceful shutdown (SIGTERM)', () => {
  it('1012 is a close code clients reconnect after', () => {
    expect(FATAL_CLOSE_CODES.has(CloseCode.serviceRestart)).toBe(false);
  });

  it('closes every open Yjs socket with 1012, joined or still joining', async () => {
    const server = await startServer();
    const board = await createBoard(server.http);
    const joined = connectClient(server.ws, board.id, board.tokens.editor);
    closeAfterTest(joined, (c) => c.destroy());
    await joined.synced;
    const joinedClosed = new Promise<number>((resolve) =>
      joined.provider.once('connection-close', (event: CloseEvent | null) =>
        resolve(event?.code ?? 0),
      ),
    );
    // Opened just before the shutdown: its token check or board join is still under way.
    const joining = await rawSocket(server.ws, board.id, board.tokens.editor);
    await server.close();
    expect(await joinedClosed).toBe(CloseCode.serviceRestart);
    expect((await joining.closed).code).toBe(CloseCode.serviceRestart);
  });

  it('keeps every seen edit, goes unready first, closes clients with 1012 and exits 0 in time; clients reconnect to the restarted server and converge', async () => {
    const dataDir = tempDir();
    const env = {
      PORT: String(await freePort()),
      DATA_DIR: dataDir,
      SHUTDOWN_DRAIN_MS: '300',
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
    };
    const first = await startChildServer(env);
    closeAfterTest(first, (c) => c.process.exitCode === null && c.kill9());
    const base = `http://127.0.0.1:${first.port}`;
    const { id, tokens } = await createBoard(base);
    const writer = connectClient(`ws://127.0.0.1:${first.port}/yjs`, id, tokens.editor);
    const watcher = connectClient(`ws://127.0.0.1:${first.port}/yjs`, id, tokens.editor);
    closeAfterTest(writer, (c) => c.destroy());
    closeAfterTest(watcher, (c) => c.destroy());
    await Promise.all([writer.synced, watcher.synced]);
    const { credential } = await issueCredential(base, id, tokens.editor);
    const session = connectSession(base, id, credential);
    closeAfterTest(session, (s) => s.disconnect());
    await sessionReady(session);

    const closeCodes: number[] = [];
    let closedAt = 0;
    writer.provider.on('connection-close', (event: CloseEvent | null) => {
      if (event) closeCodes.push(event.code);
    });
    watcher.provider.on('connection-close', () => (closedAt ||= Date.now()));
    // Resynced after the restart: the watcher reconnects by itself (y-websocket retries).
    const watcherResynced = new Promise<number>((resolve) =>
      watcher.provider.on('sync', (synced: boolean) => {
        if (synced && closedAt) resolve(Date.now());
      }),
    );
    const sessionDropped = new Promise<string>((resolve) => session.once('disconnect', resolve));
    const scenarioId = readBoard(writer.doc).scenarios[0]!.id;
    let seenByWatcher = 0;
    watcher.doc.on('update', () => {
      const value = readBoard(watcher.doc).scenarios[0]!.values.trainingOutput;
      if (typeof value === 'number') seenByWatcher = Math.max(seenByWatcher, value);
    });

    // The writer keeps editing (increasing values) through the signal.
    let value = 0;
    let editing = true;
    const edits = (async () => {
      while (editing) {
        value += 1000;
        setAssumption(writer.doc, scenarioId, 'trainingOutput', value);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    await waitFor(() => seenByWatcher >= 20_000, 'edits to flow');

    // Readiness is polled throughout, as a load balancer would.
    const readiness: number[] = [];
    let polling = true;
    const poll = (async () => {
      while (polling) {
        const status = await fetch(`${base}/readyz`).then(
          (r) => r.status,
          () => 0, // refused: no longer listening
        );
        readiness.push(status);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();

    const exited = new Promise<number | null>((resolve) =>
      first.process.once('exit', (code) => resolve(code)),
    );
    const signalledAt = Date.now();
    first.process.kill('SIGTERM');
    const code = await exited;
    const shutdownMs = Date.now() - signalledAt;
    editing = false;
    polling = false;
    await Promise.all([edits, poll]);
    const acknowledged = seenByWatcher;
    // The writer stays away until storage is checked (it would resend its unacknowledged edits).
    writer.provider.disconnect();

    expect(code).toBe(0);
    expect(shutdownMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    expect(readiness[0]).toBe(200);
    expect(readiness).toContain(503);
    // 503 came before the server stopped answering at all.
    expect(readiness.indexOf(503)).toBeLessThan(
      readiness.indexOf(0) === -1 ? Infinity : readiness.indexOf(0),
    );
    expect(closeCodes).toContain(CloseCode.serviceRestart);
    // socket.io reconnects by itself after a transport close (not after a server "disconnect").
    expect(await sessionDropped).toBe('transport close');

    // Restarted on the same address and data: the last edit the watcher saw (or a later one) is there.
    const second = await startChildServer(env);
    closeAfterTest(second, (c) => c.process.exitCode === null && c.kill9());
    const reader = connectClient(`ws://127.0.0.1:${second.port}/yjs`, id, tokens.editor);
    closeAfterTest(reader, (c) => c.destroy());
    await reader.synced;
    const stored = readBoard(reader.doc).scenarios[0]!.values.trainingOutput;
    expect(stored).toBeGreaterThanOrEqual(acknowledged);
    expect(stored).toBeLessThanOrEqual(value);
    const reconnectMs = (await watcherResynced) - closedAt;

    // The writer comes back and resends what was never acknowledged: everyone converges on its
    // last edit.
    writer.provider.connect();
    const converged = (doc: typeof writer.doc) =>
      readBoard(doc).scenarios[0]!.values.trainingOutput === value;
    await waitFor(
      () => converged(writer.doc) && converged(watcher.doc) && converged(reader.doc),
      'every client to converge on the last edit',
    );
    console.log(
      `SIGTERM to exit: ${shutdownMs} ms (drain 300 ms); ${acknowledged / 1000} edits seen; ` +
        `watcher closed (1012) to resynced on the restarted process: ${reconnectMs} ms`,
    );
  });
});
