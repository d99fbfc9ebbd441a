/**
 * One board loaded in memory: its document, the connections on it, and the pipeline every
 * write goes through (client updates, HTTP imports and the server's own changes alike):
 *
 *   0. (client updates) inspect the update without applying it: refuse shapes no board has,
 *      drop what changes nothing, refuse a viewer's change outright. Cost: the update's size;
 *   1. apply it to a probe copy of the board inside one transaction and judge what changed
 *      (lib/board/validate.ts: schema, role, locks, invariants, limits). A refused write is
 *      undone inside the same transaction, so the probe never drifts from the document and a
 *      refusal costs time in proportion to the write, not to the board;
 *   2. store the transaction's effective update (deleted content already garbage-collected, so
 *      "insert then delete" stores a few bytes, never the content);
 *   3. apply it to the live document and relay it.
 *
 * So an edit another client has seen is always on disk, and a refused edit reaches no one (its
 * sender gets the undo and a notice saying why). Writes to a board run one at a time.
 */
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import {
  CloseCode,
  LINK_REPLACED_MESSAGE,
  YMessage,
  closeReason,
  type ServerNotice,
} from '../../lib/protocol';
import type { ParticipantIdentity, Role } from '../../lib/protocol';
import { ROOT, defineRoots } from '../../lib/board/layout';
import { readMeta } from '../../lib/board/meta';
import type { LogEntry } from '../../lib/board/decisionLog';
import { LOG_MERGE_MS } from '../../lib/board/decisionLog';
import {
  SERVER_ACTOR,
  type Actor,
  type AssumptionChange,
  type Refusal,
} from '../../lib/board/refusal';
import { checkTransaction } from '../../lib/board/validate';
import { logHasRoom } from '../../lib/board/decisionLog';
import { LOG_ENTRIES_MAX } from '../../lib/board/limits';
import type { BoardStorage, LinkEpochs } from '../storage/types';
import { inspectUpdate } from './updateInspection';
import { sameValue } from '../../lib/board/plainValue';
import { revertTransaction } from './revert';
import { PresenceRelay } from './presence';
import { TokenBucket } from './rateLimit';
import type { BoardBus, BusMessage } from './bus';
import type { Logger } from '../logger';
import { NO_METRICS, type BoardMetrics } from '../metrics';

/** The minimal socket the collaboration layer needs (the ws adapter and tests provide it). */
export interface PeerSocket {
  send(data: Uint8Array): void;
  close(code: number, reason: string): void;
  /** Bytes queued for sending and not yet written. */
  bufferedAmount(): number;
}

/** A connected client as the board sees it. */
export interface Peer {
  readonly socket: PeerSocket;
  readonly role: Role;
  /** Link epoch of the token it connected with (for revocation). */
  readonly epoch: number;
  /** Who it is: server-issued (or anonymous for a bare role link); edits are attributed to it. */
  readonly participant: ParticipantIdentity;
  /** The transport's connection id (log lines). */
  readonly connectionId: string;
  /** Closes this peer (only) with a code from CloseCode. */
  kick(code: number, reason: string): void;
}

export interface LiveBoardOptions {
  storage: BoardStorage;
  logger: Logger;
  compactAfterUpdates: number;
  presenceFlushMs: number;
  /** Refused updates one connection may send: `burst` at once, `perSecond` sustained. */
  refusals?: { perSecond: number; burst: number };
  /** Other instances sharing the storage, if any. */
  bus?: BoardBus;
  metrics?: BoardMetrics;
}

/** Transaction origin of changes the server makes itself. */
export const SERVER_ORIGIN = Symbol('server');
/** Transaction origin of updates relayed by another instance. */
const REMOTE_ORIGIN = Symbol('other instance');

/** What happened to one write. */
export type WriteOutcome = { ok: true } | { ok: false; refusal: Refusal };

