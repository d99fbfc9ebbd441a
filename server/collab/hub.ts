/**
 * The collaboration hub: the one owner of live board documents in the process. Transport-free:
 * it speaks the y-websocket protocol over any `PeerSocket`, so the ws adapter, the HTTP API and
 * tests all go through the same object.
 *
 * - Concurrent loads of a board share one load; messages that arrive while it loads are queued.
 * - A board is unloaded (after a final snapshot) once its last client has been gone for
 *   `idleUnloadMs`.
 * - A connection that sends something malformed, too much, or too fast is closed with a code
 *   from `CloseCode`; the board and everyone else carry on.
 */
import * as Y from 'yjs';
import { migrateDocument, pendingMigrations, schemaVersionOf } from '../../lib/board/migrations';
import {
  CloseCode,
  LINK_REPLACED_MESSAGE,
  closeReason,
  type ParticipantIdentity,
  type Role,
} from '../../lib/protocol';
import { initBoard } from '../../lib/board/boardState';
import { readMeta } from '../../lib/board/meta';
import type { Assumptions } from '../../lib/model';
import { sameEpochs, type BoardRecord, type BoardStorage, type LinkEpochs } from '../storage/types';
import type { Logger } from '../logger';
import { LiveBoard, type Peer, type PeerSocket } from './liveBoard';
import { BoardConnection, type BoardConnectionOptions } from './boardConnection';
import { anonymousParticipant, newBoardId } from './ids';
import type { BoardBus, BusMessage } from './bus';
import { newJoinCode } from '../auth/joinCodes';
import type { BoardMetrics } from '../metrics';

export interface HubOptions {
  storage: BoardStorage;
  logger: Logger;
  idleUnloadMs: number;
  compactAfterUpdates: number;
  rateLimit: { perSecond: number; burst: number };
  /** Refused updates one connection may send before it is closed (4422). */
  refusals?: { perSecond: number; burst: number };
  /** Interval at which presence changes are batched and broadcast. */
  presenceFlushMs?: number;
  /** Messages one connection may queue while its board loads. */
  maxQueuedWhileLoading?: number;
  /** Set when several instances share the storage (REDIS_URL). */
  bus?: BoardBus;
  metrics?: BoardMetrics;
}

/** What the transport calls for one connection. */
export interface ConnectionHandle {
  receive(data: Uint8Array): void;
  closed(): void;
}

export interface ConnectionContext {
  role: Role;
  /** The link epoch of the token the connection was opened with. */
  epoch: number;
  /**
   * Who is connected, from a server-issued participant credential; null for a bare role link
   * (scripts, the stock y-websocket client), which gets an anonymous identity of its own.
   */
  participant: ParticipantIdentity | null;
  /** The transport's id for this connection, carried on log lines about it. */
  connectionId?: string;
}

export class BoardHub {
  private boards = new Map<string, LiveBoard>();
  private loading = new Map<string, Promise<LiveBoard | null>>();
  private unloading = new Map<string, Promise<void>>();
  private unloadTimers = new Map<string, NodeJS.Timeout>();
  private closing = false;
  /** What every connection shares, made once per hub. */
  private readonly connectionOptions: BoardConnectionOptions;

  constructor(private readonly options: HubOptions) {
    this.connectionOptions = {
      logger: options.logger,
      rateLimit: options.rateLimit,
      maxQueued: options.maxQueuedWhileLoading ?? 1000,
      detach: this.detach,
    };
    // Pub/sub delivers at most once: what other instances published while the bus was down is
    // in storage only. Every loaded board reads it from there.
    options.bus?.onRestored(() => {
      const started = performance.now();
      this.catchUpAll().then(
        ({ boards, bytes }) =>
          options.logger.info(
            { boards, bytes, ms: Math.round(performance.now() - started) },
            'caught up from storage after the redis bus returned',
          ),
        (err: unknown) => options.logger.error({ err }, 'catching up from storage failed'),
      );
    });
  }

  /** Every loaded board applies what storage holds and it lacks (see LiveBoard.catchUpFromStorage). */
  async catchUpAll(): Promise<{ boards: number; bytes: number }> {
    const results = await Promise.all([...this.boards.values()].map((b) => b.catchUpFromStorage()));
    return { boards: results.length, bytes: results.reduce((sum, n) => sum + n, 0) };
  }

  get storage(): BoardStorage {
    return this.options.storage;
  }

