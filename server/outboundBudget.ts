/**
 * One budget for data the server has queued for clients and not yet written, across every
 * connection of both transports (Yjs and socket.io). A reader that stops reading makes the
 * server hold what it is sent; without an overall cap, 20 such readers of a 2 MB board grew the
 * server by about 400 MB.
 *
 * Each transport reports a connection's unsent bytes whenever they may have changed (after a
 * send, when a write completes), and asks before queuing more:
 *   - a connection that already holds more than `perConnection` when something more is to be
 *     sent is evicted (so one message bigger than the cap, e.g. a big board to a new joiner, still
 *     goes out to a connection that has caught up);
 *   - when all of them together hold more than `total`, the connections holding the most are
 *     evicted until the total is back under it. Finding the largest scans the connections, but
 *     only when the budget is exceeded.
 * Evicting closes the connection (CloseCode.slowConsumer) and drops its buffers at once.
 */
export interface OutboundBudgetOptions {
  /** Most unsent bytes all connections together may hold (MAX_BUFFERED_BYTES_TOTAL). */
  total: number;
  /** Most unsent bytes one connection may hold (MAX_BUFFERED_BYTES_PER_CONNECTION). */
  perConnection: number;
}

/** One connection's share of the budget. */
export interface OutboundQueue {
  /**
   * Before queuing more: record the connection's current unsent bytes; false (and the
   * connection is evicted) when it holds more than `perConnection`.
   */
  admit(unsentBytes: number): boolean;
  /** Record the connection's current unsent bytes; may evict others (or it) over the total. */
  report(unsentBytes: number): void;
  /** The connection closed: release its share (idempotent). */
  release(): void;
  /** False once evicted or released: send nothing more. */
  readonly open: boolean;
}

class Queue implements OutboundQueue {
  unsent = 0;
  open = true;
  constructor(
    private readonly budget: OutboundBudget,
    /** Close the connection now and drop what it has queued. */
    readonly evict: () => void,
  ) {}
  admit(unsentBytes: number): boolean {
    return this.budget.admit(this, unsentBytes);
  }
  report(unsentBytes: number): void {
    this.budget.report(this, unsentBytes);
  }
  release(): void {
    this.budget.remove(this);
  }
}

export class OutboundBudget {
  private readonly queues = new Set<Queue>();
  private totalUnsent = 0;
  /** Connections evicted so far (for stats and tests). */
  evictions = 0;

  constructor(readonly options: OutboundBudgetOptions) {}

  /** Bytes queued across every connection, as last reported. */
  get unsentBytes(): number {
    return this.totalUnsent;
  }

  /** Track a new connection; `evict` must close it at once and free its buffers. */
  open(evict: () => void): OutboundQueue {
    const queue = new Queue(this, evict);
    this.queues.add(queue);
    return queue;
  }

  /** @internal (via OutboundQueue.admit) */
  admit(queue: Queue, unsentBytes: number): boolean {
    if (!queue.open) return false;
    if (unsentBytes > this.options.perConnection) {
      this.evict(queue);
      return false;
    }
    this.report(queue, unsentBytes);
    return queue.open;
  }

  /** @internal (via OutboundQueue.report) */
  report(queue: Queue, unsentBytes: number): void {
    if (!queue.open) return;
    this.totalUnsent += unsentBytes - queue.unsent;
    queue.unsent = unsentBytes;
    while (this.totalUnsent > this.options.total) {
      let largest: Queue | null = null;
      for (const q of this.queues) if (!largest || q.unsent > largest.unsent) largest = q;
      if (!largest || largest.unsent === 0) break;
      this.evict(largest);
    }
  }

  /** @internal (via OutboundQueue.release) */
  remove(queue: Queue): void {
    if (!queue.open) return;
    queue.open = false;
    this.queues.delete(queue);
    this.totalUnsent -= queue.unsent;
    queue.unsent = 0;
  }

  private evict(queue: Queue): void {
    this.remove(queue);
    this.evictions++;
    queue.evict();
  }
}
