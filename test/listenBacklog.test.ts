/**
 * A reconnect storm (a full room coming back after a restart) reaches a server whose event loop
 * is busy: the kernel must hold the connections until it accepts them, not drop them (dropped
 * handshakes are retried a second or more later). The server is stopped with SIGSTOP, 1,000
 * connections are opened, and every one must be established in the kernel's queue and then be
 * served once the server runs again.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { LISTEN_BACKLOG } from '../server/app';
import { startChildServer } from './childServer';
import { closeAfterTest } from './teardown';
import { tempDir, waitFor } from './helpers';

const BURST = 1000;

describe('listen backlog', () => {
  it('holds a burst of 1,000 connections while the event loop is stopped, and serves them all', async () => {
    expect(LISTEN_BACKLOG).toBeGreaterThan(BURST);
    const server = await startChildServer({ DATA_DIR: tempDir() });
    closeAfterTest(server, (s) => s.kill9());
    // Stopped: kill -9 (the cleanup above) still ends it.
    server.process.kill('SIGSTOP');

    const sockets: net.Socket[] = [];
    let established = 0;
    const answers: string[] = [];
    for (let i = 0; i < BURST; i++) {
      const socket = net.connect(server.port, '127.0.0.1');
      socket.setEncoding('utf8');
      socket.on('connect', () => established++);
      let reply = '';
      socket.on('data', (chunk: string) => {
        reply += chunk;
        if (!reply.includes('\r\n')) return;
        answers.push(reply.slice(0, reply.indexOf('\r\n')));
        socket.destroy();
      });
      socket.on('error', () => undefined);
      sockets.push(socket);
    }
    closeAfterTest(sockets, (all) => all.forEach((s) => s.destroy()));
    // While the server is stopped nothing leaves the queue: past its length, handshakes are
    // dropped, and so are their retries (after 1 s, 3 s...). A queue of 511 holds 512, for good.
    await waitFor(() => established === BURST, 'every connection established', 5000).catch(
      () => undefined,
    );
    expect(established).toBe(BURST);

    for (const socket of sockets)
      socket.write('GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    server.process.kill('SIGCONT');
    await waitFor(() => answers.length === BURST, 'every connection answered', 15_000);
    expect(new Set(answers)).toEqual(new Set(['HTTP/1.1 200 OK']));
  });
});
