/**
 * Ready-made frames over real sockets: a stock ws client reads every length class intact; an idle
 * connection takes the ready-made path (so a ws upgrade that renames the internals it reads fails
 * here instead of silently costing every relay ws's own framing); and a message sent while ws has
 * its own send queued (compressing, or a Blob) waits its turn instead of overtaking it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { waitFor } from '../test/helpers';
import { binaryFrame, sendBinary } from './wsFrames';

const servers: WebSocketServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    for (const c of s.clients) c.terminate();
    await new Promise((r) => s.close(r));
  }
});

/** A server on port 0, its first connection, and a client that collects what it receives. */
async function pair(perMessageDeflate: boolean) {
  const wss = new WebSocketServer({ port: 0, perMessageDeflate });
  servers.push(wss);
  await once(wss, 'listening');
  const accepted = once(wss, 'connection') as Promise<[WebSocket]>;
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, {
    perMessageDeflate,
  });
  const received: Buffer[] = [];
  client.on('message', (data, isBinary) => {
    expect(isBinary).toBe(true);
    received.push(data as Buffer);
  });
  await once(client, 'open');
  const [server] = await accepted;
  return { server, received };
}

const bytes = (length: number, seed: number) =>
  Uint8Array.from({ length }, (_, i) => (i * 31 + seed) % 251);

describe('ready-made WebSocket frames', () => {
  it('a stock client reads every length class (7-bit, 16-bit, 64-bit) intact and in order', async () => {
    const { server, received } = await pair(false);
    const lengths = [0, 1, 125, 126, 127, 65535, 65536, 200_000];
    let written = 0;
    for (const [i, length] of lengths.entries())
      sendBinary(server, bytes(length, i), () => written++);
    await waitFor(() => received.length === lengths.length, 'every length class');
    expect(received.map((m) => m.length)).toEqual(lengths);
    for (const [i, length] of lengths.entries())
      expect(Buffer.compare(received[i]!, Buffer.from(bytes(length, i)))).toBe(0);
    expect(written).toBe(lengths.length);
  });

  it('frames a message once for a broadcast: the same bytes go to every connection', () => {
    const message = bytes(300, 7);
    const first = binaryFrame(message);
    expect(binaryFrame(message)).toBe(first);
    expect([...first.subarray(0, 4)]).toEqual([0x82, 126, 300 >> 8, 300 & 0xff]);
    expect(binaryFrame(bytes(300, 7))).not.toBe(first);
  });

  it('writes to an idle connection without ws.send (fails if a ws upgrade renames what it reads)', async () => {
    const { server, received } = await pair(false);
    // Observed, not replaced: every message still goes out; only the path it took is counted.
    let viaWs = 0;
    const send = server.send.bind(server);
    server.send = ((...args: Parameters<typeof send>) => {
      viaWs++;
      send(...args);
    }) as typeof server.send;
    for (let i = 0; i < 5; i++) sendBinary(server, bytes(40, i), () => {});
    await waitFor(() => received.length === 5, 'the five ready-made frames');
    expect(viaWs).toBe(0);
    // ...while ws's own queue takes over when it has something queued (compressing is off here,
    // so a Blob, which ws reads asynchronously, stands in for its queue).
    server.send(new Blob([bytes(10, 9)]));
    sendBinary(server, bytes(20, 8), () => {});
    await waitFor(() => received.length === 7, 'the Blob and the message queued behind it');
    expect(viaWs).toBe(2); // the Blob's own send, then ours routed through ws
    expect(received.slice(5).map((m) => m.length)).toEqual([10, 20]);
  });

  it('waits behind a message ws is still compressing, instead of overtaking it', async () => {
    const { server, received } = await pair(true);
    // ws compresses asynchronously and queues what is sent meanwhile; ours must queue with it.
    server.send(Buffer.alloc(256 * 1024, 1), { compress: true });
    sendBinary(server, bytes(10, 1), () => {});
    sendBinary(server, bytes(20, 2), () => {});
    await waitFor(() => received.length === 3, 'the compressed message and the two behind it');
    expect(received.map((m) => m.length)).toEqual([256 * 1024, 10, 20]);
  });
});
