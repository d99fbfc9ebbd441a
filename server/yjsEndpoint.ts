/**
 * The ws adapter for the collaboration hub: accepts upgrades on `/yjs/<boardId>?token=…` (a role
 * link or a participant credential, checked by AccessControl), turns each WebSocket into a
 * `PeerSocket`, and keeps dead connections from lingering (ping/pong). Upgrades over the
 * per-address connection cap get HTTP 429; every connection's unsent bytes count against the
 * server-wide outbound budget.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import {
  CLIENT_VERSION_FIELDS,
  CloseCode,
  TAB_PARAM,
  YJS_PATH,
  clientVersionProblem,
  closeReason,
  codedCloseReason,
} from '../lib/protocol';
import type { BoardHub, ConnectionContext, ConnectionHandle } from './collab/hub';
import type { PeerSocket } from './collab/liveBoard';
import { BOARD_ID_PATTERN } from './collab/ids';
import type { Logger } from './logger';
import type { AccessControl } from './auth/access';
import type { OutboundBudget, OutboundQueue } from './outboundBudget';
import type { Metrics } from './metrics';
import { sendBinary } from './wsFrames';
import { TabConnections } from './tabConnections';
import {
  tooManyConnectionsMessage,
  type AddressOf,
  type ConnectionLimiter,
} from './connectionLimits';

/**
 * What an attached connection's shared listeners need, kept on its socket: one small object
 * per connection rather than a closure per listener (issue 12's memory per participant).
 */
interface WsConnection {
  boardId: string;
  /** On every log line about it. */
  connectionId: string;
  outbound: OutboundQueue;
  connection: ConnectionHandle;
  /** The metrics' count of open connections, told this one closed. */
  countClosed: () => void;
  participantId: string | null;
  /** Its tab id, once claimed (TabConnections). */
  tab: string | null;
}
const ATTACHED = Symbol('attached');
type AttachedSocket = WebSocket & { [ATTACHED]?: WsConnection };

/** A WebSocket as the hub's PeerSocket; its unsent bytes count against the outbound budget. */
class WsPeerSocket implements PeerSocket {
  /** ws calls it once a send is handed to the OS: the budget learns what is still unsent. */
  readonly written = (): void => this.outbound.report(this.ws.bufferedAmount);

  constructor(
    private readonly ws: WebSocket,
    private readonly outbound: OutboundQueue,
  ) {}

  send(data: Uint8Array): void {
    const { ws } = this;
    if (ws.readyState !== ws.OPEN || !this.outbound.admit(ws.bufferedAmount)) return;
    sendBinary(ws, data, this.written);
    this.written();
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason);
    // A close frame waits behind unsent data, and ws keeps the connection (and that data)
    // until the client answers or 30 s pass: with much unsent, drop it now.
    if (code === CloseCode.slowConsumer || this.ws.bufferedAmount > CLOSE_AFTER_UNSENT_BYTES)
      this.ws.terminate();
  }

  bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }
}

export interface YjsEndpointOptions {
  hub: BoardHub;
  access: AccessControl;
  logger: Logger;
  maxMessageBytes: number;
  /** How often to ping; a connection that missed a whole interval is dropped. */
  heartbeatMs?: number;
  /** Server-wide cap on unsent bytes (shared with socket.io). */
  outbound: OutboundBudget;
  /** Open connections per client address (shared with socket.io). */
  connectionLimits: ConnectionLimiter;
  addressOf: AddressOf;
  metrics: Pick<Metrics, 'connectionOpened'>;
}

export interface YjsEndpoint {
  /** True if this upgrade request is for the Yjs endpoint. */
  matches(pathname: string): boolean;
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /**
   * Stop (after the hub closed): connections still open (e.g. still joining) are closed with 1012
   * too; all get `graceMs` to finish their close handshake (so clients see the code), then
   * whatever is left is dropped.
   */
  close(graceMs?: number): Promise<void>;
}

