/**
 * The socket.io live-session layer: one room per board. Every connection presents a board
 * token (role from the token), every payload is validated with the protocol's zod schemas, and
 * moderator-only events are refused from anyone else. Chatty events are rate-limited.
 */
import type { Server as HttpServer } from 'node:http';
import { Server, type ServerOptions, type Socket } from 'socket.io';
import type { z } from 'zod';
import {
  MODERATOR_EVENTS,
  SOCKET_IO_PATH,
  SocketEvent,
  handLowerSchema,
  openPollSchema,
  participantSchema,
  pollCloseSchema,
  reactionSchema,
  sessionAuthSchema,
  timerStartSchema,
  voteSchema,
  type Ack,
  type ClientToServerEvents,
  type RosterEntry,
  type ServerToClientEvents,
} from '../../lib/protocol';
import { checkAssumptionValue, isAssumptionId } from '../../lib/model';
import { saveClosedPoll, setBand } from '../../lib/board/schema';
import type { BoardHub } from '../collab/hub';
import type { AccessControl } from '../auth/access';
import { BOARD_ID_PATTERN, randomId } from '../collab/ids';
import { TokenBucket } from '../collab/rateLimit';
import type { Logger } from '../logger';
import { BoardSession, bandFromAnswers, type SessionOp } from './boardSession';

interface SocketData {
  boardId: string;
  epoch: number;
  entry: RosterEntry;
}

type SessionSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;
export type SessionServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

const roomOf = (boardId: string) => `board:${boardId}`;
/** Server-to-server event carrying a SessionOp between instances. */
const SESSION_OP = 'session:op';

export interface LiveSession {
  io: SessionServer;
  /** Disconnect every socket of a board that holds a link older than `epoch`. */
  revokeBefore(boardId: string, epoch: number, message: string): Promise<void>;
}

