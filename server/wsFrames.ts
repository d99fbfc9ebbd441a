/**
 * Relayed messages written as ready-made WebSocket frames. A board relays each message to every
 * connection on it, and ws frames every send anew: an options object or two, a header buffer,
 * then a corked two-chunk write per connection. In a 1,000-person plenary that was most of a
 * relay's cost, and in 300 rooms a quarter of what the server allocated (bench/README.md). Here
 * a message is framed once (RFC 6455 section 5.2: final, binary, unmasked as a server's frames
 * are) and every connection gets one plain write of the same bytes.
 *
 * The write goes to the connection's socket beside ws, which is safe only while ws has nothing
 * of its own queued (it queues while compressing or reading a Blob, neither of which this
 * server does): checked on every send, and otherwise the message goes through ws.send, in order.
 * ws keeps counting the bytes: its bufferedAmount is the socket's unsent bytes plus its own.
 */
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

/** What this reads of ws's internals (ws 8); anything else found there means "use ws.send". */
interface WsInternals {
  _socket?: Duplex | null;
  _sender?: { _state?: unknown; _queue?: unknown[] } | null;
}

/**
 * The frame of the last message framed: a broadcast sends the same bytes to each connection.
 * Keyed by identity, which holds because a message is never changed once sent (each is fresh
 * encoder output, or the board's cached greeting, dropped rather than changed).
 */
let lastPayload: Uint8Array | null = null;
let lastFrame: Buffer | null = null;

/** `payload` as one final, unmasked binary frame. */
export function binaryFrame(payload: Uint8Array): Buffer {
  if (payload === lastPayload && lastFrame) return lastFrame;
  const length = payload.byteLength;
  const headerBytes = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerBytes + length);
  frame[0] = 0x82; // FIN, opcode 2 (binary)
  if (length < 126) frame[1] = length;
  else if (length < 65536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.set(payload, headerBytes);
  lastPayload = payload;
  lastFrame = frame;
  return frame;
}

/**
 * Send `payload` as one binary message on an open server-side connection, calling `written`
 * once it has been handed to the OS (as ws.send's callback).
 */
export function sendBinary(ws: WebSocket, payload: Uint8Array, written: () => void): void {
  const { _socket: socket, _sender: sender } = ws as unknown as WsInternals;
  if (socket && sender && sender._state === 0 && sender._queue?.length === 0)
    socket.write(binaryFrame(payload), written);
  else ws.send(payload, written);
}
