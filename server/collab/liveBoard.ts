/**
 * One board loaded in memory: its document, the connections on it, and the pipeline every
 * incoming document update goes through:
 *
 *   1. apply to a probe copy and validate what changed (schema, ranges, role);
 *   2. store it (resolves once durable);
 *   3. apply to the live document and relay to everyone else.
 *
 * So an edit another client has seen is always on disk, and a refused edit reaches no one.
 * Updates of a board run one at a time, in arrival order.
 */
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { CloseCode, YMessage, closeReason } from '../../lib/protocol';
import type { ParticipantIdentity, Role } from '../../lib/protocol';
import {
  MODERATOR_ROOTS,
  ROOT,
  defineRoots,
  differsAt,
  readBoard,
  readLocks,
  readMeta,
  readScenario,
  type Lock,
  validateTransaction,
  type ChangePath,
} from '../../lib/board/schema';
import { isAssumptionId, type AssumptionId } from '../../lib/model';
import type { BoardStorage } from '../storage/types';
import { correctionFor, isEmptyUpdate } from './correction';
import { PresenceRelay } from './presence';
import type { BoardBus, BusMessage } from './bus';
import type { Logger } from '../logger';

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
  /** Closes this peer (only) with a code from CloseCode. */
  kick(code: number, reason: string): void;
}

export interface LiveBoardOptions {
  storage: BoardStorage;
  logger: Logger;
  compactAfterUpdates: number;
  presenceFlushMs: number;
  /** Close a peer whose unsent data exceeds this. */
  maxBufferedBytes: number;
  /** Other instances sharing the storage, if any. */
  bus?: BoardBus;
}

/** Transaction origin of changes the server makes itself. */
export const SERVER_ORIGIN = Symbol('server');
/** Transaction origin of updates relayed by another instance. */
const REMOTE_ORIGIN = Symbol('other instance');

/** Why an update was refused; sent back to the client in the log only (the protocol has no text). */
export type Refusal = { kind: 'invalid' | 'forbidden' | 'incomplete'; message: string };