/** Closing a connection that still has more than this to send drops it instead of waiting. */
const CLOSE_AFTER_UNSENT_BYTES = 64 * 1024;
/** Parts of the heartbeat period its pings are spread over (see createYjsEndpoint). */
const HEARTBEAT_SLICES = 30;

const toBytes = (data: RawData): Uint8Array => {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
};

export function createYjsEndpoint(options: YjsEndpointOptions): YjsEndpoint {
  const { hub, logger, access } = options;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxMessageBytes,
    perMessageDeflate: false,
  });
  // Liveness: each connection is pinged once per heartbeat period and closed if it left the
  // previous ping unanswered. Connections are dealt into HEARTBEAT_SLICES slices, one pinged per
  // tick, so a tick costs its slice only and a connection's pings stay one period apart: pinging
  // 3,000 connections at once held the event loop for about 150 ms every 30 s, and every edit
  // relayed meanwhile waited (bench/README.md, rooms).
  const slices = Array.from({ length: HEARTBEAT_SLICES }, () => new Set<WebSocket>());
  const unanswered = new Set<WebSocket>();
  let nextSlice = 0;
  let tick = 0;
  const heartbeat = setInterval(
    () => {
      for (const ws of slices[tick++ % HEARTBEAT_SLICES]!) {
        if (unanswered.has(ws)) {
          ws.terminate();
          continue;
        }
        unanswered.add(ws);
        ws.ping();
      }
    },
    (options.heartbeatMs ?? 30_000) / HEARTBEAT_SLICES,
  );
  heartbeat.unref();
  // Shared listeners (`this` is the socket), so watching costs no closure per connection.
  function answered(this: WebSocket): void {
    unanswered.delete(this);
  }
  function forget(this: WebSocket): void {
    unanswered.delete(this);
    for (const slice of slices) slice.delete(this);
  }

  const prefix = `${YJS_PATH}/`;
  /** A tab that connects again drops its previous connection here (maybe half-open) at once. */
  const tabs = new TabConnections<WebSocket>((previous) => previous.terminate());

  /** Answered pings keep a connection; an unanswered one closes it at its slice's next turn. */
  function watchLiveness(ws: WebSocket): void {
    slices[nextSlice++ % HEARTBEAT_SLICES]!.add(ws);
    ws.on('pong', answered);
    ws.on('close', forget);
  }

  // A connection's own listeners, shared by all (`this` is the socket; its state hangs off it).
  function onMessage(this: AttachedSocket, data: RawData, isBinary: boolean): void {
    const { connection } = this[ATTACHED]!;
    if (!isBinary) {
      this.close(CloseCode.malformed, closeReason[CloseCode.malformed]);
      connection.closed();
      return;
    }
    connection.receive(toBytes(data));
  }
  function onClose(this: AttachedSocket): void {
    const attached = this[ATTACHED]!;
    attached.outbound.release();
    attached.connection.closed();
    attached.countClosed();
    if (attached.participantId) tabs.release(attached.participantId, attached.tab, this);
  }
  function onError(this: AttachedSocket, err: Error): void {
    // ws closes the socket itself (e.g. 1009 for an oversized frame); log and move on.
    const attached = this[ATTACHED]!;
    logger.info(
      { conn: attached.connectionId, board: attached.boardId, err: err.message },
      'websocket error',
    );
    attached.connection.closed();
  }

  function attach(
    ws: WebSocket,
    boardId: string,
    context: ConnectionContext & { connectionId: string },
  ): WsConnection {
    // Evicted for holding too much unsent data: it is not reading, so a close frame would wait
    // behind that data; drop the connection and its buffers now (the client reconnects).
    const outbound = options.outbound.open(() => ws.terminate());
    const transport = new WsPeerSocket(ws, outbound);
    const attached: WsConnection = {
      boardId,
      connectionId: context.connectionId,
      outbound,
      connection: hub.connect(boardId, transport, context),
      countClosed: options.metrics.connectionOpened('yjs', context.role),
      participantId: context.participant?.id ?? null,
      tab: null,
    };
    (ws as AttachedSocket)[ATTACHED] = attached;
    // `on`, not `once`: 'close' comes once, and a `once` wrapper is kept per connection.
    ws.on('message', onMessage);
    ws.on('close', onClose);
    ws.on('error', onError);
    return attached;
  }

  return {
    matches: (pathname) => pathname.startsWith(prefix),

    handleUpgrade(req, socket, head) {
      // Read what the callbacks below need now (they need not keep the URL).
      const url = new URL(req.url ?? '/', 'http://localhost');
      const boardId = url.pathname.slice(prefix.length);
      const token = url.searchParams.get('token');
      const tab = url.searchParams.get(TAB_PARAM);
      const clientVersions = {
        protocol: url.searchParams.get(CLIENT_VERSION_FIELDS.protocol),
        schema: url.searchParams.get(CLIENT_VERSION_FIELDS.schema),
      };
      // Every log line about this connection carries its id. Not randomUUID: its string is built
      // from 16 pieces, and V8 keeps them all for the connection's life (0.6 KB; issue 12).
      const connectionId = randomBytes(12).toString('base64url');
      const release = options.connectionLimits.acquire(options.addressOf(req));
      if (!release) {
        const body = tooManyConnectionsMessage(options.connectionLimits.maxPerAddress);
        socket.end(
          `HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\n` +
            `Content-Type: text/plain; charset=utf-8\r\n` +
            `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
        );
        return;
      }
      // The TCP socket outlives every path below (refused, failed or closed WebSocket).
      socket.on('close', release);
      if (socket.destroyed) release();
      wss.handleUpgrade(req, socket, head, (ws) => {
        watchLiveness(ws);
        if (!BOARD_ID_PATTERN.test(boardId)) {
          ws.close(CloseCode.boardNotFound, closeReason[CloseCode.boardNotFound]);
          return;
        }
        // The handshake's versions (lib/protocol.ts): a client too old for this server is told
        // to reload, before anything of the board is sent to it.
        const versions = clientVersionProblem(clientVersions);
        if (versions === 'outdated') {
          ws.close(CloseCode.clientOutdated, closeReason[CloseCode.clientOutdated]);
          return;
        }
        if (versions === 'malformed') {
          ws.close(CloseCode.malformed, 'protocol and schema must be whole numbers');
          return;
        }
        // Hold incoming frames until the token is checked; they are read in order afterwards.
        ws.pause();
        access.check(boardId, token).then(
          (result) => {
            if (!result.ok) {
              // Resume first: a paused socket would never read the client's half of the close.
              ws.resume();
              const code =
                result.status === 401
                  ? CloseCode.unauthorized
                  : result.status === 403
                    ? CloseCode.forbidden
                    : CloseCode.boardNotFound;
              ws.close(code, codedCloseReason(result.reason, result.message));
              return;
            }
            // The client may have gone while its token was checked: never attach a dead socket.
            if (ws.readyState !== ws.OPEN) return;
            // A participant credential names who this is; a bare role link gets an anonymous id.
            const { role, epoch, participant } = result;
            const attached = attach(ws, boardId, { role, epoch, participant, connectionId });
            // Released in the close listener.
            if (participant && tabs.claim(participant.id, tab, ws)) attached.tab = tab;
            ws.resume();
          },
          (err: unknown) => {
            // The check reads the board's record: storage is unreachable. The client keeps its
            // changes and retries, saying "saving paused" meanwhile.
            logger.error({ conn: connectionId, err, board: boardId }, 'access check failed');
            ws.resume();
            ws.close(CloseCode.savingPaused, closeReason[CloseCode.savingPaused]);
          },
        );
      });
    },

    async close(graceMs = 0) {
      clearInterval(heartbeat);
      const restart = CloseCode.serviceRestart;
      for (const ws of wss.clients)
        if (ws.readyState === ws.OPEN) ws.close(restart, closeReason[restart]);
      const deadline = Date.now() + graceMs;
      while (wss.clients.size > 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
