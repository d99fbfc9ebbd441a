/**
 * The socket.io live-session layer: one room per board. Every connection presents a participant
 * credential (a bare role link is refused): the board, the role, the participant id, the name and
 * the colour all come from it, never from the client. Every payload is validated with the
 * protocol's valibot schemas, moderator-only events are refused from anyone else, and chatty events
 * are rate-limited. Votes and hands are keyed by participant id, so several tabs (or a reconnect)
 * of one person count once, and nobody can act as someone else.
 *
 * Scale: no event costs O(people). Each instance keeps a replica of every board's session (the
 * roster included) fed by operations replayed between instances (`serverSideEmit`, one message
 * per operation, never a `fetchSockets` round trip); joins, leaves, hands, reactions and poll
 * counts are gathered and sent as one `session:changes` batch per `batchIntervalMs(roomSize)`,
 * each instance to its own sockets. The roster clients get names only the moderators and a few
 * others (`ROSTER_LISTED_MAX`); the room beyond them is a count.
 */
import type { Server as HttpServer } from 'node:http';
import { Server, type ServerOptions, type Socket } from 'socket.io';
import * as v from 'valibot';
import {
  LINK_REPLACED_MESSAGE,
  MODERATOR_EVENTS,
  SOCKET_IO_PATH,
  SocketEvent,
  TAB_PARAM,
  batchIntervalMs,
  handLowerSchema,
  openPollSchema,
  participantIdentitySchema,
  pollCloseSchema,
  qaAnswerSchema,
  qaCloseSchema,
  qaOpenSchema,
  qaRefSchema,
  qaUpvoteSchema,
  reactionSchema,
  reauthSchema,
  sessionAuthSchema,
  timerStartSchema,
  voteSchema,
  refusedWith,
  type Ack,
  type ClientToServerEvents,
  type RosterEntry,
  type ServerToClientEvents,
  type SessionChanges,
  type SessionRefusal,
} from '../../lib/protocol';
import { checkAssumptionValue, isAssumptionId } from '../../lib/model';
import { saveClosedPoll } from '../../lib/board/polls';
import { ID_MAX } from '../../lib/board/limits';
import { setBand } from '../../lib/board/bands';
import type { BoardHub } from '../collab/hub';
import type { AccessControl } from '../auth/access';
import { BOARD_ID_PATTERN, randomId } from '../collab/ids';
import { TokenBucket } from '../collab/rateLimit';
import type { Logger } from '../logger';
import type { LinkEpochs } from '../storage/types';
import { BoardSession, HAND_GRACE_MS, type SessionOp } from './boardSession';
import type { DurableSessions } from './durable';
import { storedSessionSchema, type StoredSession } from './stored';
import type { VoterKey } from './qa';
import { roomBandFromAnswers } from '../../lib/board/pollBand';
import { dropAtOnce, unsentBytes } from '../socketIoGuards';
import { TabConnections } from '../tabConnections';

interface SocketData {
  boardId: string;
  /** Link epoch of the credential (for revocation). */
  epoch: number;
  /** Who this is: participant id, name and colour from the credential; role from it too. */
  entry: RosterEntry;
  /** The page's tab id from the handshake (TAB_PARAM), once `tabs` holds it; else null. */
  tab: string | null;
}

/**
 * A socket with more than this unsent, plus room for a snapshot (`behindBytes`), is behind (a
 * slow phone): session batches skip it until it has caught up, then it gets one snapshot (as Yjs
 * presence does, PRESENCE_BEHIND_BYTES). A socket that stays behind is closed by the outbound
 * budget (server/outboundBudget.ts).
 */
export const SESSION_BEHIND_BYTES = 64 * 1024;
/**
 * A snapshot may hold a raised hand per person (about 120 bytes each): a joiner (or a socket just
 * caught up) still sending its snapshot is not behind, or a plenary's joiners would be sent
 * snapshot after snapshot.
 */
const behindBytes = (roomSize: number) => SESSION_BEHIND_BYTES + roomSize * 256;
/** Sockets a batch goes to per turn of the event loop (about 2-5 ms of writes; see sendBatch). */
const BATCH_SLICE_SOCKETS = 100;
/** How often sockets that fell behind are checked for having caught up. */
const SESSION_CATCH_UP_MS = 250;

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
/** The moderators of a board: they get the exact poll counts, even while results are hidden. */
const moderatorsOf = (boardId: string) => `moderators:${boardId}`;
/** Every connection (tab) of one participant on one board: their own vote echo goes there. */
const participantRoomOf = (boardId: string, participantId: string) =>
  `participant:${boardId}:${participantId}`;
/**
 * Sockets whose credential passed the handshake but whose link epoch is not yet confirmed
 * (see "Revocation without races" below). Revocation targets this room too; broadcasts do not.
 */