/** Thrown by `applyServerChange` when the change is refused (the API answers 400/403). */
export class RefusedChangeError extends Error {
  override name = 'RefusedChangeError';
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
}

const DEFAULT_REFUSALS = { perSecond: 0.5, burst: 5 };

const LOG_FULL: Refusal = {
  kind: 'limit',
  path: 'log',
  message: `The decision log is full (${LOG_ENTRIES_MAX} entries): save a version and start a new board.`,
};

export class LiveBoard {
  readonly doc: Y.Doc;
  /** Mirrors `doc`; every write is tried here first, inside one transaction. */
  private probe: Y.Doc;
  /** The effective update of the write being tried (set by the probe's update event). */
  private captured: Uint8Array | null = null;
  /** The whole board as a sync step 2 message, while the board is unchanged (see answerSyncStep1). */
  private fullStateMessage: Uint8Array | null = null;
  /** The state vector of that message, decoded (what a greeted peer holds; see join). */
  private fullStateVector: Map<number, number> | null = null;
  /** What each peer was sent on joining: the board's state vector then (see join). */
  private readonly greetedWith = new WeakMap<Peer, Map<number, number>>();
  readonly peers = new Set<Peer>();
  readonly presence: PresenceRelay;
  /** Peers that missed presence batches while behind (see PRESENCE_BEHIND_BYTES). */
  private readonly presenceBehind = new Set<Peer>();
  private presenceCatchUp: NodeJS.Timeout | null = null;
  /** Presence batches not sent to a peer that was behind (tests, metrics). */
  presenceBatchesSkipped = 0;
  private queue: Promise<void> = Promise.resolve();
  private updatesSinceCompact: number;
  /** The compaction under way, if any (one at a time). */
  private compacting: Promise<void> | null = null;
  private readonly refusalBudgets = new WeakMap<Peer, TokenBucket>();
  /**
   * Document updates committed in this turn of the event loop, relayed together at its end (see
   * relay). Each names the peer that already has it (its sender), if any.
   */
  private outbox: { update: Uint8Array; except: Peer | null }[] = [];
  private outboxFlush: NodeJS.Immediate | null = null;
  /** Open decision-log entries a drag keeps updating: participant|scenario|assumption -> entry. */
  private readonly openLogEntries = new Map<
    string,
    { key: string; from: number | null; at: number }
  >();
  /** Counters for stats and tests. */
  readonly counters = { accepted: 0, refused: 0, relayed: 0, ignored: 0, received: 0 };
  private readonly metrics: BoardMetrics;
  /** A catch-up from storage queued and not yet started (see catchUpFromStorage). */
  private pendingCatchUp: Promise<number> | null = null;

  constructor(
    readonly id: string,
    stored: { updates: Uint8Array[]; lastSeq: number },
    private readonly options: LiveBoardOptions,
  ) {
    this.doc = new Y.Doc({ gc: true });
    defineRoots(this.doc);
    this.doc.transact(() => {
      for (const u of stored.updates) Y.applyUpdate(this.doc, u);
    });
    this.updatesSinceCompact = stored.updates.length;
    this.doc.on('afterTransaction', () => {
      this.fullStateMessage = null;
      this.fullStateVector = null;
    });
    this.probe = this.cloneDoc();
    const { bus } = options;
    this.metrics = options.metrics ?? NO_METRICS;
    this.presence = new PresenceRelay(
      options.presenceFlushMs,
      (update) => {
        this.metrics.presenceFlush(update.byteLength);
        this.broadcastPresence(awarenessMessage(update));
      },
      bus ? (update) => bus.publish(id, { kind: 'awareness', update }) : null,
      () => this.peers.size,
    );
  }