export class LiveBoard {
  readonly doc: Y.Doc;
  /** Mirrors `doc`; incoming updates are tried here first. Rebuilt after a refusal. */
  private probe: Y.Doc;
  private lastProbe: ReturnType<typeof validateTransaction> | null = null;
  readonly peers = new Set<Peer>();
  readonly presence: PresenceRelay;
  private queue: Promise<void> = Promise.resolve();
  private updatesSinceCompact: number;
  /** The compaction under way, if any (one at a time). */
  private compacting: Promise<void> | null = null;
  /** Counters for stats and tests. */
  readonly counters = { accepted: 0, refused: 0, relayed: 0 };

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
    this.probe = this.cloneDoc();
    const { bus } = options;
    this.presence = new PresenceRelay(
      options.presenceFlushMs,
      (update) => this.broadcast(awarenessMessage(update), null),
      bus ? (update) => bus.publish(id, { kind: 'awareness', update }) : null,
    );
  }

  private cloneDoc(): Y.Doc {
    const copy = new Y.Doc({ gc: true });
    defineRoots(copy);
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(this.doc));
    copy.on('afterTransaction', (tr: Y.Transaction) => {
      this.lastProbe = validateTransaction(copy, tr);
    });
    return copy;
  }

  /**
   * Run `task` after everything queued before it. The returned promise rejects if the task
   * fails (so an API call can answer 500); the queue itself carries on.
   */
  enqueue(task: () => Promise<void> | void): Promise<void> {
    const run = this.queue.then(task);
    this.queue = run.catch((err: unknown) => {
      this.options.logger.error({ err, board: this.id }, 'board task failed');
    });
    return run;
  }

  /** After a failed store the probe may hold a change the document never got: rebuild it. */
  private resetProbe(): void {
    this.probe.destroy();
    this.probe = this.cloneDoc();
  }

  /** Greet a new peer: our state vector (so it sends what we lack) and who is present. */
  join(peer: Peer): void {
    this.peers.add(peer);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, YMessage.sync);
    syncProtocol.writeSyncStep1(encoder, this.doc);
    this.sendTo(peer, encoding.toUint8Array(encoder));
    this.sendPresenceTo(peer);
  }

  /** Send everyone's current presence to one peer (on join and on a query). */
  sendPresenceTo(peer: Peer): void {
    const present = this.presence.snapshot();
    if (present) this.sendTo(peer, awarenessMessage(present));
  }

  leave(peer: Peer): void {
    if (!this.peers.delete(peer)) return;
    this.presence.disconnect(peer);
  }

  /** Answer a peer's sync step 1 with the updates it lacks. */
  answerSyncStep1(peer: Peer, stateVector: Uint8Array): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, YMessage.sync);
    encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
    encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(this.doc, stateVector));
    this.sendTo(peer, encoding.toUint8Array(encoder));
  }

  /** The pipeline for one incoming document update (see the file comment). */
  receiveUpdate(peer: Peer, update: Uint8Array): Promise<void> {
    return this.enqueue(async () => {
      if (isEmptyUpdate(update)) return;
      const refusal = this.tryOnProbe(peer, update);
      if (refusal) {
        this.refuse(peer, update, refusal);
        return;
      }
      try {
        await this.options.storage.appendUpdate(this.id, update);
      } catch (err) {
        // Not stored, so not applied: the sender reconnects and resends it (its own copy is intact).
        this.resetProbe();
        peer.kick(CloseCode.internalError, closeReason[CloseCode.internalError]);
        throw err;
      }
      this.updatesSinceCompact++;
      Y.applyUpdate(this.doc, update, peer);
      this.counters.accepted++;
      this.broadcast(updateMessage(update), peer);
      this.options.bus?.publish(this.id, { kind: 'update', update });
      // Compaction reads storage, not memory, so it need not hold up the queue.
      if (this.updatesSinceCompact >= this.options.compactAfterUpdates) {
        this.compact().catch((err: unknown) =>
          this.options.logger.error({ err, board: this.id }, 'compaction failed'),
        );
      }
    });
  }

  private tryOnProbe(peer: Peer, update: Uint8Array): Refusal | null {
    this.lastProbe = null;
    try {
      Y.applyUpdate(this.probe, update, peer);
    } catch (err) {
      return { kind: 'invalid', message: `undecodable update: ${String(err)}` };
    }
    const store = this.probe.store;
    if (store.pendingStructs !== null || store.pendingDs !== null) {
      return { kind: 'incomplete', message: 'update depends on changes the server does not have' };
    }
    const result = this.lastProbe as ReturnType<typeof validateTransaction> | null;
    if (!result) return null;
    if (result.violations.length > 0) {
      const v = result.violations[0]!;
      return { kind: 'invalid', message: `${v.path}: ${v.message}` };
    }
    const effective = result.paths.filter((p) => differsAt(this.probe, this.doc, p));
    return this.authorize(peer, effective);
  }

  /**
   * Role rules for the changes an update would make (no-op rewrites are not changes), judged
   * against the true state: viewers change nothing; editors cannot touch moderator parts, a
   * frozen board, or a locked assumption; moderators may do anything the schema allows.
   */
  private authorize(peer: Peer, effective: ChangePath[]): Refusal | null {
    if (effective.length === 0 || peer.role === 'moderator') return null;
    if (peer.role === 'viewer')
      return { kind: 'forbidden', message: 'viewers cannot change the board' };
    if (readMeta(this.doc).frozen) return { kind: 'forbidden', message: 'the board is frozen' };
    const locks = readLocks(this.doc);
    const locked = lockedViolation(this.probe, this.doc, effective, locks);
    if (locked) return { kind: 'forbidden', message: locked };
    for (const path of effective) {
      const [root, a, b, c] = path;
      if (root !== undefined && MODERATOR_ROOTS.has(root)) {
        return { kind: 'forbidden', message: `only moderators can change ${root}` };
      }
      if (root === ROOT.meta && a === 'frozen') {
        return { kind: 'forbidden', message: 'only moderators can freeze the board' };
      }
      if (
        root === ROOT.scenarios &&
        b === 'values' &&
        c !== undefined &&
        isAssumptionId(c) &&
        locks[c]
      ) {
        return { kind: 'forbidden', message: `${c} is locked by ${locks[c].by}` };
      }
    }
    return null;
  }

  /**
   * Refuse an update: it is not stored or relayed. The sender already has it, so it gets a
   * correction that undoes it, then a sync step 1 so that it sends back its whole difference
   * (refused change + correction), which nets to no change and is accepted.
   */
  private refuse(peer: Peer, update: Uint8Array, refusal: Refusal): void {
    this.counters.refused++;
    this.options.logger.warn(
      { board: this.id, kind: refusal.kind, reason: refusal.message },
      'update refused',
    );
    this.probe.destroy();
    this.probe = this.cloneDoc();
    if (refusal.kind !== 'incomplete') {
      const correction = correctionFor(this.doc, update);
      if (correction) this.sendTo(peer, updateMessage(correction));
    }
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, YMessage.sync);
    syncProtocol.writeSyncStep1(encoder, this.doc);
    this.sendTo(peer, encoding.toUint8Array(encoder));
  }

  /**
   * A change made by the server itself (e.g. saving a closed poll): made on the probe, stored,
   * then applied and relayed to every peer, like any accepted update.
   */
  applyServerChange(change: (doc: Y.Doc) => void): Promise<void> {
    return this.enqueue(async () => {
      const updates: Uint8Array[] = [];
      const capture = (u: Uint8Array) => updates.push(u);
      this.probe.on('update', capture);
      try {
        this.probe.transact(() => change(this.probe), SERVER_ORIGIN);
      } finally {
        this.probe.off('update', capture);
      }
      if (updates.length === 0) return;
      const update = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
      try {
        await this.options.storage.appendUpdate(this.id, update);
      } catch (err) {
        this.resetProbe();
        throw err;
      }
      this.updatesSinceCompact++;
      Y.applyUpdate(this.doc, update, SERVER_ORIGIN);
      this.broadcast(updateMessage(update), null);
      this.options.bus?.publish(this.id, { kind: 'update', update });
    });
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
      this.revokeBefore(message.epoch, 'link replaced by the moderator');
      return;
    }
    void this.enqueue(() => {
      Y.applyUpdate(this.probe, message.update, REMOTE_ORIGIN);
      Y.applyUpdate(this.doc, message.update, REMOTE_ORIGIN);
      this.broadcast(updateMessage(message.update), null);
    });
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

  /** Close every peer that connected with a link older than `epoch` (links rotated). */
  revokeBefore(epoch: number, reason: string): void {
    for (const peer of [...this.peers])
      if (peer.epoch < epoch) peer.kick(CloseCode.unauthorized, reason);
  }

  /** Send to every peer except `except`. */
  broadcast(message: Uint8Array, except: Peer | null): void {
    for (const peer of this.peers) if (peer !== except) this.sendTo(peer, message);
    if (except) this.counters.relayed++;
  }

  sendTo(peer: Peer, message: Uint8Array): void {
    if (peer.socket.bufferedAmount() > this.options.maxBufferedBytes) {
      peer.kick(CloseCode.slowConsumer, closeReason[CloseCode.slowConsumer]);
      return;
    }
    peer.socket.send(message);
  }

  /** Wait for queued work, then persist a final snapshot and free memory. */
  async unload(): Promise<void> {
    await this.queue;
    await this.compacting;
    this.presence.flush();
    this.presence.destroy();
    if (this.updatesSinceCompact > 1) await this.compact();
    else await this.options.storage.updateBoard(this.id, { title: readMeta(this.doc).title });
    this.probe.destroy();
    this.doc.destroy();
  }
}

