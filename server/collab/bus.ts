/**
 * The board bus: how instances that share a database tell each other about accepted document
 * updates and presence changes. A single process uses no bus; several instances behind a load
 * balancer use Redis pub/sub (REDIS_URL), one channel per board, subscribed while the board is
 * loaded. Updates are published after they are stored, so an instance that loads the board
 * later finds them in storage; one that has it loaded applies them (Yjs makes repeats harmless).
 */
import { Redis } from 'ioredis';
import type { Logger } from '../logger';

export type BusMessage =
  | { kind: 'update'; update: Uint8Array }
  | { kind: 'awareness'; update: Uint8Array }
  /** The board's links were rotated: close connections opened with an older epoch. */
  | { kind: 'revoke'; epoch: number };

export interface BoardBus {
  /** Start receiving a board's messages (from other instances only). Resolves once subscribed. */
  subscribe(boardId: string, onMessage: (message: BusMessage) => void): Promise<void>;
  unsubscribe(boardId: string): Promise<void>;
  publish(boardId: string, message: BusMessage): void;
  close(): Promise<void>;
}

const KIND_BYTE = { update: 0, awareness: 1, revoke: 2 } as const;

/**
 * Redis pub/sub transport. Frames are binary: 16-byte instance id, one kind byte, payload.
 * Messages from this instance are ignored on receipt.
 */
export class RedisBoardBus implements BoardBus {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly instanceId: Buffer;
  private readonly handlers = new Map<string, (message: BusMessage) => void>();

  constructor(
    url: string,
    private readonly logger: Logger,
    private readonly prefix = 'sb:board:',
    onReconnect: () => void = () => undefined,
  ) {
    this.pub = new Redis(url, { maxRetriesPerRequest: 3 });
    this.sub = new Redis(url, { maxRetriesPerRequest: 3 });
    this.instanceId = Buffer.from(crypto.getRandomValues(new Uint8Array(16)));
    this.sub.on('messageBuffer', (channel: Buffer, frame: Buffer) =>
      this.receive(channel.toString(), frame),
    );
    for (const client of [this.pub, this.sub]) {
      client.on('reconnecting', onReconnect);
      client.on('error', (err: Error) =>
        this.logger.warn({ err: err.message }, 'redis connection problem'),
      );
    }
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
    const payload = message.kind === 'revoke' ? Buffer.from(String(message.epoch)) : message.update;
    const frame = Buffer.concat([this.instanceId, Buffer.from([KIND_BYTE[message.kind]]), payload]);
    this.pub.publish(this.prefix + boardId, frame).catch((err: unknown) => {
      this.logger.error({ err, board: boardId }, 'publishing to other instances failed');
    });
  }

  private receive(channel: string, frame: Buffer): void {
    if (frame.length < 17 || frame.subarray(0, 16).equals(this.instanceId)) return;
    const handler = this.handlers.get(channel.slice(this.prefix.length));
    if (!handler) return;
    const payload = new Uint8Array(frame.buffer, frame.byteOffset + 17, frame.length - 17);
    if (frame[16] === KIND_BYTE.revoke)
      handler({ kind: 'revoke', epoch: Number(Buffer.from(payload).toString()) });
    else
      handler({ kind: frame[16] === KIND_BYTE.update ? 'update' : 'awareness', update: payload });
  }

  async close(): Promise<void> {
    this.handlers.clear();
    await Promise.allSettled([this.pub.quit(), this.sub.quit()]);
  }
}