  private cloneDoc(): Y.Doc {
    const copy = new Y.Doc({ gc: true });
    defineRoots(copy);
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(this.doc));
    copy.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== REMOTE_ORIGIN) this.captured = update;
    });
    return copy;
  }

  /**
   * Run `task` after everything queued before it. The returned promise rejects if the task
   * fails (so an API call can answer 500); the queue itself carries on.
   */
  enqueue<T>(task: () => Promise<T> | T): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.then(
      () => undefined,
      (err: unknown) => {
        this.options.logger.error({ err, board: this.id }, 'board task failed');
      },
    );
    return run;
  }

  /** Rebuild the probe from the document (after a failed store or an unexpected error). */
  private resetProbe(): void {
    this.probe.destroy();
    this.probe = this.cloneDoc();
  }

  /**
   * Whether the probe holds exactly what the document holds (same state vector, same content).
   * True between writes by construction; tests check it after hostile input.
   */
  probeMatchesDocument(): Promise<boolean> {
    return this.enqueue(() => {
      const sv = (d: Y.Doc) =>
        JSON.stringify(
          [...Y.decodeStateVector(Y.encodeStateVector(d))].sort((x, y) => x[0] - y[0]),
        );
      // Content by value: maps may list their keys in another order (a refusal re-inserts).
      const sameContent = Object.values(ROOT).every((name) =>
        sameValue(this.probe.share.get(name), this.doc.share.get(name)),
      );
      return sameContent && sv(this.probe) === sv(this.doc);
    });
  }

  /**
   * Greet a new peer: our state vector (so it sends what we lack), the whole board if it is small,
   * and who is present. The stock protocol sends the board only in answer to the peer's sync
   * step 1, one round trip after the socket opens; most joiners hold nothing yet, and on a phone
   * that round trip is 150 ms of waiting for the first chart (bench/phone.ts). The answer to its
   * step 1 then carries only what changed since.
   */
  join(peer: Peer): void {
    this.peers.add(peer);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, YMessage.sync);
    syncProtocol.writeSyncStep1(encoder, this.doc);
    this.sendTo(peer, encoding.toUint8Array(encoder));
    const whole = this.wholeBoardMessage();
    if (whole.length <= GREETING_BOARD_MAX_BYTES) {
      this.sendTo(peer, whole);
      // Shared by every peer greeted before the board changes (a room joining at once).
      this.fullStateVector ??= Y.decodeStateVector(Y.encodeStateVector(this.doc));
      this.greetedWith.set(peer, this.fullStateVector);
    }
    this.sendPresenceTo(peer);
  }

  /** The whole board as one sync step 2 message, shared until the board changes. */
  private wholeBoardMessage(): Uint8Array {
    return (this.fullStateMessage ??= syncStep2Message(Y.encodeStateAsUpdate(this.doc)));
  }

  /**
   * Send everyone's current presence to one peer (on join and on a query). A query is answered
   * even when no presence is shared (an update with no states, as the reference server's answer
   * would be), so a client can rely on it as a round trip.
   */
  sendPresenceTo(peer: Peer, { answerEmpty = false } = {}): void {
    const present = this.presence.snapshot(peer.participant.id) ?? (answerEmpty ? NO_STATES : null);
    if (present) this.sendTo(peer, awarenessMessage(present));
  }

  /**
   * A presence batch to every peer, except those behind: they get the latest states (this batch
   * included) in one message once they have caught up. Latest only: a slow phone never receives
   * a backlog of cursor moves.
   */
  private broadcastPresence(message: Uint8Array): void {
    for (const peer of this.peers) {
      if (peer.socket.bufferedAmount() > PRESENCE_BEHIND_BYTES) {
        this.presenceBehind.add(peer);
        this.presenceBatchesSkipped++;
      } else if (this.presenceBehind.delete(peer)) this.sendPresenceTo(peer);
      else this.sendTo(peer, message);
    }
    this.scheduleCatchUp();
  }

  /** While some peer is behind, check now and then whether it caught up. */
  private scheduleCatchUp(): void {
    if (this.presenceCatchUp || this.presenceBehind.size === 0) return;
    this.presenceCatchUp = setTimeout(() => {
      this.presenceCatchUp = null;
      for (const peer of this.presenceBehind) {
        if (!this.peers.has(peer)) this.presenceBehind.delete(peer);
        else if (peer.socket.bufferedAmount() <= PRESENCE_BEHIND_BYTES) {
          this.presenceBehind.delete(peer);
          this.sendPresenceTo(peer, { answerEmpty: true });
        }
      }
      this.scheduleCatchUp();
    }, PRESENCE_CATCH_UP_MS).unref();
  }

  leave(peer: Peer): void {
    this.presenceBehind.delete(peer);
    if (!this.peers.delete(peer)) return;
    this.presence.disconnect(peer);
  }

  /** Answer a peer's sync step 1 with the updates it lacks. */
  answerSyncStep1(peer: Peer, stateVector: Uint8Array): void {
    // A client that holds more than this instance (beyond what it wrote offline, which its sync
    // step 2 brings) learned it from another instance whose bus message never arrived here: that
    // instance died between storing and publishing, or Redis was down. Read storage first, so
    // the client's resend of it (server-written log entries among it) is no news by then.
    if (isAhead(stateVector, this.doc)) void this.catchUpFromStorage();
    // Sent on joining: the peer has it by the time it reads this answer (one socket, in order).
    const greeted = this.greetedWith.get(peer);
    if (greeted) {
      this.greetedWith.delete(peer);
      const known = Y.decodeStateVector(stateVector);
      for (const [client, clock] of greeted)
        if (clock > (known.get(client) ?? 0)) known.set(client, clock);
      this.sendTo(
        peer,
        syncStep2Message(Y.encodeStateAsUpdate(this.doc, Y.encodeStateVector(known))),
      );
      return;
    }
    // A client with nothing gets the whole board: one encoded message, shared by every joiner
    // until the board changes, so a room joining at once costs one encode, and the sockets' send
    // buffers hold the same bytes rather than a copy each.
    if (isEmptyStateVector(stateVector)) {
      this.sendTo(peer, this.wholeBoardMessage());
      return;
    }
    this.sendTo(peer, syncStep2Message(Y.encodeStateAsUpdate(this.doc, stateVector)));
  }

  /** The pipeline for one incoming document update (see the file comment). */
  receiveUpdate(peer: Peer, update: Uint8Array): Promise<void> {
    const done = () => void this.counters.received++;
    const arrived = performance.now();
    return this.enqueue(async () => {
      // A peer closed meanwhile (e.g. its link was revoked) has nothing more stored.
      if (!this.peers.has(peer)) return;
      const inspection = inspectUpdate(this.doc, update);
      if (!inspection.ok) {
        const kind = inspection.tooLarge ? 'limit' : 'malformed';
        this.refusePeer(peer, { kind, path: '?', message: inspection.problem });
        return;
      }
      if (!inspection.addsStructs && !inspection.deletesLive) {
        this.counters.ignored++; // e.g. a sync step 2 repeating what we have
        return;
      }
      if (peer.role === 'viewer') {
        // Nothing from a viewer is ever applied, not even to the probe.
        const message = 'This board is view-only: changes are not saved.';
        this.refusePeer(peer, { kind: 'viewOnly', path: '', message });
        return;
      }
      const actor: Actor = { role: peer.role, participant: peer.participant };
      const outcome = await this.write(actor, update, inspection.clients, peer);
      if (!outcome.ok) this.refusePeer(peer, outcome.refusal);
      else this.metrics.relaySeconds((performance.now() - arrived) / 1000);
    }).finally(done);
  }

  /**
   * A change made on behalf of the server (a closed poll, a restore) or of an HTTP caller (an
   * import), judged by the same rules as any client's update. Resolves once stored and
   * relayed; rejects with RefusedChangeError when refused.
   */
  applyServerChange(change: (doc: Y.Doc) => void, actor: Actor = SERVER_ACTOR): Promise<void> {
    return this.enqueue(async () => {
      const outcome = await this.write(actor, change, [], null);
      if (outcome.ok) return;
      this.counters.refused++;
      this.metrics.updateRefused(outcome.refusal.kind);
      throw new RefusedChangeError(outcome.refusal);
    });
  }

  /**
   * Steps 1-3 of the pipeline for one write (already inside the queue). `clients` are the
   * Yjs clients whose structs an update carries (so a refusal can find what it inserted).
   */
  private async write(
    actor: Actor,
    change: Uint8Array | ((doc: Y.Doc) => void),
    clients: number[],
    sender: Peer | null,
  ): Promise<WriteOutcome> {
    const origin = sender ?? SERVER_ORIGIN;
    let refusal: Refusal | null = null;
    /** Whether the write's transaction also wrote decision-log entries (the sender lacks them). */
    let recorded = false;
    this.captured = null;
    try {
      this.probe.transact((tr) => {
        if (typeof change === 'function') change(this.probe);
        else {
          Y.applyUpdate(this.probe, change, origin);
          // Applying an update marks the transaction remote; the server authors what follows
          // (log entries, an undo) and must keep its Yjs client id, or Yjs would take a new
          // one each time (growing every state vector). Array position caches are not kept up
          // by remote inserts, so they are dropped here, as Yjs does for remote transactions.
          tr.local = true;
          this.probe.getArray(ROOT.scenarioOrder)._searchMarker?.splice(0);
        }
        const store = this.probe.store;
        if (store.pendingStructs !== null || store.pendingDs !== null) {
          // It builds on changes this board never had: apply none of it.
          store.pendingStructs = null;
          store.pendingDs = null;
          refusal = {
            kind: 'malformed',
            path: '?',
            message: 'builds on changes the server does not have',
          };
        } else {
          const checked = checkTransaction(this.probe, this.doc, tr, actor);
          refusal = checked.refusal;
          const toLog = checked.assumptionChanges;
          if (!refusal && toLog.length > 0 && actor.participant) {
            if (!logHasRoom(this.probe, toLog.length)) refusal = LOG_FULL;
            else {
              // The decision log's entries go into the edit's own transaction: edit and record
              // are stored and relayed as one update, with no merge of two.
              this.writeLogEntries(actor.participant, toLog);
              recorded = true;
            }
          }
        }
        if (refusal) revertTransaction(this.probe, this.doc, tr, [...clients, this.probe.clientID]);
      }, origin);
    } catch (err) {
      // Fail closed: whatever the probe holds now is not trusted; rebuild it from the document.
      this.options.logger.warn({ err, board: this.id }, 'write failed while being checked');
      this.resetProbe();
      return {
        ok: false,
        refusal: { kind: 'malformed', path: '?', message: 'the change could not be checked' },
      };
    }
    const effective = this.captured as Uint8Array | null;
    this.captured = null;
    if (!effective) {
      if (!refusal) this.counters.ignored++;
      return refusal ? { ok: false, refusal } : { ok: true };
    }
    if (refusal) {
      // A refused write leaves only tombstones (content already collected); they are stored and
      // relayed like any update, to its sender too (who needs the undo), so that the probe, the
      // document and every client stay one.
      await this.commit(effective, sender, true);
      return { ok: false, refusal };
    }
    // The sender has its edit but not the log entries written with it: it gets the whole update
    // (the same message as everyone; Yjs skips the part it has, a few dozen bytes).
    await this.commit(effective, sender, recorded);
    this.metrics.updateAccepted();
    return { ok: true };
  }

  /**
   * Store an effective update, then apply it to the document and relay it to everyone else, and
   * to its sender too when `senderToo`.
   */
  private async commit(update: Uint8Array, sender: Peer | null, senderToo: boolean): Promise<void> {
    try {
      const started = performance.now();
      await this.options.storage.appendUpdate(this.id, update);
      this.metrics.storeSeconds((performance.now() - started) / 1000);
    } catch (err) {
      // Not stored, so not applied: the sender keeps it (its own copy is intact), says "saving
      // paused" and reconnects until storage is back, then resends it.
      this.resetProbe();
      sender?.kick(CloseCode.savingPaused, closeReason[CloseCode.savingPaused]);
      throw err;
    }
    this.updatesSinceCompact++;
    Y.applyUpdate(this.doc, update, SERVER_ORIGIN);
    this.counters.accepted++;
    this.relay(update, senderToo ? null : sender);
    this.counters.relayed++;
    this.options.bus?.publish(this.id, { kind: 'update', update });
    // Compaction reads storage, not memory, so it need not hold up the queue.
    if (this.updatesSinceCompact >= this.options.compactAfterUpdates) {
      this.compact().catch((err: unknown) =>
        this.options.logger.error({ err, board: this.id }, 'compaction failed'),
      );
    }
  }

  /**
   * The decision log, written by the server for edits it accepts: one entry per participant,
   * scenario and assumption, kept open while a drag goes on (LOG_MERGE_MS). Written on the probe
   * inside the edit's own transaction (see write).
   */
  private writeLogEntries(by: ParticipantIdentity, changes: AssumptionChange[]): void {
    const log = this.probe.getMap<unknown>(ROOT.log);
    const now = Date.now();
    for (const change of changes) {
      const slot = `${by.id}|${change.scenarioId}|${change.id}`;
      const open = this.openLogEntries.get(slot);
      const merge = open && now - open.at < LOG_MERGE_MS && log.has(open.key);
      const key = merge ? open.key : logKey(now, this.probe.clientID);
      const from = merge ? open.from : change.from;
      if (merge && from === change.to) {
        // Dragged back to where it started: no decision to record.
        log.delete(key);
        this.openLogEntries.delete(slot);
        continue;
      }
      const entry: LogEntry = {
        id: key,
        by: { id: by.id, name: by.name, color: by.color },
        at: now,
        scenarioId: change.scenarioId,
        assumptionId: change.id,
        from,
        to: change.to,
      };
      log.set(key, entry);
      this.openLogEntries.set(slot, { key, from, at: now });
    }
    if (this.openLogEntries.size > 1000) this.openLogEntries.clear();
  }

  /** Tell a peer why its update was refused; close it if it keeps sending refused updates. */
  private refusePeer(peer: Peer, refusal: Refusal): void {
    this.options.logger.info(
      {
        board: this.id,
        conn: peer.connectionId,
        kind: refusal.kind,
        path: refusal.path,
        reason: refusal.message,
      },
      'update refused',
    );
    this.counters.refused++;
    this.metrics.updateRefused(refusal.kind);
    let budget = this.refusalBudgets.get(peer);
    if (!budget) {
      const { perSecond, burst } = this.options.refusals ?? DEFAULT_REFUSALS;
      this.refusalBudgets.set(peer, (budget = new TokenBucket(perSecond, burst)));
    }
    const notice: ServerNotice = { type: 'refused', ...refusal };
    this.sendTo(peer, noticeMessage(notice));
    if (!budget.take())
      peer.kick(CloseCode.refusedTooOften, closeReason[CloseCode.refusedTooOften]);
  }

  /**
   * A message from another instance: an update it already validated and stored, or presence.
   * Applied in queue order with local updates, relayed to this instance's peers.
   */
  receiveFromBus(message: BusMessage): void {
    if (message.kind === 'awareness') {
      this.presence.receiveRemote(message.update);
      return;
    }
    if (message.kind === 'revoke') {
      this.revokeBefore(message.epochs, LINK_REPLACED_MESSAGE);
      return;
    }
    void this.enqueue(() => {
      Y.applyUpdate(this.probe, message.update, REMOTE_ORIGIN);
      Y.applyUpdate(this.doc, message.update, REMOTE_ORIGIN);
      this.relay(message.update, null);
    });
  }

  /**
   * Apply whatever storage holds that this instance lacks, and relay it to this instance's
   * peers: updates other instances stored whose bus messages never arrived (Redis down, or an
   * instance killed between storing and publishing). Runs in queue order; concurrent calls
   * share one pending catch-up. Resolves to the bytes of the update it applied (0: nothing).
   */
  catchUpFromStorage(): Promise<number> {
    this.pendingCatchUp ??= this.enqueue(async () => {
      this.pendingCatchUp = null;
      const stored = await this.options.storage.loadDocument(this.id);
      if (!stored || stored.updates.length === 0) return 0;
      const missing = Y.diffUpdate(Y.mergeUpdates(stored.updates), Y.encodeStateVector(this.doc));
      let effective: Uint8Array | null = null;
      const capture = (update: Uint8Array) => (effective = update);
      this.doc.once('update', capture);
      Y.applyUpdate(this.doc, missing, REMOTE_ORIGIN);
      this.doc.off('update', capture);
      const applied = effective as Uint8Array | null;
      if (!applied) return 0;
      Y.applyUpdate(this.probe, applied, REMOTE_ORIGIN);
      this.relay(applied, null);
      this.metrics.caughtUp(applied.byteLength);
      return applied.byteLength;
    });
    return this.pendingCatchUp;
  }

  /**
   * Replace the stored updates by one snapshot. The snapshot is built from what is stored, not
   * from memory: with several instances, rows another instance stored may not have reached this
   * one yet, and compacting past them from memory would drop them.
   */
  compact(): Promise<void> {
    this.compacting ??= this.compactNow().finally(() => (this.compacting = null));
    return this.compacting;
  }

  private async compactNow(): Promise<void> {
    this.updatesSinceCompact = 0;
    const stored = await this.options.storage.loadDocument(this.id);
    if (!stored) return;
    const merged = new Y.Doc();
    merged.transact(() => {
      for (const u of stored.updates) Y.applyUpdate(merged, u);
    });
    await this.options.storage.compact(this.id, Y.encodeStateAsUpdate(merged), stored.lastSeq);
    merged.destroy();
    await this.options.storage.updateBoard(this.id, {
      title: readMeta(this.doc).title,
      updatedAt: Date.now(),
    });
  }

  /** Close every peer that connected with a link older than its role's epoch (links replaced). */
  revokeBefore(epochs: LinkEpochs, reason: string): void {
    for (const peer of [...this.peers])
      if (peer.epoch < epochs[peer.role]) peer.kick(CloseCode.unauthorized, reason);
  }

  /**
   * Relay a document update to every peer except `except`, at the end of this turn of the event
   * loop, merged with the others committed in it. Every relayed message is one write per
   * connection, and in a plenary (1,000 connections) those writes are most of the server's work
   * (bench/README.md): when the board is quiet an update waits for nothing, and when edits pile
   * up while the server is busy they go out as one message instead of several. Rooms under
   * RELAY_MERGE_MIN_PEERS are relayed at once.
   */
  private relay(update: Uint8Array, except: Peer | null): void {
    // A small room gains little from merging and would wait for the rest of the turn's reads.
    if (this.peers.size < RELAY_MERGE_MIN_PEERS && this.outbox.length === 0) {
      this.broadcast(updateMessage(update), except);
      return;
    }
    this.outbox.push({ update, except });
    this.outboxFlush ??= setImmediate(() => this.flushOutbox());
  }

  private flushOutbox(): void {
    if (this.outboxFlush) clearImmediate(this.outboxFlush);
    this.outboxFlush = null;
    const batch = this.outbox;
    this.outbox = [];
    if (batch.length === 0) return;
    const [only] = batch;
    if (batch.length === 1 && only) {
      this.broadcast(updateMessage(only.update), only.except);
      return;
    }
    const everything = updateMessage(Y.mergeUpdates(batch.map((entry) => entry.update)));
    // A sender has its own updates already: it gets the others' only (a handful of editors).
    const forSenders = new Map<Peer, Uint8Array | null>();
    for (const { except } of batch) {
      if (!except || forSenders.has(except)) continue;
      const others = batch.filter((entry) => entry.except !== except).map((entry) => entry.update);
      forSenders.set(except, others.length > 0 ? updateMessage(Y.mergeUpdates(others)) : null);
    }
    for (const peer of this.peers) {
      const message = forSenders.has(peer) ? forSenders.get(peer) : everything;
      if (message) this.sendTo(peer, message);
    }
  }

  /** Send to every peer except `except`. */
  broadcast(message: Uint8Array, except: Peer | null): void {
    for (const peer of this.peers) if (peer !== except) this.sendTo(peer, message);
  }

  /** Send to one peer. Back-pressure (unsent bytes per connection and server-wide) is the transport's: server/outboundBudget.ts. */
  sendTo(peer: Peer, message: Uint8Array): void {
    peer.socket.send(message);
  }

  /** Wait for queued work, then persist a final snapshot and free memory. */
  async unload(): Promise<void> {
    await this.queue;
    await this.compacting;
    this.flushOutbox();
    this.presence.flush();
    this.presence.destroy();
    if (this.presenceCatchUp) clearTimeout(this.presenceCatchUp);
    if (this.updatesSinceCompact > 1) await this.compact();
    else await this.options.storage.updateBoard(this.id, { title: readMeta(this.doc).title });
    this.probe.destroy();
    this.doc.destroy();
  }
}

function updateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, YMessage.sync);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** From this many connections on, a board's updates of one event-loop turn are relayed merged. */
export const RELAY_MERGE_MIN_PEERS = 50;

/**
 * The largest board sent whole on joining (see join). A returning phone that holds most of a
 * board would receive it twice; below this the round trip saved is worth more.
 */
export const GREETING_BOARD_MAX_BYTES = 32 * 1024;

/** An awareness update with no states (a varUint count of 0). */
const NO_STATES = new Uint8Array([0]);
/**
 * A connection with more than this unsent is behind (a slow phone): presence batches skip it, and
 * once it has caught up it gets everyone's latest state in one message. Document updates are
 * never skipped; a connection that stays behind is closed by the outbound budget instead.
 */
export const PRESENCE_BEHIND_BYTES = 64 * 1024;
/** How often connections that fell behind are checked for having caught up. */
const PRESENCE_CATCH_UP_MS = 250;

function awarenessMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, YMessage.awareness);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

function syncStep2Message(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, YMessage.sync);
  encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** Whether a state vector names a change `doc` does not have. */
function isAhead(stateVector: Uint8Array, doc: Y.Doc): boolean {
  const theirs = Y.decodeStateVector(stateVector);
  if (theirs.size === 0) return false;
  const ours = Y.decodeStateVector(Y.encodeStateVector(doc));
  for (const [client, clock] of theirs) if (clock > (ours.get(client) ?? 0)) return true;
  return false;
}

/** A state vector naming no client: the sender has nothing yet. */
function isEmptyStateVector(stateVector: Uint8Array): boolean {
  return stateVector.length === 1 && stateVector[0] === 0;
}

function noticeMessage(notice: ServerNotice): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, YMessage.notice);
  encoding.writeVarString(encoder, JSON.stringify(notice));
  return encoding.toUint8Array(encoder);
}

let logCounter = 0;
/**
 * Log entry keys: time first, so they sort; the writing probe's Yjs client id keeps instances
 * apart and a counter keeps two entries of one millisecond apart.
 */
function logKey(now: number, writer: number): string {
  return `${now.toString(36)}-${writer.toString(36)}-${(logCounter++ % 1_679_616).toString(36)}`;
}