export function createLiveSession(options: {
  httpServer: HttpServer;
  hub: BoardHub;
  access: AccessControl;
  logger: Logger;
  maxMessageBytes: number;
  /** Events per second one socket may send (burst twice that). */
  eventsPerSecond?: number;
  /** socket.io adapter for several instances (Redis). */
  adapter?: ServerOptions['adapter'];
}): LiveSession {
  const { hub, access, logger } = options;
  const io: SessionServer = new Server(options.httpServer, {
    path: SOCKET_IO_PATH,
    serveClient: false,
    // Other upgrade paths (/yjs, /_next) belong to other handlers on the same server.
    destroyUpgrade: false,
    maxHttpBufferSize: Math.min(options.maxMessageBytes, 64 * 1024),
    ...(options.adapter ? { adapter: options.adapter } : {}),
  });
  const sessions = new Map<string, BoardSession>();
  const sessionOf = (boardId: string) => {
    let s = sessions.get(boardId);
    if (!s) sessions.set(boardId, (s = new BoardSession()));
    return s;
  };
  // With several instances each keeps a replica of every session; operations are replayed.
  const replicated = options.adapter !== undefined;
  const replicate = (boardId: string, op: SessionOp) => {
    if (replicated) io.serverSideEmit(SESSION_OP, boardId, op);
  };
  if (replicated) {
    (io as unknown as { on(e: string, fn: (boardId: string, op: SessionOp) => void): void }).on(
      SESSION_OP,
      (boardId, op) => sessionOf(boardId).apply(op),
    );
  }

  io.use((socket, next) => {
    const parsed = sessionAuthSchema.safeParse(socket.handshake.auth);
    if (!parsed.success)
      return next(new Error('invalid handshake: send boardId, participant, token and clientId'));
    const { boardId, participant, token, clientId } = parsed.data;
    if (!BOARD_ID_PATTERN.test(boardId)) return next(new Error('board not found'));
    access.check(boardId, token).then(
      (result) => {
        if (!result.ok)
          return next(
            Object.assign(new Error(result.message), { data: { status: result.status } }),
          );
        socket.data.boardId = boardId;
        socket.data.epoch = result.epoch;
        socket.data.entry = {
          id: socket.id,
          clientId,
          ...participant,
          role: result.role,
          joinedAt: Date.now(),
        };
        next();
      },
      (err: unknown) => {
        logger.error({ err }, 'session handshake failed');
        next(new Error('server error'));
      },
    );
  });

  async function roster(boardId: string): Promise<RosterEntry[]> {
    const sockets = await io.in(roomOf(boardId)).fetchSockets();
    return sockets.map((s) => s.data.entry).sort((a, b) => a.joinedAt - b.joinedAt);
  }

  /** Roster and poll broadcasts ask every instance (fetchSockets), which can time out. */
  const logFailure = (err: unknown) => logger.warn({ err }, 'live session broadcast failed');

  async function broadcastRoster(boardId: string): Promise<void> {
    io.to(roomOf(boardId)).emit(SocketEvent.roster, await roster(boardId));
  }

  /** Each socket gets the poll with its own vote. */
  async function broadcastPoll(boardId: string): Promise<void> {
    const session = sessionOf(boardId);
    for (const s of await io.in(roomOf(boardId)).fetchSockets()) {
      s.emit(SocketEvent.pollState, session.pollState(s.data.entry.clientId));
    }
  }

  io.on('connection', (socket: SessionSocket) => {
    const { boardId } = socket.data;
    const session = sessionOf(boardId);
    const room = roomOf(boardId);
    const bucket = new TokenBucket(
      options.eventsPerSecond ?? 20,
      (options.eventsPerSecond ?? 20) * 2,
    );
    let strikes = 0;
    void socket.join(room);
    roster(boardId)
      .then((r) =>
        socket.emit(SocketEvent.snapshot, {
          role: socket.data.entry.role,
          roster: r,
          timer: session.timer,
          poll: session.pollState(socket.data.entry.clientId),
          hands: session.handList(),
          serverNow: Date.now(),
        }),
      )
      .catch(logFailure);
    broadcastRoster(boardId).catch(logFailure);

    /**
     * Register a handler with validation, role check, rate limit and an ack. The handler returns
     * an error message to refuse, or nothing.
     */
    function on<S extends z.ZodType>(
      event: string,
      schema: S | null,
      handler: (payload: z.infer<S>) => Promise<string | null> | string | null,
    ): void {
      (socket as unknown as { on(e: string, fn: (...args: unknown[]) => void): void }).on(
        event,
        (...args: unknown[]) => {
          const ack = typeof args.at(-1) === 'function' ? (args.pop() as Ack) : undefined;
          const refuse = (error: string) => {
            if (ack) ack({ ok: false, error });
            else socket.emit(SocketEvent.error, { event, message: error });
          };
          if (!bucket.take()) {
            if (++strikes > 20) socket.disconnect(true);
            return refuse('too many requests: slow down');
          }
          if (MODERATOR_EVENTS.has(event) && socket.data.entry.role !== 'moderator') {
            return refuse('only the moderator can do that');
          }
          const parsed = schema
            ? schema.safeParse(args[0] ?? {})
            : { success: true as const, data: undefined };
          if (!parsed.success) return refuse(`invalid ${event} request`);
          Promise.resolve(handler(parsed.data as z.infer<S>)).then(
            (error) => (error ? refuse(error) : ack?.({ ok: true })),
            (err: unknown) => {
              logger.error({ err, event, board: boardId }, 'session event failed');
              refuse('server error');
            },
          );
        },
      );
    }

    socket.on(SocketEvent.timePing, (ack) => {
      if (typeof ack === 'function') ack(Date.now());
    });

    on(SocketEvent.rename, participantSchema, (participant) => {
      socket.data.entry = { ...socket.data.entry, ...participant };
      broadcastRoster(boardId).catch(logFailure);
      return null;
    });

    const emitTimer = () => io.to(room).emit(SocketEvent.timerState, session.timer, Date.now());
    /** Apply an operation here, replay it on other instances. */
    const run = (op: SessionOp) => {
      session.apply(op);
      replicate(boardId, op);
    };
    on(SocketEvent.timerStart, timerStartSchema, ({ durationMs }) => {
      run({ type: 'timerStart', now: Date.now(), durationMs });
      emitTimer();
      return null;
    });
    on(SocketEvent.timerPause, null, () => {
      run({ type: 'timerPause', now: Date.now() });
      emitTimer();
      return null;
    });
    on(SocketEvent.timerReset, timerStartSchema, ({ durationMs }) => {
      run({ type: 'timerReset', durationMs });
      emitTimer();
      return null;
    });

    on(SocketEvent.pollOpen, openPollSchema, async (request) => {
      if (request.kind === 'value' && !isAssumptionId(request.assumptionId))
        return 'unknown assumption';
      run({ type: 'pollOpen', id: randomId(10), request, now: Date.now() });
      await broadcastPoll(boardId);
      return null;
    });
    on(SocketEvent.pollVote, voteSchema, async ({ pollId, value }) => {
      const poll = session.pollState(null);
      const error = session.vote(pollId, socket.data.entry.clientId, value, (v) =>
        poll?.assumptionId ? checkAssumptionValue(poll.assumptionId, v).ok : false,
      );
      if (error) return error;
      replicate(boardId, { type: 'vote', pollId, clientId: socket.data.entry.clientId, value });
      await broadcastPoll(boardId);
      return null;
    });
    on(SocketEvent.pollClose, pollCloseSchema, async ({ pollId, applyBand }) => {
      const now = Date.now();
      const result = session.closePoll(pollId, now);
      if (!result) return 'this poll is not open';
      replicate(boardId, { type: 'pollClose', pollId, now });
      const band = applyBand && result.assumptionId ? bandFromAnswers(result.values) : null;
      await hub.withBoard(boardId, (board) =>
        board.applyServerChange((doc) => {
          saveClosedPoll(doc, result);
          if (band && result.assumptionId && isAssumptionId(result.assumptionId))
            setBand(doc, result.assumptionId, band);
        }),
      );
      await broadcastPoll(boardId);
      return null;
    });

    const emitHands = () => io.to(room).emit(SocketEvent.handsState, session.handList());
    on(SocketEvent.handRaise, null, () => {
      if (socket.data.entry.role === 'viewer') return 'viewers watch only';
      const { clientId, name, color } = socket.data.entry;
      run({ type: 'handRaise', hand: { clientId, name, color, raisedAt: Date.now() } });
      emitHands();
      return null;
    });
    on(SocketEvent.handLower, handLowerSchema, ({ clientId }) => {
      const own = socket.data.entry.clientId;
      if (clientId && clientId !== own && socket.data.entry.role !== 'moderator') {
        return 'only the moderator can lower someone else’s hand';
      }
      run({ type: 'handLower', clientId: clientId ?? own });
      emitHands();
      return null;
    });
    on(SocketEvent.reaction, reactionSchema, ({ emoji }) => {
      const { name, color } = socket.data.entry;
      io.to(room).emit(SocketEvent.reaction, { emoji, name, color, at: Date.now() });
      return null;
    });

    socket.on('disconnect', () => {
      broadcastRoster(boardId).catch(logFailure);
      io.in(room)
        .fetchSockets()
        .then((left) => {
          // fetchSockets spans instances, so "nobody left" means nobody anywhere.
          if (left.length === 0 && !session.openPollId && !session.timer.running)
            sessions.delete(boardId);
        })
        .catch(logFailure);
    });
  });

  return {
    io,
    async revokeBefore(boardId, epoch, message) {
      for (const s of await io.in(roomOf(boardId)).fetchSockets()) {
        if (s.data.epoch < epoch) {
          s.emit(SocketEvent.revoked, message);
          s.disconnect(true);
        }
      }
    },
  };
}