const pendingRoomOf = (boardId: string) => `pending:${boardId}`;
/** Server-to-server event carrying a SessionOp between instances. */
const SESSION_OP = 'session:op';
/** Server-to-server request: a peer's replica of a board's session (for a new replica). */
const SESSION_REPLICA = 'session:replica';
/** How long a new replica waits for its peers before reading the stored copy. */
const PEER_REPLICA_TIMEOUT_MS = 1_000;
/** Server-to-server event: a board's links were rotated, revoke older sockets here too. */
const SESSION_REVOKE = 'session:revoke';
/** A hand's grace check that found no answer across instances is asked again after this. */
const HAND_CHECK_RETRY_MS = 1_000;

type Reply = (replica: unknown) => void;

/** A peer's replica, checked like a stored copy (a peer of another build may differ). */
const replicaSchema = v.object({
  stored: storedSessionSchema,
  roster: v.pipe(
    v.array(
      v.object({
        ...participantIdentitySchema.entries,
        connectionId: v.pipe(v.string(), v.minLength(1), v.maxLength(ID_MAX)),
        role: v.picklist(['moderator', 'editor', 'viewer']),
        joinedAt: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
      }),
    ),
    v.maxLength(20_000),
  ),
});

/** Refusal of a handshake that presents a bare role link instead of a participant credential. */
export const CREDENTIAL_REQUIRED =
  'the live session needs a participant credential: get one with POST /api/boards/<id>/participants';

export interface LiveSession {
  io: SessionServer;
  /**
   * Disconnect every socket of a board (on every instance) that holds a link older than its
   * role's epoch in `epochs`.
   */
  revokeBefore(boardId: string, epochs: LinkEpochs, message: string): Promise<void>;
  /**
   * After socket.io has closed, before its Redis clients quit: no batch, grace-period timer or
   * replicated operation may run any more (a publish on a closed client is an unhandled error
   * inside the adapter).
   */
  stop(): void;
  /** Write every live session changed since its last write (after `stop`, before Redis quits). */
  flush(): Promise<void>;
}