  /** Create a board with a Baseline scenario; `assumptions` must already be validated. */
  async createBoard(input: {
    title: string;
    /** Default: the newest model version. */
    modelVersion?: number;
    assumptions?: Partial<Assumptions>;
    baselineOpen?: boolean;
  }): Promise<BoardRecord> {
    const doc = new Y.Doc();
    const now = Date.now();
    initBoard(doc, {
      title: input.title,
      modelVersion: input.modelVersion,
      assumptions: input.assumptions,
      baselineOpen: input.baselineOpen,
      now,
    });
    const meta = readMeta(doc);
    const record: BoardRecord = {
      id: newBoardId(),
      title: meta.title,
      modelId: meta.modelId,
      modelVersion: meta.modelVersion,
      createdAt: now,
      updatedAt: now,
      linkEpochs: sameEpochs(0),
      joinCode: '',
    };
    const state = Y.encodeStateAsUpdate(doc);
    doc.destroy();
    // Join codes are short, so a collision is possible (if rare): try a few fresh ones.
    for (let attempt = 0; ; attempt++) {
      const candidate = { ...record, joinCode: newJoinCode() };
      try {
        await this.options.storage.createBoard(candidate, state);
        return candidate;
      } catch (err) {
        if (attempt >= 4) throw err;
      }
    }
  }

  /**
   * Run `read` against a board's live document (loading it if needed); null for an unknown
   * board. The board unloads later if nobody is connected.
   */
  async withBoard<T>(id: string, read: (board: LiveBoard) => T): Promise<T | null> {
    const board = await this.load(id);
    if (!board) return null;
    try {
      return read(board);
    } finally {
      if (board.peers.size === 0) this.scheduleUnload(board);
    }
  }

  /**
   * Attach a connection to a board. Messages may arrive before the board is loaded.
   *
   * Revocation without races: the token was checked before this call, but links may be rotated
   * between that check and the join. So the peer is first attached (joined: `revokeBefore` can
   * find it), and only then is the link epoch of the peer's role read again from storage. A rotation either
   * stored its new epoch before that read (the read sees it: the peer is closed) or revokes after
   * the join (and closes the peer). Until the read confirms the epoch, the peer's messages stay
   * queued and nothing is sent to it, so a revoked link neither writes nor reads anything.
   */
  connect(boardId: string, socket: PeerSocket, context: ConnectionContext): ConnectionHandle {
    const { logger } = this.options;
    if (this.closing) {
      // Shutting down: nothing new is loaded; the client reconnects (to another instance).
      socket.close(CloseCode.serviceRestart, closeReason[CloseCode.serviceRestart]);
      return { receive: () => undefined, closed: () => undefined };
    }
    const peer = new BoardConnection(
      socket,
      boardId,
      context.role,
      context.epoch,
      context.participant ?? anonymousParticipant(context.role),
      context.connectionId ?? '',
      this.connectionOptions,
    );

    this.load(boardId)
      .then(async (loaded) => {
        if (!peer.isOpen) {
          if (loaded && loaded.peers.size === 0) this.scheduleUnload(loaded);
          return;
        }
        if (!loaded) return peer.kickWith(CloseCode.boardNotFound);
        this.cancelUnload(boardId);
        peer.attach(loaded);
        const record = await this.options.storage.getBoard(boardId);
        if (!peer.isOpen) return;
        if (!record) return peer.kickWith(CloseCode.boardNotFound);
        if (record.linkEpochs[context.role] !== context.epoch)
          return peer.kick(CloseCode.unauthorized, LINK_REPLACED_MESSAGE);
        peer.confirm();
      })
      .catch((err: unknown) => {
        // Storage unreachable (the board's document or record could not be read): the client
        // keeps its changes and retries, saying "saving paused" meanwhile.
        logger.error({ err, board: boardId }, 'board failed to load or its epoch to be read');
        peer.kickWith(CloseCode.savingPaused);
      });
    return peer;
  }

  /** Takes a peer off its board; one function for every connection (not one each). */
  private readonly detach = (board: LiveBoard, peer: Peer): void => {
    board.leave(peer);
    if (board.peers.size === 0) this.scheduleUnload(board);
  };

