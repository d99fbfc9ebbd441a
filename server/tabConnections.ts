/**
 * Each browser tab's open connection, per transport. The board page names its tab (a random id
 * per page load: `tab` in the Yjs URL and in the socket.io handshake). A tab that connects again
 * has given its previous connection up: its network dropped and came back, or the page
 * reconnected. That connection may still look open here until a heartbeat finds it (half-open:
 * up to a minute), holding a slot of its address's cap, its memory and a place in the roster; it
 * is dropped at once instead. Keyed by the credential's participant id (server-issued, random,
 * bound to one board), so a client can only ever drop its own connections. O(1) per connection;
 * the caller keeps the returned key on the connection and releases it on close (a shared
 * listener, not a closure per connection: issue 12's 20 KB per participant).
 */
import { TAB_ID_PATTERN } from '../lib/protocol';

export class TabConnections<T> {
  private readonly open = new Map<string, T>();

  constructor(
    /** Close a connection its tab has given up (at once: it may be half-open). */
    private readonly drop: (previous: T) => void,
  ) {}

  /**
   * `connection` is now `tab`'s (a tab of `participantId`): the tab's previous connection, if
   * any, is dropped. Returns the key to release when `connection` closes; null when `tab` is
   * missing or not a tab id (then nothing is dropped, as for clients that send none).
   */
  claim(participantId: string, tab: unknown, connection: T): string | null {
    if (typeof tab !== 'string' || !TAB_ID_PATTERN.test(tab)) return null;
    const key = `${participantId}:${tab}`;
    const previous = this.open.get(key);
    // Set first: dropping `previous` releases it, which must not remove this one.
    this.open.set(key, connection);
    if (previous !== undefined && previous !== connection) this.drop(previous);
    return key;
  }

  /** `connection` closed: forget it, unless its tab has connected again since. */
  release(key: string | null | undefined, connection: T): void {
    if (key && this.open.get(key) === connection) this.open.delete(key);
  }

  /** Tabs with an open connection (for tests and stats). */
  get size(): number {
    return this.open.size;
  }
}
