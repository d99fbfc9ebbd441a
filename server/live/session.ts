/**
 * The socket.io live-session layer: one room per board. For now it reports who is connected
 * (the roster); presenter follow, timer, polls and the rest build on the same room.
 */
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import {
  SOCKET_IO_PATH,
  SocketEvent,
  participantSchema,
  sessionAuthSchema,
  type ClientToServerEvents,
  type RosterEntry,
  type ServerToClientEvents,
} from '../../lib/protocol';
import type { BoardStorage } from '../storage/types';
import { BOARD_ID_PATTERN } from '../collab/ids';
import type { Logger } from '../logger';

interface SocketData {
  boardId: string;
  entry: RosterEntry;
}

type SessionSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type SessionServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const roomOf = (boardId: string) => `board:${boardId}`;

export function createLiveSession(options: {
  httpServer: HttpServer;
  storage: BoardStorage;
  logger: Logger;
  maxMessageBytes: number;
}): SessionServer {
  const io: SessionServer = new Server(options.httpServer, {
    path: SOCKET_IO_PATH,
    serveClient: false,
    // Other upgrade paths (/yjs, /_next) belong to other handlers on the same server.
    destroyUpgrade: false,
    maxHttpBufferSize: options.maxMessageBytes,
  });

  io.use((socket, next) => {
    const parsed = sessionAuthSchema.safeParse(socket.handshake.auth);
    if (!parsed.success) return next(new Error('invalid handshake: send boardId and participant'));
    const { boardId, participant } = parsed.data;
    if (!BOARD_ID_PATTERN.test(boardId)) return next(new Error('board not found'));
    options.storage.getBoard(boardId).then(
      (record) => {
        if (!record) return next(new Error('board not found'));
        socket.data.boardId = boardId;
        socket.data.entry = { id: socket.id, ...participant, role: 'editor', joinedAt: Date.now() };
        next();
      },
      (err: unknown) => {
        options.logger.error({ err }, 'session handshake failed');
        next(new Error('server error'));
      },
    );
  });

  async function broadcastRoster(boardId: string): Promise<void> {
    const sockets = await io.in(roomOf(boardId)).fetchSockets();
    const roster = sockets.map((s) => s.data.entry).sort((a, b) => a.joinedAt - b.joinedAt);
    io.to(roomOf(boardId)).emit(SocketEvent.roster, roster);
  }

  io.on('connection', (socket: SessionSocket) => {
    const { boardId } = socket.data;
    void socket.join(roomOf(boardId));
    void broadcastRoster(boardId);

    socket.on(SocketEvent.rename, (payload) => {
      const parsed = participantSchema.safeParse(payload);
      if (!parsed.success) {
        socket.emit(SocketEvent.error, { event: SocketEvent.rename, message: 'invalid name or colour' });
        return;
      }
      socket.data.entry = { ...socket.data.entry, ...parsed.data };
      void broadcastRoster(boardId);
    });

    socket.on('disconnect', () => void broadcastRoster(boardId));
  });

  return io;
}
