/**
 * The ws adapter for the collaboration hub: accepts upgrades on `/yjs/<boardId>?token=…` (a role
 * link or a participant credential, checked by AccessControl), turns each WebSocket into a
 * `PeerSocket`, and keeps dead connections from lingering (ping/pong).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import { CloseCode, YJS_PATH, closeReason } from '../lib/protocol';
import type { BoardHub, ConnectionContext } from './collab/hub';
import { BOARD_ID_PATTERN } from './collab/ids';
import type { Logger } from './logger';
import type { AccessControl } from './auth/access';

export interface YjsEndpointOptions {
  hub: BoardHub;
  access: AccessControl;
  logger: Logger;
  maxMessageBytes: number;
  /** How often to ping; a connection that missed a whole interval is dropped. */
  heartbeatMs?: number;
}

export interface YjsEndpoint {
  /** True if this upgrade request is for the Yjs endpoint. */
  matches(pathname: string): boolean;
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
}

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
  const alive = new WeakMap<WebSocket, boolean>();
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, options.heartbeatMs ?? 30_000);
  heartbeat.unref();

  const prefix = `${YJS_PATH}/`;

  function attach(ws: WebSocket, boardId: string, context: ConnectionContext): void {
    const connection = hub.connect(
      boardId,
      {
        send: (data) => ws.send(data),
        close: (code, reason) => ws.close(code, reason),
        bufferedAmount: () => ws.bufferedAmount,
      },
      context,
    );
    ws.on('message', (data, isBinary) => {
      if (!isBinary) {
        ws.close(CloseCode.malformed, closeReason[CloseCode.malformed]);
        connection.closed();
        return;
      }
      connection.receive(toBytes(data));
    });
    ws.on('close', () => connection.closed());
    ws.on('error', (err) => {
      // ws closes the socket itself (e.g. 1009 for an oversized frame); log and move on.
      logger.info({ board: boardId, err: err.message }, 'websocket error');
      connection.closed();
    });
  }

  return {
    matches: (pathname) => pathname.startsWith(prefix),

    handleUpgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const boardId = url.pathname.slice(prefix.length);
      wss.handleUpgrade(req, socket, head, (ws) => {
        alive.set(ws, true);
        ws.on('pong', () => alive.set(ws, true));
        if (!BOARD_ID_PATTERN.test(boardId)) {
          ws.close(CloseCode.boardNotFound, closeReason[CloseCode.boardNotFound]);
          return;
        }
        // Hold incoming frames until the token is checked; they are read in order afterwards.
        ws.pause();
        access.check(boardId, url.searchParams.get('token')).then(
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
              ws.close(code, result.message.slice(0, 120));
              return;
            }
            // The client may have gone while its token was checked: never attach a dead socket.
            if (ws.readyState !== ws.OPEN) return;
            // A participant credential names who this is; a bare role link gets an anonymous id.
            const { role, epoch, participant } = result;
            attach(ws, boardId, { role, epoch, participant });
            ws.resume();
          },
          (err: unknown) => {
            logger.error({ err, board: boardId }, 'access check failed');
            ws.resume();
            ws.close(CloseCode.internalError, closeReason[CloseCode.internalError]);
          },
        );
      });
    },

    close() {
      clearInterval(heartbeat);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