/**
 * Locks hold for every way of changing a value: a hand-made update may replace a scenario's
 * whole values map, or the whole scenario, instead of setting one key. A new scenario may carry a
 * locked assumption only at a value some existing scenario has (a duplicate), never a new one.
 */
function lockedViolation(
  probe: Y.Doc,
  doc: Y.Doc,
  effective: ChangePath[],
  locks: Partial<Record<AssumptionId, Lock>>,
): string | null {
  const lockedIds = Object.keys(locks).filter(isAssumptionId);
  if (lockedIds.length === 0) return null;
  const scenarioIds = new Set<string>();
  for (const [root, sid] of effective)
    if (root === ROOT.scenarios && sid !== undefined) scenarioIds.add(sid);
  const existing = readBoard(doc).scenarios;
  for (const sid of scenarioIds) {
    const after = readScenario(probe, sid);
    if (!after) continue; // deleted: a deletion changes no locked value
    const before = existing.find((x) => x.id === sid);
    for (const id of lockedIds) {
      const ok = before
        ? before.values[id] === after.values[id]
        : existing.some((x) => x.values[id] === after.values[id]);
      if (!ok) return `${id} is locked by ${locks[id]!.by}`;
    }
  }
  return null;
}

function updateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, YMessage.sync);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

function awarenessMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, YMessage.awareness);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}