  /** Load a board (sharing concurrent loads); null if it does not exist. */
  private async load(id: string): Promise<LiveBoard | null> {
    const live = this.boards.get(id);
    if (live) return live;
    const inFlight = this.loading.get(id);
    if (inFlight) return inFlight;
    const promise = (async () => {
      await this.unloading.get(id);
      const { bus } = this.options;
      // Subscribe before reading storage, so nothing another instance stores in between is
      // missed; what arrives before the board exists is replayed into it.
      let board: LiveBoard | null = null;
      const early: BusMessage[] = [];
      if (bus)
        await bus.subscribe(id, (message) =>
          board ? board.receiveFromBus(message) : early.push(message),
        );
      try {
        const stored = await this.options.storage.loadDocument(id);
        if (!stored) {
          await bus?.unsubscribe(id);
          return null;
        }
        board = new LiveBoard(id, stored, {
          storage: this.options.storage,
          logger: this.options.logger,
          compactAfterUpdates: this.options.compactAfterUpdates,
          presenceFlushMs: this.options.presenceFlushMs ?? 100,
          refusals: this.options.refusals,
          bus,
          metrics: this.options.metrics,
        });
      } catch (err) {
        await bus?.unsubscribe(id).catch(() => undefined);
        throw err;
      }
      for (const message of early) board.receiveFromBus(message);
      await this.migrate(board);
      this.boards.set(id, board);
      return board;
    })();
    this.loading.set(id, promise);
    try {
      return await promise;
    } finally {
      this.loading.delete(id);
    }
  }

  /**
   * Bring a loaded board's document to the current schema (lib/board/migrations.ts), stored once
   * as a server change judged like any write. A refused or failed migration is logged and the
   * board is served as it is: every reader copes with an older layout.
   */
  private async migrate(board: LiveBoard): Promise<void> {
    if (pendingMigrations(board.doc).length === 0) return;
    const from = schemaVersionOf(board.doc);
    try {
      await board.applyServerChange((doc) => migrateDocument(doc));
      this.options.logger.info(
        { boardId: board.id, from, to: schemaVersionOf(board.doc) },
        'board document migrated',
      );
    } catch (err) {
      this.options.logger.error({ err, boardId: board.id, from }, 'board migration failed');
    }
  }

  private cancelUnload(id: string): void {
    const timer = this.unloadTimers.get(id);
    if (timer) clearTimeout(timer);
    this.unloadTimers.delete(id);
  }

  private scheduleUnload(board: LiveBoard): void {
    if (this.closing || this.unloadTimers.has(board.id)) return;
    const timer = setTimeout(() => {
      this.unloadTimers.delete(board.id);
      if (board.peers.size > 0 || this.boards.get(board.id) !== board) return;
      this.boards.delete(board.id);
      const done = board
        .unload()
        .then(() => this.options.bus?.unsubscribe(board.id))
        .catch((err: unknown) =>
          this.options.logger.error({ err, board: board.id }, 'unload failed'),
        )
        .finally(() => this.unloading.delete(board.id));
      this.unloading.set(board.id, done);
    }, this.options.idleUnloadMs);
    timer.unref();
    this.unloadTimers.set(board.id, timer);
  }

  /**
   * Close every connection of a board opened with a link older than its role's epoch in `epochs`
   * (links replaced; roles not replaced keep their epoch, so their holders stay).
   */
  revokeBefore(boardId: string, epochs: LinkEpochs, reason: string): void {
    this.boards.get(boardId)?.revokeBefore(epochs, reason);
    // Other instances close their connections to this board too.
    this.options.bus?.publish(boardId, { kind: 'revoke', epochs });
  }

  /** Whether a board is in memory now (for tests and stats). */
  isLoaded(id: string): boolean {
    return this.boards.has(id);
  }

  stats(): { boards: number; connections: number } {
    let connections = 0;
    for (const b of this.boards.values()) connections += b.peers.size;
    return { boards: this.boards.size, connections };
  }

  /**
   * Shut down: store every write already queued, close every connection with 1012 (service
   * restart: clients reconnect, possibly to another instance, and resend what was not
   * acknowledged), persist every board. The storage itself stays open (its owner closes it).
   */
  async close(): Promise<void> {
    this.closing = true;
    for (const timer of this.unloadTimers.values()) clearTimeout(timer);
    this.unloadTimers.clear();
    await Promise.allSettled([...this.loading.values()]);
    const boards = [...this.boards.values()];
    this.boards.clear();
    // Writes queued so far are stored (and relayed) before their senders are closed.
    await Promise.allSettled(boards.map((b) => b.enqueue(() => undefined)));
    const restart = CloseCode.serviceRestart;
    for (const b of boards) for (const p of [...b.peers]) p.kick(restart, closeReason[restart]);
    await Promise.allSettled([...boards.map((b) => b.unload()), ...this.unloading.values()]);
    await this.options.bus?.close();
  }
}
