/**
 * The socket.io guard drops engine.io's stand-in upgrade response (about 0.9 KB per participant,
 * issue 12). It finds engine.io's listener by its source text, so this proves both halves on a
 * real server and real WebSocket connections: the installed engine.io still adds a listener with
 * that text (else the guard silently stops saving memory), and with the guard none is left.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { Socket as EngineConnection } from 'engine.io';
import { io as ioClient, type Socket } from 'socket.io-client';
import { afterEach, expect, it } from 'vitest';
import { ConnectionLimiter } from '../server/connectionLimits';
import { OutboundBudget } from '../server/outboundBudget';
import { UPGRADE_RESPONSE_CLOSE, guardSocketIo } from '../server/socketIoGuards';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The close listeners' source texts on the TCP socket under the first WebSocket connection. */
async function closeListenersOfAConnection(guarded: boolean): Promise<string[]> {
  const server = http.createServer();
  const io = new Server(server, { transports: ['websocket'] });
  if (guarded)
    guardSocketIo(io, {
      outbound: new OutboundBudget({ total: 1 << 24, perConnection: 1 << 20 }),
      connectionLimits: new ConnectionLimiter(10),
      addressOf: () => '127.0.0.1',
    });
  const connected = new Promise<EngineConnection>((resolve) =>
    io.on('connection', (socket) => resolve(socket.conn)),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => io.close());
  const { port } = server.address() as AddressInfo;
  const client: Socket = ioClient(`http://127.0.0.1:${port}`, { transports: ['websocket'] });
  cleanups.push(() => client.disconnect());
  const conn = await connected;
  const tcp = (conn.transport as unknown as { socket: { _socket: NodeJS.EventEmitter } }).socket
    ._socket;
  return tcp.listeners('close').map(String);
}

it('engine.io still keeps its upgrade response alive with the listener the guard looks for', async () => {
  expect(await closeListenersOfAConnection(false)).toContain(UPGRADE_RESPONSE_CLOSE);
});

it('with the guard, no connection keeps that listener (and so the upgrade request)', async () => {
  const listeners = await closeListenersOfAConnection(true);
  expect(listeners.length).toBeGreaterThan(0); // ws's own close handling is untouched
  expect(listeners).not.toContain(UPGRADE_RESPONSE_CLOSE);
});
