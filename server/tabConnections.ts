/**
 * Each browser tab's open connection, per transport. The board page names its tab (a random id
 * per page load: `tab` in the Yjs URL and in the socket.io handshake). A tab that connects again
 * has given its previous connection up: its network dropped and came back, or the page
 * reconnected. That connection may still look open here until a heartbeat finds it (half-open:
 * up to a minute), holding a slot of its address's cap, its memory and a place in the roster; it
 * is dropped at once instead. Keyed by the credential's participant id (server-issued, random,
 * bound to one board), so a client can only ever drop its own connections. O(1) per connection;
 * the caller keeps the tab id on the connection and releases it in the close listener it has
 * anyway (a listener or closure more per connection is memory: issue 12's 20 KB per
 * participant).
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
   * any, is dropped. False (nothing done) when `tab` is missing or not a tab id, as for clients
   * that send none; the caller then need not release it.
   */
  claim(participantId: string, tab: unknown, connection: T): tab is string {
    if (typeof tab !== 'string' || !TAB_ID_PATTERN.test(tab)) return false;
    const key = keyOf(participantId, tab);
    const previous = this.open.get(key);
    // Set first: dropping `previous` releases it, which must not remove this one.
    this.open.set(key, connection);
    if (previous !== undefined && previous !== connection) this.drop(previous);
    return true;
  }

  /** `connection` (of `participantId`'s `tab`) closed: forget it, unless the tab came back since. */
  release(participantId: string, tab: string | null | undefined, connection: T): void {
    if (!tab) return;
    const key = keyOf(participantId, tab);
    if (this.open.get(key) === connection) this.open.delete(key);
  }
}

const keyOf = (participantId: string, tab: string) => `${participantId}:${tab}`;