/** Operations that change what a stored copy holds (roster and reactions are not kept). */
const PERSISTED_OPS = new Set<SessionOp['type']>([
  'timerStart',
  'timerPause',
  'timerReset',
  'pollOpen',
  'vote',
  'pollClose',
  'handRaise',
  'handLower',
  'qaOpen',
  'qaClose',
  'qaAnswer',
  'qaUpvote',
  'qaHide',
]);

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
  /** Where sessions outlive the process (Redis or storage); none: memory only. */
  durable?: DurableSessions;
  /** Pseudonyms for anonymous polls and Q&As (see BoardSession); default: the id itself. */
  voterKey?: VoterKey;
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
  const { durable, voterKey } = options;
  const sessions = new Map<string, BoardSession>();
  /** Sessions being created from their stored copy, with the operations that arrived meanwhile. */
  const loading = new Map<string, { ready: Promise<BoardSession>; ops: SessionOp[] }>();

  /**
   * The board's session in this process. The first use reads the stored copy (so a restart of
   * every instance keeps the timer, poll, hands and Q&A); operations replayed meanwhile are
   * applied after it, in order (they are idempotent against a copy that already holds them).
   */
  function sessionReady(boardId: string): Promise<BoardSession> {
    const existing = sessions.get(boardId);
    if (existing) return Promise.resolve(existing);
    const pending = loading.get(boardId);
    if (pending) return pending.ready;
    const ops: SessionOp[] = [];
    const started = performance.now();
    // A peer's replica is the freshest (and has the roster); the stored copy is the fallback.
    const ready = replicaFromPeers(boardId).then(async (replica) => {
      const stored = replica?.stored ?? (durable ? await durable.load(boardId) : null);
      const session = new BoardSession({ voterKey });
      if (stored) {
        try {
          session.restore(stored);
          for (const entry of replica?.roster ?? []) session.join(entry);
        } catch (err) {
          logger.error({ err, board: boardId }, 'stored live session could not be restored');
        }
      }
      for (const op of ops) session.apply(op);
      sessions.set(boardId, session);
      loading.delete(boardId);
      if (stored) {
        logger.info(
          {
            board: boardId,
            ms: Math.round(performance.now() - started),
            from: replica ? 'peer' : durable?.kind,
          },
          'live session restored',
        );
        graceForRestoredHands(boardId, session);
      }
      scheduleBatch(boardId);
      return session;
    });
    loading.set(boardId, { ready, ops });
    return ready;
  }
  /** This instance's sockets of a board still being confirmed (they hold its session). */
  const confirmingHere = new Map<string, number>();
  const batchTimers = new Map<string, NodeJS.Timeout>();
  /** Boards whose batch is still going out in slices (the next one waits for it). */
  const sendingBatch = new Set<string>();
  /**
   * Sockets that were behind (SESSION_BEHIND_BYTES unsent) when a batch went out, by board: they
   * get no more batches, and once caught up one snapshot of the latest state (which replaces
   * what they held), so a slow phone never receives a backlog of roster and count deltas.
   */
  const behind = new Map<string, Set<SessionSocket>>();
  let catchUpTimer: NodeJS.Timeout | null = null;

  /** While some socket is behind, check now and then whether it caught up. */
  function scheduleCatchUp(): void {
    if (catchUpTimer || behind.size === 0 || stopped) return;
    catchUpTimer = setTimeout(() => {
      catchUpTimer = null;
      for (const [boardId, late] of behind) {
        const session = sessions.get(boardId);
        for (const socket of late) {
          if (!socket.connected || !session) late.delete(socket);
          // Nearly drained (so the snapshot it gets does not put it behind again).
          else if (unsentBytes(socket.conn) <= SESSION_BEHIND_BYTES) {
            late.delete(socket);
            socket.emit(SocketEvent.snapshot, snapshotFor(session, socket.data.entry));
          }
        }
        if (late.size === 0) behind.delete(boardId);
      }
      scheduleCatchUp();
    }, SESSION_CATCH_UP_MS).unref();
  }

  /** Everything a connection of the board needs to know, now (a joiner's, or after catching up). */
  function snapshotFor(session: BoardSession, entry: RosterEntry) {
    return {
      role: entry.role,
      you: { id: entry.id, name: entry.name, color: entry.color },
      roster: session.listedRoster(),
      present: session.rosterSize,
      timer: session.timer,
      poll: session.pollState(entry.id, entry.role === 'moderator' ? 'moderator' : 'participant'),
      hands: session.handList(),
      people: session.people,
      qa: session.qa.state(),
      qaUpvoted: session.qa.upvotedBy(entry.id),
      serverNow: Date.now(),
    };
  }

  /** Send the board's next batch after the room-size interval (one timer per board). */
  function scheduleBatch(boardId: string): void {
    const session = sessions.get(boardId);
    if (stopped || !session || !session.hasChanges) return;
    if (batchTimers.has(boardId) || sendingBatch.has(boardId)) return;
    const timer = setTimeout(() => sendBatch(boardId), batchIntervalMs(session.rosterSize));
    batchTimers.set(boardId, timer.unref());
  }

  /**
   * One `session:changes` to this instance's sockets of the board (`local`: every instance sends
   * its own from its replica, so a batch crosses Redis once per operation, not per socket).
   * Encoded once per audience and slice: participants, and moderators with the exact counts.
   *
   * A large room gets its batch in slices of BATCH_SLICE_SOCKETS, one slice per turn of the event
   * loop: a single broadcast to 1,000 sockets blocked the process for 15-55 ms, and every Yjs
   * edit arriving meanwhile waited for all of it. Each socket still gets its batches in order:
   * the recipients are fixed when the changes are taken (a later joiner's snapshot already holds
   * them), and the next batch waits until this one has reached everyone. Announcements sent
   * between slices (a poll or Q&A closing) cannot be undone by an older slice: their state is
   * null or a new id, and the client ignores counts for any other poll or Q&A (liveView.ts).
   */
  function sendBatch(boardId: string): void {
    batchTimers.delete(boardId);
    const session = sessions.get(boardId);
    if (!session) return;
    const { participants, moderators } = session.takeChanges(Date.now());
    const { adapter, sockets } = io.of('/');
    const room = adapter.rooms.get(roomOf(boardId));
    if ((!participants && !moderators) || !room) return afterBatch(boardId);
    const mods = adapter.rooms.get(moderatorsOf(boardId));
    // Sockets behind (or behind before) are left out until they catch up (scheduleCatchUp).
    let late = behind.get(boardId);
    const limit = behindBytes(session.rosterSize);
    const toParticipants: string[] = [];
    const toModerators: string[] = [];
    for (const id of room) {
      const socket = sockets.get(id);
      if (!socket || late?.has(socket)) continue;
      if (unsentBytes(socket.conn) > limit) {
        if (!late) behind.set(boardId, (late = new Set()));
        late.add(socket);
        continue;
      }
      (mods?.has(id) ? toModerators : toParticipants).push(id);
    }
    if (late) scheduleCatchUp();
    const parts: [string[], SessionChanges][] = [];
    if (moderators) parts.push([toModerators, moderators]);
    if (participants) parts.push([toParticipants, participants]);
    sendingBatch.add(boardId);
    sendSlices(boardId, parts, 0, 0);
  }

  /** One slice of a batch, then the rest on the next turns (see sendBatch). */
  function sendSlices(
    boardId: string,
    parts: [string[], SessionChanges][],
    part: number,
    offset: number,
  ): void {
    let budget = BATCH_SLICE_SOCKETS;
    while (budget > 0 && part < parts.length && !stopped) {
      const [ids, changes] = parts[part]!;
      const slice = ids.slice(offset, offset + budget);
      if (slice.length > 0) io.local.to(slice).emit(SocketEvent.changes, changes);
      budget -= slice.length;
      offset += slice.length;
      if (offset >= ids.length) [part, offset] = [part + 1, 0];
    }
    if (part < parts.length && !stopped)
      setImmediate(() => sendSlices(boardId, parts, part, offset));
    else {
      sendingBatch.delete(boardId);
      afterBatch(boardId);
    }
  }

  function afterBatch(boardId: string): void {
    scheduleBatch(boardId); // participants' counts may still be held back
    forgetIfIdle(boardId);
  }

  /** Drop a session nobody holds (no connection anywhere, none confirming here, nothing running). */
  function forgetIfIdle(boardId: string): void {
    const session = sessions.get(boardId);
    if (!session || session.rosterSize > 0 || (confirmingHere.get(boardId) ?? 0) > 0) return;
    if (session.openPollId || session.qa.openId || session.timer.running) return;
    sessions.delete(boardId);
    clearTimeout(batchTimers.get(boardId));
    batchTimers.delete(boardId);
  }

  // With several instances each keeps a replica of every session; operations are replayed.
  const replicated = options.adapter !== undefined;
  let stopped = false;
  /** The stored copy is rewritten soon after a change to what it holds (every instance writes). */
  const persist = (boardId: string, op: SessionOp) => {
    const session = sessions.get(boardId);
    if (durable && session && PERSISTED_OPS.has(op.type)) durable.changed(boardId, session);
  };
  /** An operation applied here: replay it on other instances, and store it. */
  const replicate = (boardId: string, op: SessionOp) => {
    if (replicated && !stopped) io.serverSideEmit(SESSION_OP, boardId, op);
    persist(boardId, op);
  };
  /** Apply an operation here, replay it on other instances, and batch what it changed. */
  const run = (boardId: string, op: SessionOp) => {
    const session = sessions.get(boardId);
    if (!session) return; // every caller holds a loaded session
    session.apply(op);
    replicate(boardId, op);
    scheduleBatch(boardId);
  };
  const serverEvents = io as unknown as {
    on(e: string, fn: (boardId: string, arg: never) => void): void;
  };
  if (replicated) {
    serverEvents.on(SESSION_OP, (boardId, op: SessionOp) => {
      const session = sessions.get(boardId);
      if (!session) {
        // A replica being created: the operation waits for the stored copy.
        void sessionReady(boardId);
        loading.get(boardId)?.ops.push(op);
        return;
      }
      session.apply(op);
      persist(boardId, op);
      scheduleBatch(boardId);
      if (op.type === 'leave') forgetIfIdle(boardId);
    });
    // A peer creating a board's session asks for this replica (nothing if there is none here).
    (serverEvents as unknown as { on(e: string, fn: (b: string, ack: Reply) => void): void }).on(
      SESSION_REPLICA,
      (boardId, reply) => {
        const session = sessions.get(boardId);
        reply(session && !stopped ? session.toReplica(Date.now()) : null);
      },
    );
    serverEvents.on(SESSION_REVOKE, (boardId, epochs: LinkEpochs) => {
      revokeHere(boardId, epochs, LINK_REPLACED_MESSAGE).catch((err: unknown) =>
        logger.error({ err, board: boardId }, 'revoking live sessions failed'),
      );
    });
  }

  /**
   * Ask the other instances for their replica of a board's session (once, when this instance
   * creates it): the first one that holds it answers with its state and roster. Null when none
   * does, without several instances, or after PEER_REPLICA_TIMEOUT_MS.
   */
  function replicaFromPeers(
    boardId: string,
  ): Promise<{ stored: StoredSession; roster: RosterEntry[] } | null> {
    if (!replicated || stopped) return Promise.resolve(null);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), PEER_REPLICA_TIMEOUT_MS);
      timer.unref();
      const peers = io as unknown as {
        serverSideEmit(
          e: string,
          boardId: string,
          done: (err: unknown, replies: unknown[]) => void,
        ): void;
      };
      peers.serverSideEmit(SESSION_REPLICA, boardId, (_err, replies) => {
        clearTimeout(timer);
        for (const reply of replies ?? []) {
          const parsed = v.safeParse(replicaSchema, reply);
          if (parsed.success) return resolve(parsed.output);
        }
        resolve(null);
      });
    });
  }

  /**
   * Disconnect this instance's sockets of a board opened with a link older than its role's epoch. The set
   * of sockets is taken synchronously (the in-memory part of fetchSockets), so any socket attached
   * later re-reads the epoch after the rotation stored it.
   */
  function revokeHere(boardId: string, epochs: LinkEpochs, message: string): Promise<void> {
    return io
      .in([roomOf(boardId), pendingRoomOf(boardId)])
      .local.fetchSockets()
      .then((sockets) => {
        for (const s of sockets) {
          if (s.data.epoch < epochs[s.data.entry.role]) {
            s.emit(SocketEvent.revoked, message);
            s.disconnect(true);
          }
        }
      });
  }

  /** A tab that connects again drops its previous live session (maybe half-open) at once. */
  const tabs = new TabConnections<SessionSocket>((previous) => dropAtOnce(previous.conn));

  io.use((socket, next) => {
    const parsed = v.safeParse(sessionAuthSchema, socket.handshake.auth);
    if (!parsed.success)
      return next(new Error('invalid handshake: send { boardId, token } with your credential'));
    const { boardId, token } = parsed.output;
    if (!BOARD_ID_PATTERN.test(boardId)) return next(new Error('board not found'));
    const tab: unknown = (socket.handshake.auth as Record<string, unknown>)[TAB_PARAM];
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
        // The page's tab id: claimed once connected (a handshake can still fail before that).
        socket.data.tab = typeof tab === 'string' ? tab : null;
        next();
      },
      (err: unknown) => {
        logger.error({ err }, 'session handshake failed');
        next(new Error('server error'));
      },
    );
  });

  /**
   * A poll opened or closed, to everyone at once (through the adapter: all instances). It carries
   * no counts a participant may not see and no one's vote (`myVote` null); counts follow in
   * batches, and each voter's own answer goes to their own connections (`poll:myVote`).
   */
  function announcePoll(boardId: string, session: BoardSession): void {
    io.to(roomOf(boardId)).emit(SocketEvent.pollState, session.pollState(null, 'participant'));
  }

  /** A Q&A opened (with no answers yet) or closed, to everyone at once (all instances). */
  function announceQa(boardId: string, session: BoardSession): void {
    io.to(roomOf(boardId)).emit(SocketEvent.qaState, session.qa.state());
  }

  /**
   * One connection's context for the event handlers below. The handlers are built once per
   * server, not per socket: a closure per event per socket cost about 3 KB of heap per
   * participant (issue 12's memory budget is 20 KB for both connections). A class, not an
   * object literal with a getter: V8 kept that literal as a dictionary (0.4 KB more each).
   */
  class Connection {
    /** Set once the board's session is loaded; handlers run only once `confirmed`, after it. */
    session!: BoardSession;
    strikes = 0;
    /** Resolves true once the link epoch is confirmed (nothing is served before). Set at once. */
    confirmed!: Promise<boolean>;
    constructor(
      readonly socket: SessionSocket,
      readonly boardId: string,
      readonly room: string,
      readonly bucket: TokenBucket,
    ) {}
  }
  type Handler = (
    c: Connection,
    payload: never,
  ) => Promise<SessionRefusal | null> | SessionRefusal | null;
  const handlers = new Map<string, { schema: v.GenericSchema | null; handle: Handler }>();
  /** A handler with validation, role check, rate limit and an ack (see `dispatch`). */
  function on<S extends v.GenericSchema>(
    event: string,
    schema: S | null,
    handle: (
      c: Connection,
      payload: v.InferOutput<S>,
    ) => Promise<SessionRefusal | null> | SessionRefusal | null,
  ): void {
    handlers.set(event, { schema, handle });
  }

  /**
   * Every event from a socket: rate limit, role check, validation, then its handler once the
   * link epoch is confirmed. The handler returns an error message to refuse, or nothing.
   */
  function dispatch(c: Connection, event: string, args: unknown[]): void {
    const { socket } = c;
    const ack = typeof args.at(-1) === 'function' ? (args.pop() as Ack) : undefined;
    // Clock sync: answered at once, outside the rate limit (the client samples a few at start).
    if (event === SocketEvent.timePing)
      return void (ack as ((t: number) => void) | undefined)?.(Date.now());
    const refuse = (code: SessionRefusal, error?: string) => {
      const refusal = refusedWith(code, error);
      if (ack) ack(refusal);
      else socket.emit(SocketEvent.error, { event, code, message: refusal.error });
    };
    if (!c.bucket.take()) {
      if (++c.strikes > 20) socket.disconnect(true);
      return refuse('slowDown');
    }
    const handler = handlers.get(event);
    if (!handler) return refuse('unknownEvent', `unknown event ${event.slice(0, 40)}`);
    if (MODERATOR_EVENTS.has(event) && socket.data.entry.role !== 'moderator') {
      return refuse('moderatorOnly');
    }
    const parsed = handler.schema
      ? v.safeParse(handler.schema, args[0] ?? {})
      : { success: true as const, output: undefined };
    if (!parsed.success) return refuse('invalidRequest', `invalid ${event} request`);
    // Nothing is served before the link epoch is confirmed (a revoked socket gets nothing).
    c.confirmed
      .then((ok) => (ok ? handler.handle(c, parsed.output as never) : 'linkReplaced'))
      .then(
        (refusal) => (refusal ? refuse(refusal) : ack?.({ ok: true })),
        (err: unknown) => {
          logger.error({ err, event, board: c.boardId }, 'session event failed');
          refuse('serverError');
        },
      );
  }

  io.on('connection', (socket: SessionSocket) => {
    const { boardId } = socket.data;
    const eventsPerSecond = options.eventsPerSecond ?? 20;
    const c = new Connection(
      socket,
      boardId,
      roomOf(boardId),
      new TokenBucket(eventsPerSecond, eventsPerSecond * 2),
    );
    confirmingHere.set(boardId, (confirmingHere.get(boardId) ?? 0) + 1);
    const loaded = sessionReady(boardId).then((s) => {
      c.session = s;
      // Back within the grace period: a raised hand stays up.
      s.noteBack(socket.data.entry.id);
    });
    // The credential was read in the handshake; socket.io would keep it for the socket's life.
    socket.handshake.auth = {};
    // This tab's previous live session, if it still looks open (half-open), goes now; this one
    // is released in its disconnect listener below.
    if (!tabs.claim(socket.data.entry.id, socket.data.tab, socket)) socket.data.tab = null;

    // Revocation without races: links may have been rotated since the handshake read the epoch.
    // Attach first (the pending room, which revocation targets), then re-read the epoch: a
    // rotation either stored its epoch before this read (seen here) or revokes after the join
    // (and finds this socket). Only a confirmed socket joins the board's room and is served.
    void socket.join(pendingRoomOf(boardId));
    const epochConfirmed: Promise<boolean> = hub.storage.getBoard(boardId).then(
      (record) => {
        if (!socket.connected) return false;
        if (!record || record.linkEpochs[socket.data.entry.role] !== socket.data.epoch) {
          socket.emit(SocketEvent.revoked, LINK_REPLACED_MESSAGE);
          socket.disconnect(true);
          return false;
        }
        // Join before leaving, so revocation always finds the socket in one of the two rooms.
        const { entry } = socket.data;
        void socket.join([c.room, participantRoomOf(boardId, entry.id)]);
        if (entry.role === 'moderator') void socket.join(moderatorsOf(boardId));
        void socket.leave(pendingRoomOf(boardId));
        return true;
      },
      (err: unknown) => {
        logger.error({ err, board: boardId }, 'session epoch check failed');
        socket.disconnect(true);
        return false;
      },
    );
    const confirmed = Promise.all([epochConfirmed, loaded]).then(([ok]) => ok);
    c.confirmed = confirmed;
    void confirmed.then((ok) => {
      confirmingHere.set(boardId, (confirmingHere.get(boardId) ?? 1) - 1);
      if (!ok) return forgetIfIdle(boardId);
      const { entry } = socket.data;
      // Everyone else hears of this connection in the next batch; the joiner gets it all now.
      run(boardId, { type: 'join', entry });
      socket.emit(SocketEvent.snapshot, snapshotFor(c.session, entry));
    });

    socket.onAny((event: string, ...args: unknown[]) => dispatch(c, event, args));
    socket.on('disconnect', () => {
      tabs.release(socket.data.entry.id, socket.data.tab, socket);
      void confirmed.then((ok) => {
        if (!ok) return;
        run(boardId, { type: 'leave', connectionId: socket.id });
        lowerHandIfGone(boardId, socket.data.entry.id);
        forgetIfIdle(boardId);
      });
    });
  });

  // A rename: the person re-issued their credential over HTTP (same id, new name or colour).
  on(SocketEvent.reauth, reauthSchema, async ({ socket, boardId }, { token }) => {
    const result = await access.check(boardId, token);
    if (!result.ok) return result.reason === 'linkReplaced' ? 'linkReplaced' : 'badCredential';
    const { entry } = socket.data;
    if (result.participant?.id !== entry.id || result.role !== entry.role) return 'notYou';
    const { name, color } = result.participant;
    socket.data.entry = { ...entry, name, color };
    run(boardId, { type: 'rename', connectionId: socket.id, name, color });
    return null;
  });

  const emitTimer = ({ room, session }: Connection) =>
    io.to(room).emit(SocketEvent.timerState, session.timer, Date.now());
  on(SocketEvent.timerStart, timerStartSchema, (c, { durationMs }) => {
    run(c.boardId, { type: 'timerStart', now: Date.now(), durationMs });
    emitTimer(c);
    return null;
  });
  on(SocketEvent.timerPause, null, (c) => {
    run(c.boardId, { type: 'timerPause', now: Date.now() });
    emitTimer(c);
    return null;
  });
  on(SocketEvent.timerReset, timerStartSchema, (c, { durationMs }) => {
    run(c.boardId, { type: 'timerReset', durationMs });
    emitTimer(c);
    return null;
  });

  on(SocketEvent.pollOpen, openPollSchema, ({ boardId, session }, request) => {
    // One question to the room at a time: the projector shows it whole.
    if (session.qa.openId) return 'closeQaFirst';
    if (request.kind === 'value' && !isAssumptionId(request.assumptionId))
      return 'unknownAssumption';
    run(boardId, { type: 'pollOpen', id: randomId(10), request, now: Date.now() });
    announcePoll(boardId, session);
    return null;
  });
  // One vote per participant per poll (a second vote replaces the first), from any tab. O(1):
  // the counts go out with the next batch, the answer back to this participant's tabs only.
  on(SocketEvent.pollVote, voteSchema, ({ socket, boardId, session }, { pollId, value }) => {
    const request = session.openPollRequest;
    const participantId = socket.data.entry.id;
    const error = session.vote(pollId, participantId, value, (v) =>
      request?.kind === 'value' && isAssumptionId(request.assumptionId)
        ? checkAssumptionValue(request.assumptionId, v).ok
        : false,
    );
    if (error) return error;
    replicate(boardId, { type: 'vote', pollId, participantId, value });
    scheduleBatch(boardId);
    io.to(participantRoomOf(boardId, participantId)).emit(SocketEvent.myVote, { pollId, value });
    return null;
  });
  on(
    SocketEvent.pollClose,
    pollCloseSchema,
    async ({ boardId, session }, { pollId, applyBand }) => {
      const now = Date.now();
      const result = session.closePoll(pollId, now);
      if (!result) return 'pollNotOpen';
      replicate(boardId, { type: 'pollClose', pollId, now });
      // The same rule as the moderator's close step in the browser (lib/board/pollBand.ts).
      const band = applyBand && result.assumptionId ? roomBandFromAnswers(result.values) : null;
      await hub.withBoard(boardId, (board) =>
        board.applyServerChange((doc) => {
          saveClosedPoll(doc, result);
          if (band && result.assumptionId && isAssumptionId(result.assumptionId))
            setBand(doc, result.assumptionId, band);
        }),
      );
      announcePoll(boardId, session);
      return null;
    },
  );

  // Q&A. Answers and upvotes are O(1) and go out with the next batch; an upvote's echo goes to
  // this participant's tabs only, so no one learns who upvoted what.
  on(SocketEvent.qaOpen, qaOpenSchema, ({ boardId, session }, request) => {
    if (session.openPollId) return 'closePollFirst';
    if (session.qa.openId) return 'closeQaFirst';
    run(boardId, { type: 'qaOpen', id: randomId(10), request, now: Date.now() });
    announceQa(boardId, session);
    return null;
  });
  on(SocketEvent.qaClose, qaCloseSchema, ({ boardId, session }, { qaId }) => {
    if (!session.qa.close(qaId)) return 'qaNotOpen';
    replicate(boardId, { type: 'qaClose', qaId });
    announceQa(boardId, session);
    return null;
  });
  on(SocketEvent.qaHide, qaRefSchema, ({ boardId, session }, { qaId, answerId }) => {
    const error = session.qa.hide(qaId, answerId);
    if (error) return error;
    replicate(boardId, { type: 'qaHide', qaId, answerId });
    scheduleBatch(boardId);
    return null;
  });
  on(SocketEvent.qaAnswer, qaAnswerSchema, ({ socket, boardId, session }, { qaId, text }) => {
    const { id: participantId, name, color } = socket.data.entry;
    const op = {
      type: 'qaAnswer' as const,
      qaId,
      answerId: randomId(10),
      participantId,
      author: { name, color },
      text,
      now: Date.now(),
    };
    const error = session.qa.answer(qaId, op.answerId, participantId, op.author, text, op.now);
    if (error) return error;
    replicate(boardId, op);
    scheduleBatch(boardId);
    return null;
  });
  on(
    SocketEvent.qaUpvote,
    qaUpvoteSchema,
    ({ socket, boardId, session }, { qaId, answerId, on: up }) => {
      const participantId = socket.data.entry.id;
      const error = session.qa.upvote(qaId, answerId, participantId, up);
      if (error) return error;
      replicate(boardId, { type: 'qaUpvote', qaId, answerId, participantId, on: up });
      scheduleBatch(boardId);
      io.to(participantRoomOf(boardId, participantId)).emit(SocketEvent.qaMyUpvote, {
        qaId,
        answerId,
        on: up,
      });
      return null;
    },
  );

  on(SocketEvent.handRaise, null, ({ socket, boardId }) => {
    if (socket.data.entry.role === 'viewer') return 'viewersWatchOnly';
    const { id: participantId, name, color } = socket.data.entry;
    run(boardId, {
      type: 'handRaise',
      hand: { participantId, name, color, raisedAt: Date.now() },
    });
    return null;
  });
  on(SocketEvent.handLower, handLowerSchema, ({ socket, boardId }, { participantId }) => {
    const own = socket.data.entry.id;
    if (participantId && participantId !== own && socket.data.entry.role !== 'moderator') {
      return 'lowerOthersHand';
    }
    run(boardId, { type: 'handLower', participantId: participantId ?? own });
    return null;
  });
  on(SocketEvent.reaction, reactionSchema, ({ socket, boardId }, { emoji }) => {
    const { id: participantId, name, color } = socket.data.entry;
    run(boardId, {
      type: 'reaction',
      reaction: { emoji, participantId, name, color, at: Date.now() },
    });
    return null;
  });

  const handGraceMs = options.handGraceMs ?? HAND_GRACE_MS;
  /**
   * A participant whose last connection closed keeps a raised hand for the grace period (a
   * reload, a dropped phone); gone for longer, the hand is lowered for everyone. "Gone" is read
   * from the replicated roster: no connection on any instance.
   */
  function lowerHandIfGone(boardId: string, participantId: string): void {
    const session = sessions.get(boardId);
    if (!session || session.isPresent(participantId)) return;
    if (!session.handList().some((h) => h.participantId === participantId)) return;
    session.noteLeft(participantId, Date.now());
    durable?.changed(boardId, session);
    lowerHandAfterGrace(boardId, participantId, handGraceMs);
  }

  /**
   * A restored session's hands have no owner connected yet: each gets the grace period from when
   * its owner left (stored), or from now (they were connected when the process stopped).
   */
  function graceForRestoredHands(boardId: string, session: BoardSession): void {
    const now = Date.now();
    for (const { participantId } of session.handList()) {
      if (session.isPresent(participantId)) continue;
      const since = session.goneSince(participantId) ?? now;
      session.noteLeft(participantId, since);
      lowerHandAfterGrace(boardId, participantId, Math.max(0, since + handGraceMs - now));
    }
  }

  /**
   * After `delayMs`, lower the hand if its owner is still gone. With several instances a replica
   * created after its peers does not know their older connections, so the owner's room is asked
   * across instances first (once per hand, when its grace ends: not per event).
   */
  function lowerHandAfterGrace(boardId: string, participantId: string, delayMs: number): void {
    const stillGone = () => {
      const session = sessions.get(boardId);
      if (!session || stopped) return null;
      if (session.isPresent(participantId)) {
        session.noteBack(participantId);
        return null;
      }
      return session.handsOfTheGone(Date.now(), handGraceMs).includes(participantId)
        ? session
        : null;
    };
    setTimeout(() => {
      // Timers run on the monotonic clock and the grace on Date.now(): a timer that fires a
      // moment before the grace is over (clock adjustments, millisecond rounding) waits out the
      // rest, rather than find the owner "not gone long enough" and never look again.
      const since = sessions.get(boardId)?.goneSince(participantId);
      const left = since === undefined ? 0 : since + handGraceMs - Date.now();
      if (left > 0) return lowerHandAfterGrace(boardId, participantId, left);
      if (!stillGone()) return;
      if (!replicated) return run(boardId, { type: 'handLower', participantId });
      io.in(participantRoomOf(boardId, participantId))
        .fetchSockets()
        .then(
          (sockets) => {
            const session = stillGone();
            if (!session) return;
            if (sockets.length > 0) return session.noteBack(participantId);
            run(boardId, { type: 'handLower', participantId });
          },
          (err: unknown) => {
            // An instance that does not answer (restarting, or Redis slow) must not leave the
            // hand up for good: ask again shortly, for as long as its owner stays away.
            logger.warn({ err, board: boardId }, 'hand grace check failed; asking again');
            lowerHandAfterGrace(boardId, participantId, HAND_CHECK_RETRY_MS);
          },
        );
    }, delayMs).unref();
  }

  return {
    io,
    stop() {
      stopped = true;
      for (const timer of batchTimers.values()) clearTimeout(timer);
      batchTimers.clear();
      if (catchUpTimer) clearTimeout(catchUpTimer);
      behind.clear();
    },
    flush: () => durable?.flush() ?? Promise.resolve(),
    async revokeBefore(boardId, epochs, message) {
      // Other instances revoke their own sockets (fire and forget: no fetchSockets timeout).
      if (replicated) io.serverSideEmit(SESSION_REVOKE, boardId, epochs);
      await revokeHere(boardId, epochs, message);
    },
  };
}
