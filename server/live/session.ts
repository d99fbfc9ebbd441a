/**
 * The socket.io live-session layer: one room per board. Every connection presents a participant
 * credential (a bare role link is refused): the board, the role, the participant id, the name and
 * the colour all come from it, never from the client. Every payload is validated with the
 * protocol's zod schemas, moderator-only events are refused from anyone else, and chatty events
 * are rate-limited. Votes and hands are keyed by participant id, so several tabs (or a reconnect)
 * of one person count once, and nobody can act as someone else.
 */
import type { Server as HttpServer } from 'node:http';
import { Server, type ServerOptions, type Socket } from 'socket.io';
import type { z } from 'zod';
import {
  LINK_REPLACED_MESSAGE,
  MODERATOR_EVENTS,
  SOCKET_IO_PATH,
  SocketEvent,
  handLowerSchema,
  openPollSchema,
  pollCloseSchema,
  reactionSchema,
  reauthSchema,
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
import { BoardSession, HAND_GRACE_MS, bandFromAnswers, type SessionOp } from './boardSession';

interface SocketData {
  boardId: string;
  /** Link epoch of the credential (for revocation). */
  epoch: number;
  /** Who this is: participant id, name and colour from the credential; role from it too. */
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
/**
 * Sockets whose credential passed the handshake but whose link epoch is not yet confirmed
 * (see "Revocation without races" below). Revocation targets this room too; broadcasts do not.
 */
const pendingRoomOf = (boardId: string) => `pending:${boardId}`;
/** Server-to-server event carrying a SessionOp between instances. */
const SESSION_OP = 'session:op';
/** Server-to-server event: a board's links were rotated, revoke older sockets here too. */
const SESSION_REVOKE = 'session:revoke';

/** Refusal of a handshake that presents a bare role link instead of a participant credential. */
export const CREDENTIAL_REQUIRED =
  'the live session needs a participant credential: get one with POST /api/boards/<id>/participants';

export interface LiveSession {
  io: SessionServer;
  /** Disconnect every socket of a board (on every instance) that holds a link older than `epoch`. */
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
  /** How long a raised hand waits for its owner to come back (default HAND_GRACE_MS). */
  handGraceMs?: number;
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
  const serverEvents = io as unknown as {
    on(e: string, fn: (boardId: string, arg: never) => void): void;
  };
  if (replicated) {
    serverEvents.on(SESSION_OP, (boardId, op: SessionOp) => sessionOf(boardId).apply(op));
    serverEvents.on(SESSION_REVOKE, (boardId, epoch: number) => {
      revokeHere(boardId, epoch, LINK_REPLACED_MESSAGE).catch((err: unknown) =>
        logger.error({ err, board: boardId }, 'revoking live sessions failed'),
      );
    });
  }

  /**
   * Disconnect this instance's sockets of a board opened with a link older than `epoch`. The set
   * of sockets is taken synchronously (the in-memory part of fetchSockets), so any socket attached
   * later re-reads the epoch after the rotation stored it.
   */
  function revokeHere(boardId: string, epoch: number, message: string): Promise<void> {
    return io
      .in([roomOf(boardId), pendingRoomOf(boardId)])
      .local.fetchSockets()
      .then((sockets) => {
        for (const s of sockets) {
          if (s.data.epoch < epoch) {
            s.emit(SocketEvent.revoked, message);
            s.disconnect(true);
          }
        }
      });
  }

  io.use((socket, next) => {
    const parsed = sessionAuthSchema.safeParse(socket.handshake.auth);
    if (!parsed.success)
      return next(new Error('invalid handshake: send { boardId, token } with your credential'));
    const { boardId, token } = parsed.data;
    if (!BOARD_ID_PATTERN.test(boardId)) return next(new Error('board not found'));
    const refuse = (status: number, message: string) =>
      next(Object.assign(new Error(message), { data: { status } }));
    access.check(boardId, token).then(
      (result) => {
        if (!result.ok) return refuse(result.status, result.message);
        if (!result.participant) return refuse(401, CREDENTIAL_REQUIRED);
        socket.data.boardId = boardId;
        socket.data.epoch = result.epoch;
        socket.data.entry = {
          ...result.participant,
          connectionId: socket.id,
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

  /**
   * Everyone gets the aggregates; each socket gets only its own participant's vote (`myVote`).
   * No individual vote is ever sent to anyone else.
   */
  async function broadcastPoll(boardId: string): Promise<void> {
    const session = sessionOf(boardId);
    for (const s of await io.in(roomOf(boardId)).fetchSockets()) {
      s.emit(SocketEvent.pollState, session.pollState(s.data.entry.id));
    }
  }

  io.on('connection', (socket: SessionSocket) => {
    const { boardId } = socket.data;
    const session = sessionOf(boardId);
    // Back within the grace period: a raised hand stays up.
    session.noteBack(socket.data.entry.id);
    const room = roomOf(boardId);
    const bucket = new TokenBucket(
      options.eventsPerSecond ?? 20,
      (options.eventsPerSecond ?? 20) * 2,
    );
    let strikes = 0;

    // Revocation without races: links may have been rotated since the handshake read the epoch.
    // Attach first (the pending room, which revocation targets), then re-read the epoch: a
    // rotation either stored its epoch before this read (seen here) or revokes after the join
    // (and finds this socket). Only a confirmed socket joins the board's room and is served.
    void socket.join(pendingRoomOf(boardId));
    const confirmed: Promise<boolean> = hub.storage.getBoard(boardId).then(
      (record) => {
        if (!socket.connected) return false;
        if (!record || record.linkEpoch !== socket.data.epoch) {
          socket.emit(SocketEvent.revoked, LINK_REPLACED_MESSAGE);
          socket.disconnect(true);
          return false;
        }
        // Join before leaving, so revocation always finds the socket in one of the two rooms.
        void socket.join(room);
        void socket.leave(pendingRoomOf(boardId));
        return true;
      },
      (err: unknown) => {
        logger.error({ err, board: boardId }, 'session epoch check failed');
        socket.disconnect(true);
        return false;
      },
    );
    void confirmed.then((ok) => {
      if (!ok) return;
      roster(boardId)
        .then((r) =>
          socket.emit(SocketEvent.snapshot, {
            role: socket.data.entry.role,
            you: {
              id: socket.data.entry.id,
              name: socket.data.entry.name,
              color: socket.data.entry.color,
            },
            roster: r,
            timer: session.timer,
            poll: session.pollState(socket.data.entry.id),
            hands: session.handList(),
            serverNow: Date.now(),
          }),
        )
        .catch(logFailure);
      broadcastRoster(boardId).catch(logFailure);
    });

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
          // Nothing is served before the link epoch is confirmed (a revoked socket gets nothing).
          confirmed
            .then((ok) => (ok ? handler(parsed.data as z.infer<S>) : LINK_REPLACED_MESSAGE))
            .then(
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

    // A rename: the person re-issued their credential over HTTP (same id, new name or colour).
    on(SocketEvent.reauth, reauthSchema, async ({ token }) => {
      const result = await access.check(boardId, token);
      if (!result.ok) return result.message;
      const { entry } = socket.data;
      if (result.participant?.id !== entry.id || result.role !== entry.role)
        return 'that credential is for someone else: reconnect to change who you are';
      socket.data.entry = {
        ...entry,
        name: result.participant.name,
        color: result.participant.color,
      };
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
    // One vote per participant per poll (a second vote replaces the first), from any tab.
    on(SocketEvent.pollVote, voteSchema, async ({ pollId, value }) => {
      const poll = session.pollState(null);
      const participantId = socket.data.entry.id;
      const error = session.vote(pollId, participantId, value, (v) =>
        poll?.assumptionId ? checkAssumptionValue(poll.assumptionId, v).ok : false,
      );
      if (error) return error;
      replicate(boardId, { type: 'vote', pollId, participantId, value });
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
      const { id: participantId, name, color } = socket.data.entry;
      run({ type: 'handRaise', hand: { participantId, name, color, raisedAt: Date.now() } });
      emitHands();
      return null;
    });
    on(SocketEvent.handLower, handLowerSchema, ({ participantId }) => {
      const own = socket.data.entry.id;
      if (participantId && participantId !== own && socket.data.entry.role !== 'moderator') {
        return 'only the moderator can lower someone else’s hand';
      }
      run({ type: 'handLower', participantId: participantId ?? own });
      emitHands();
      return null;
    });
    on(SocketEvent.reaction, reactionSchema, ({ emoji }) => {
      const { id: participantId, name, color } = socket.data.entry;
      io.to(room).emit(SocketEvent.reaction, { emoji, participantId, name, color, at: Date.now() });
      return null;
    });

    socket.on('disconnect', () => {
      void confirmed.then((ok) => {
        if (ok) broadcastRoster(boardId).catch(logFailure);
      });
      lowerHandIfGone(boardId, socket.data.entry.id);
      // Sockets still being confirmed count too: they hold this session.
      io.in([room, pendingRoomOf(boardId)])
        .fetchSockets()
        .then((left) => {
          // fetchSockets spans instances, so "nobody left" means nobody anywhere.
          if (left.length === 0 && !session.openPollId && !session.timer.running)
            sessions.delete(boardId);
        })
        .catch(logFailure);
    });
  });

  const handGraceMs = options.handGraceMs ?? HAND_GRACE_MS;
  /** Has this participant any socket on the board, on any instance? */
  async function isPresent(boardId: string, participantId: string): Promise<boolean> {
    const sockets = await io.in([roomOf(boardId), pendingRoomOf(boardId)]).fetchSockets();
    return sockets.some((s) => s.data.entry?.id === participantId);
  }
  /**
   * A participant whose last connection closed keeps a raised hand for the grace period (a
   * reload, a dropped phone); gone for longer, the hand is lowered for everyone.
   */
  function lowerHandIfGone(boardId: string, participantId: string): void {
    const session = sessionOf(boardId);
    if (!session.handList().some((h) => h.participantId === participantId)) return;
    isPresent(boardId, participantId)
      .then((present) => {
        if (present) return;
        session.noteLeft(participantId, Date.now());
        setTimeout(() => {
          void isPresent(boardId, participantId)
            .then((back) => {
              if (back) return session.noteBack(participantId);
              if (!session.handsOfTheGone(Date.now(), handGraceMs).includes(participantId)) return;
              session.apply({ type: 'handLower', participantId });
              replicate(boardId, { type: 'handLower', participantId });
              io.to(roomOf(boardId)).emit(SocketEvent.handsState, session.handList());
            })
            .catch(logFailure);
        }, handGraceMs).unref();
      })
      .catch(logFailure);
  }

  return {
    io,
    async revokeBefore(boardId, epoch, message) {
      // Other instances revoke their own sockets (fire and forget: no fetchSockets timeout).
      if (replicated) io.serverSideEmit(SESSION_REVOKE, boardId, epoch);
      await revokeHere(boardId, epoch, message);
    },
  };
}
