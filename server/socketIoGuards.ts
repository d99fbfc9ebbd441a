/**
 * The per-address connection cap and the outbound budget for socket.io, attached from outside
 * the live session (it needs no change for them). Both work on engine.io connections (one per
 * browser tab, whatever the transport), which is what holds sockets and buffers.
 *
 * - Over the cap: the connection is not counted, the client's connect fails with a
 *   `connect_error` whose message says why (`data.status` 429), and the connection is closed
 *   shortly after even if the client never asks to connect.
 * - Unsent bytes: engine.io's write buffer (packets waiting while the transport is busy) plus,
 *   on WebSocket, what ws has not written yet. Re-read whenever a packet is queued and whenever a
 *   write completes.
 */
import type { Server } from 'socket.io';
import type { Socket as EngineConnection } from 'engine.io';
import type { WebSocket } from 'ws';
import type { OutboundBudget, OutboundQueue } from './outboundBudget';
import {
  CLIENT_VERSION_FIELDS,
  CloseCode,
  clientVersionProblem,
  closeReason,
} from '../lib/protocol';
import {
  tooManyConnectionsMessage,
  type AddressOf,
  type ConnectionLimiter,
  type ReleaseConnection,
} from './connectionLimits';

/** How long a connection over the cap may stay open to be told so. */
const REFUSED_CONNECTION_GRACE_MS = 5_000;

interface EnginePacket {
  data?: unknown;
}

const packetBytes = (packet: EnginePacket): number => {
  const { data } = packet;
  if (typeof data === 'string') return data.length;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  return 0;
};

/** The ws WebSocket under engine.io's websocket transport (null on long-polling). */
const webSocketOf = (conn: EngineConnection): WebSocket | null =>
  conn.transport.name === 'websocket'
    ? ((conn.transport as unknown as { socket: WebSocket }).socket ?? null)
    : null;

/**
 * Close a connection now, without a close handshake: it is not reading, or it is gone (a close
 * frame would wait behind its unsent data, or for an answer that never comes, up to 30 s).
 */
export function dropAtOnce(conn: EngineConnection): void {
  const ws = webSocketOf(conn);
  if (ws) ws.terminate();
  else conn.close(true);
}

/**
 * engine.io answers a WebSocket upgrade through a stand-in response object that holds the upgrade
 * request, and keeps it alive with a 'close' listener on the TCP socket until the connection ends
 * (about 0.9 KB per participant with the request's headers; issue 12's budget is 20 KB). That
 * listener only re-emits 'close' on the stand-in, for HTTP middlewares that watch responses; the
 * only middleware here (draining, in app.ts) answers at once and never watches. Found by its
 * source text (engine.io does not name it); if a later engine.io changes it, nothing is removed
 * and test/socketIoGuards.test.ts fails (the memory figure would move: bench:scale's memory).
 */
export const UPGRADE_RESPONSE_CLOSE = '() => this.emit("close")';
function forgetUpgradeResponse(conn: EngineConnection): void {
  const tcp = (webSocketOf(conn) as unknown as { _socket?: NodeJS.EventEmitter } | null)?._socket;
  if (!tcp) return;
  for (const listener of tcp.listeners('close'))
    if (String(listener) === UPGRADE_RESPONSE_CLOSE)
      tcp.removeListener('close', listener as (...a: unknown[]) => void);
}

/**
 * One guarded connection's state, kept on the connection (and on its transports): the listeners
 * below are shared by all connections and find it through `this`, rather than a closure per
 * listener per connection (issue 12's memory per participant).
 */
class Guard {
  /** Bytes in engine.io's write buffer, not yet handed to the transport. */
  waitingBytes = 0;

  constructor(
    readonly conn: EngineConnection,
    readonly queue: OutboundQueue,
    readonly release: ReleaseConnection,
  ) {}

  /** Unsent bytes: engine.io's write buffer plus what the WebSocket has not written yet. */
  unsent(): number {
    return this.waitingBytes + (webSocketOf(this.conn)?.bufferedAmount ?? 0);
  }

  report(): void {
    this.queue.report(this.unsent());
  }
}
const GUARD = Symbol('guard');
type Guarded = { [GUARD]?: Guard };

function onPacketCreate(this: Guarded, packet: EnginePacket): void {
  const guard = this[GUARD]!;
  if (!guard.queue.admit(guard.unsent())) return; // evicted: the packet goes nowhere
  guard.waitingBytes += packetBytes(packet);
  guard.report();
}
function onFlush(this: Guarded): void {
  this[GUARD]!.waitingBytes = 0; // the buffer goes to the transport
}
/** On the connection and on each of its transports (which carry the same guard). */
function onDrain(this: Guarded): void {
  this[GUARD]!.report();
}
function watchTransport(this: Guarded, transport: EngineConnection['transport']): void {
  (transport as Guarded)[GUARD] = this[GUARD];
  transport.on('drain', onDrain);
}
function onClose(this: Guarded): void {
  // `on`: 'close' comes once; a `once` wrapper would be kept per connection (issue 12).
  const guard = this[GUARD]!;
  guard.queue.release();
  guard.release();
}

/**
 * Bytes an engine.io connection has not yet handed to the network: how far behind its reader
 * is (the live session coalesces batches for a socket that is behind). 0 if not guarded.
 */
export const unsentBytes = (conn: object): number => (conn as Guarded)[GUARD]?.unsent() ?? 0;

export function guardSocketIo(
  io: Server,
  options: { outbound: OutboundBudget; connectionLimits: ConnectionLimiter; addressOf: AddressOf },
): void {
  const { outbound, connectionLimits, addressOf } = options;
  const overLimit = new WeakSet<EngineConnection>();

  io.engine.on('connection', (conn: EngineConnection) => {
    const release = connectionLimits.acquire(addressOf(conn.request));
    // engine.io keeps the first HTTP request for the connection's lifetime (about 1 KB each);
    // nothing here reads it after this line (socket.io's own docs suggest dropping it).
    (conn as { request: unknown }).request = null;
    forgetUpgradeResponse(conn);
    if (!release) {
      overLimit.add(conn);
      setTimeout(() => conn.close(), REFUSED_CONNECTION_GRACE_MS).unref();
      return;
    }

    // Not reading: a graceful close would wait behind its data.
    (conn as Guarded)[GUARD] = new Guard(
      conn,
      outbound.open(() => dropAtOnce(conn)),
      release,
    );
    conn.on('packetCreate', onPacketCreate);
    conn.on('flush', onFlush);
    conn.on('drain', onDrain);
    watchTransport.call(conn as Guarded, conn.transport);
    conn.on('upgrade', watchTransport);
    conn.on('close', onClose);
  });

  io.use((socket, next) => {
    // The handshake's versions, as on the Yjs endpoint (lib/protocol.ts).
    const auth = (socket.handshake.auth ?? {}) as Record<string, unknown>;
    const versions = clientVersionProblem({
      protocol: auth[CLIENT_VERSION_FIELDS.protocol],
      schema: auth[CLIENT_VERSION_FIELDS.schema],
    });
    if (versions === 'outdated')
      return next(
        Object.assign(new Error(closeReason[CloseCode.clientOutdated]), {
          data: { status: 426, code: CloseCode.clientOutdated },
        }),
      );
    if (versions === 'malformed')
      return next(
        Object.assign(new Error('protocol and schema must be whole numbers'), {
          data: { status: 400 },
        }),
      );
    if (!overLimit.has(socket.conn)) return next();
    const message = tooManyConnectionsMessage(connectionLimits.maxPerAddress);
    next(Object.assign(new Error(message), { data: { status: 429 } }));
  });
}
