/**
 * One connection to a board, as the hub serves it: the peer the board sees, the gate that holds
 * its traffic until the link epoch is confirmed, and the decoding of what it sends.
 *
 * One object with its methods on the prototype rather than a closure per behaviour: a
 * 1,000-person plenary holds a thousand of these. Those closures and the Yjs socket's (now
 * `WsPeerSocket` in yjsEndpoint.ts) cost about 1.1 KB per participant together in heap
 * snapshots; issue 12's budget is 20 KB of server memory per participant, both connections.
 */
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import {
  CloseCode,
  YMessage,
  closeReason,
  type ParticipantIdentity,
  type Role,
} from '../../lib/protocol';
import type { Logger } from '../logger';
import type { LiveBoard, Peer, PeerSocket } from './liveBoard';
import { TokenBucket } from './rateLimit';

/**
 * Sync requests (sync step 1) one connection may send: a burst of 3, then one per 10 s. Each is
 * answered with everything the client lacks, the whole board for an empty state vector: a few
 * bytes in, megabytes of work and buffers out. The stock client sends one per connection.
 */
const SYNC_REQUESTS_BURST = 3;
const SYNC_REQUESTS_PER_SECOND = 1 / 10;

/** What every connection of one hub shares (one object per hub, not per connection). */
export interface BoardConnectionOptions {
  logger: Logger;
  rateLimit: { perSecond: number; burst: number };
  /** Messages it may queue while its board loads. */
  maxQueued: number;
  /** Takes a peer off its board (the hub unloads an empty board later). */
  detach: (board: LiveBoard, peer: Peer) => void;
}

export class BoardConnection implements Peer, PeerSocket {
  private readonly bucket: TokenBucket;
  private readonly syncRequests = new TokenBucket(SYNC_REQUESTS_PER_SECOND, SYNC_REQUESTS_BURST);
  private board: LiveBoard | null = null;
  /** Incoming messages, held until the board is loaded and the link epoch confirmed. */
  private queued: Uint8Array[] | null = [];
  /** Outgoing messages, held until the link epoch is confirmed. */
  private held: Uint8Array[] | null = [];
  private heldBytes = 0;
  private open = true;

  constructor(
    private readonly transport: PeerSocket,
    private readonly boardId: string,
    readonly role: Role,
    readonly epoch: number,
    readonly participant: ParticipantIdentity,
    readonly connectionId: string,
    private readonly options: BoardConnectionOptions,
  ) {
    this.bucket = new TokenBucket(options.rateLimit.perSecond, options.rateLimit.burst);
  }

  /** What the board sends through: this object's gate. */
  get socket(): PeerSocket {
    return this;
  }

  get isOpen(): boolean {
    return this.open;
  }

  // PeerSocket: the gate in front of the transport.
  send(data: Uint8Array): void {
    if (!this.open) return;
    if (!this.held) return this.transport.send(data);
    this.held.push(data);
    this.heldBytes += data.byteLength;
  }

  close(code: number, reason: string): void {
    this.transport.close(code, reason);
  }

  bufferedAmount(): number {
    return this.heldBytes + this.transport.bufferedAmount();
  }

  // Peer.
  kick(code: number, reason: string): void {
    if (!this.open) return;
    this.open = false;
    this.held = null;
    this.transport.close(code, reason);
    if (this.board) this.options.detach(this.board, this);
  }

  kickWith(code: CloseCode): void {
    this.kick(code, closeReason[code]);
  }

  /** Its board is loaded: it joins (and is found by revocation from now on). */
  attach(board: LiveBoard): void {
    this.board = board;
    board.join(this);
  }

  /** The epoch is current: deliver what was held, then read what the client sent meanwhile. */
  confirm(): void {
    const out = this.held ?? [];
    this.held = null;
    this.heldBytes = 0;
    for (const data of out) this.transport.send(data);
    const pending = this.queued ?? [];
    this.queued = null;
    for (const data of pending) this.handle(data);
  }

  // ConnectionHandle: what the transport calls.
  receive(data: Uint8Array): void {
    if (!this.open) return;
    if (!this.bucket.take()) return this.kickWith(CloseCode.rateLimited);
    if (this.queued) {
      if (this.queued.length >= this.options.maxQueued) return this.kickWith(CloseCode.rateLimited);
      this.queued.push(data);
      return;
    }
    this.handle(data);
  }

  closed(): void {
    if (!this.open) return;
    this.open = false;
    this.held = null;
    if (this.board) this.options.detach(this.board, this);
  }

  private handle(data: Uint8Array): void {
    const { board } = this;
    if (!board || !this.open) return;
    try {
      this.handleMessage(board, data);
    } catch (err) {
      this.options.logger.info(
        { board: this.boardId, conn: this.connectionId, err: String(err) },
        'malformed message, closing connection',
      );
      this.kickWith(CloseCode.malformed);
    }
  }

  /** Decode one y-websocket message; throws on anything malformed. */
  private handleMessage(board: LiveBoard, data: Uint8Array): void {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case YMessage.sync: {
        const step = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        if (step === syncProtocol.messageYjsSyncStep1) {
          if (!this.syncRequests.take()) return this.kickWith(CloseCode.rateLimited);
          board.answerSyncStep1(this, payload);
        } else if (
          step === syncProtocol.messageYjsSyncStep2 ||
          step === syncProtocol.messageYjsUpdate
        ) {
          // Failures are logged by the board and close this peer; nothing else to do here.
          board.receiveUpdate(this, payload).catch(() => undefined);
        } else {
          throw new Error(`unknown sync step ${step}`);
        }
        break;
      }
      case YMessage.awareness: {
        const receipt = board.presence.receive(this, decoding.readVarUint8Array(decoder));
        if (receipt.abusive) this.kickWith(CloseCode.invalidPresence);
        break;
      }
      case YMessage.queryAwareness:
        board.sendPresenceTo(this, { answerEmpty: true });
        break;
      case YMessage.auth:
        // Credentials travel in the URL, not in-band; the stock client never sends this.
        break;
      default:
        throw new Error(`unknown message type ${type}`);
    }
    if (decoding.hasContent(decoder)) throw new Error('trailing bytes after message');
  }
}
