/**
 * The board bus: how instances that share a database tell each other about accepted document
 * updates and presence changes. A single process uses no bus; several instances behind a load
 * balancer use Redis pub/sub (REDIS_URL), one channel per board, subscribed while the board is
 * loaded. Updates are published after they are stored, so an instance that loads the board
 * later finds them in storage; one that has it loaded applies them (Yjs makes repeats harmless).
 */
import { Redis } from 'ioredis';
import * as v from 'valibot';
import type { Logger } from '../logger';
import type { LinkEpochs } from '../storage/types';

export type BusMessage =
  | { kind: 'update'; update: Uint8Array }
  | { kind: 'awareness'; update: Uint8Array }
  /** Links were replaced: close connections opened with an older epoch of their role. */
  | { kind: 'revoke'; epochs: LinkEpochs };

export interface BoardBus {
  /**
   * Called once the bus works again after an outage (resubscribed): messages published
   * meanwhile are lost (pub/sub delivers at most once), so loaded boards catch up from storage.
   */
  onRestored(listener: () => void): void;
  /** Start receiving a board's messages (from other instances only). Resolves once subscribed. */
  subscribe(boardId: string, onMessage: (message: BusMessage) => void): Promise<void>;
  unsubscribe(boardId: string): Promise<void>;
  publish(boardId: string, message: BusMessage): void;
  close(): Promise<void>;
}

const KIND_BYTE = { update: 0, awareness: 1, revoke: 2 } as const;

/** What the bus reports to metrics. */
export interface BusHealth {
  reconnect(): void;
  /** The subscriber connection is up (true) or lost (false). */
  connected(up: boolean): void;
  /** Seconds a heartbeat took from this instance's publisher back to its subscriber. */
  lag(seconds: number): void;
}

const NO_HEALTH: BusHealth = {
  reconnect: () => undefined,
  connected: () => undefined,
  lag: () => undefined,
};

/** How often the bus measures its own round trip through Redis. */
const HEARTBEAT_MS = 5000;

/**
 * Redis pub/sub transport. Frames are binary: 16-byte instance id, one kind byte, payload.
 * Messages from this instance are ignored on receipt, except its heartbeats (bus lag).
 */
export class RedisBoardBus implements BoardBus {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly instanceId: Buffer;
  private readonly handlers = new Map<string, (message: BusMessage) => void>();
  private readonly restoredListeners: (() => void)[] = [];
  private readonly heartbeatChannel: string;
  private readonly heartbeat: NodeJS.Timeout;
  /** The subscriber lost its connection since it was last ready. */
  private lost = false;

  constructor(
    url: string,
    private readonly logger: Logger,
    private readonly prefix = 'sb:board:',
    private readonly health: BusHealth = NO_HEALTH,
  ) {
    this.pub = new Redis(url, { maxRetriesPerRequest: 3 });
    this.sub = new Redis(url, { maxRetriesPerRequest: 3 });
    this.instanceId = Buffer.from(crypto.getRandomValues(new Uint8Array(16)));
    this.heartbeatChannel = `${prefix}heartbeat`;
    this.sub.on('messageBuffer', (channel: Buffer, frame: Buffer) =>
      this.receive(channel.toString(), frame),
    );
    for (const client of [this.pub, this.sub]) {
      client.on('reconnecting', () => health.reconnect());
      client.on('error', (err: Error) =>
        this.logger.warn({ err: err.message }, 'redis connection problem'),
      );
    }
    this.sub.on('close', () => {
      if (this.lost) return;
      this.lost = true;
      health.connected(false);
      this.logger.warn('redis bus lost: boards on other instances will catch up from storage');
    });
    this.sub.on('ready', () => void this.restore());
    void this.sub.subscribe(this.heartbeatChannel).catch(() => undefined);
    this.heartbeat = setInterval(() => this.sendHeartbeat(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  onRestored(listener: () => void): void {
    this.restoredListeners.push(listener);
  }

  /**
   * Back after an outage: subscribe again to every channel (ioredis resubscribes too; this
   * makes sure it is done before anyone reads storage), then tell the listeners.
   */
  private async restore(): Promise<void> {
    this.health.connected(true);
    if (!this.lost) return;
    this.lost = false;
    try {
      await this.sub.subscribe(
        this.heartbeatChannel,
        ...[...this.handlers.keys()].map((id) => this.prefix + id),
      );
    } catch (err) {
      this.logger.warn({ err }, 'redis bus: subscribing again failed');
      return;
    }
    this.logger.info('redis bus restored');
    for (const listener of this.restoredListeners) listener();
  }

  private sendHeartbeat(): void {
    const sentAt = Buffer.alloc(8);
    sentAt.writeDoubleBE(performance.now());
    const frame = Buffer.concat([this.instanceId, sentAt]);
    this.pub.publish(this.heartbeatChannel, frame).catch(() => undefined);
  }

  async subscribe(boardId: string, onMessage: (message: BusMessage) => void): Promise<void> {
    this.handlers.set(boardId, onMessage);
    await this.sub.subscribe(this.prefix + boardId);
  }

  async unsubscribe(boardId: string): Promise<void> {
    this.handlers.delete(boardId);
    await this.sub.unsubscribe(this.prefix + boardId);
  }

  publish(boardId: string, message: BusMessage): void {
    const payload =
      message.kind === 'revoke' ? Buffer.from(JSON.stringify(message.epochs)) : message.update;
    const frame = Buffer.concat([this.instanceId, Buffer.from([KIND_BYTE[message.kind]]), payload]);
    this.pub.publish(this.prefix + boardId, frame).catch((err: unknown) => {
      this.logger.error({ err, board: boardId }, 'publishing to other instances failed');
    });
  }

  private receive(channel: string, frame: Buffer): void {
    if (channel === this.heartbeatChannel) {
      if (frame.length === 24 && frame.subarray(0, 16).equals(this.instanceId))
        this.health.lag((performance.now() - frame.readDoubleBE(16)) / 1000);
      return;
    }
    if (frame.length < 17 || frame.subarray(0, 16).equals(this.instanceId)) return;
    const handler = this.handlers.get(channel.slice(this.prefix.length));
    if (!handler) return;
    const payload = new Uint8Array(frame.buffer, frame.byteOffset + 17, frame.length - 17);
    if (frame[16] === KIND_BYTE.revoke) {
      const epochs = revokedEpochs(Buffer.from(payload).toString());
      if (epochs) handler({ kind: 'revoke', epochs });
      else this.logger.error({ board: channel }, 'unreadable revocation from another instance');
    } else
      handler({ kind: frame[16] === KIND_BYTE.update ? 'update' : 'awareness', update: payload });
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    this.handlers.clear();
    await Promise.allSettled([this.pub.quit(), this.sub.quit()]);
  }
}

/** A revocation frame's payload: one epoch per role (JSON). */
const revokedEpochsSchema = v.strictObject({
  moderator: v.pipe(v.number(), v.safeInteger()),
  editor: v.pipe(v.number(), v.safeInteger()),
  viewer: v.pipe(v.number(), v.safeInteger()),
});

/** The epochs of a revocation frame, or null if unreadable. */
function revokedEpochs(text: string): LinkEpochs | null {
  try {
    const parsed = v.safeParse(revokedEpochsSchema, JSON.parse(text));
    return parsed.success ? parsed.output : null;
  } catch {
    return null; // not JSON
  }
}
