/**
 * Server-owned presence (y-protocols awareness) for one board.
 *
 * The stock y-websocket client re-sends every awareness state it receives, so a board of n people
 * gets O(n^2) awareness messages. The relay makes that cheap: each awareness client id belongs to
 * the connection that first sent it (or to the same person's newer connection, when a tab comes
 * back while its old connection is still open), entries about ids owned by someone else are
 * echoes and are skipped without parsing their JSON, and accepted changes are coalesced and broadcast in one batch
 * per interval, so presence never queues in front of document updates.
 *
 * States a connection sends for its own ids are checked before anyone else sees them: at most
 * PRESENCE_STATE_MAX_BYTES of JSON, the shape of `presenceStateSchema`, and the `user` field
 * rewritten to the connection's server-known participant (rewriting rather than refusing, so a
 * client whose local name differs still shows up, under the name the server knows). A refused
 * state is dropped and counted; a connection that keeps sending them is reported as abusive and
 * the hub closes it (CloseCode.invalidPresence).
 *
 * For a crowd (issue 12): viewers' states are kept (so their echoes are recognised and their own
 * reconnects work) but never relayed: a plenary's 950 viewers do not need each other's cursors,
 * and the live session's roster already says how many there are and who. The batch interval
 * grows with the room (`presenceBatchMs`), and every per-message step is O(entries in the
 * message): ownership is indexed per connection, never found by scanning the board's entries.
 */
import * as v from 'valibot';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import {
  PRESENCE_STATE_MAX_BYTES,
  presenceStateSchema,
  type ParticipantIdentity,
  type Role,
} from '../../lib/protocol';
import { TokenBucket } from './rateLimit';

interface Entry {
  clock: number;
  /** The state exactly as the client encoded it (JSON text; "null" when the client left). */
  json: string;
  /** The connection that owns this id; null once it left (a tombstone that stops late echoes). */
  owner: object | null;
  leftAt: number;
  /** For a tombstone: the participant whose connection left (they may come back with this id). */
  leftBy?: string;
  /** A viewer's state: kept, never relayed. */
  quiet?: boolean;
}

/**
 * How long presence changes are gathered before one batch goes out: the configured interval for
 * a seminar, growing by 1 ms per 2 connections to at most 500 ms (a plenary's editors still
 * move twice a second for everyone, at a fraction of the messages).
 */
export function presenceBatchMs(baseMs: number, roomSize: number): number {
  return Math.round(Math.min(Math.max(baseMs, 500), baseMs + roomSize / 2));
}

/** What a viewer's present state is kept as (never relayed; see `receive`). */
const QUIET_STATE = '{}';

/** How long a departed client's tombstone is kept to refuse stale echoes of its last state. */
const TOMBSTONE_MS = 60_000;

/** Owner of entries that come from other instances (via the board bus). */
export const REMOTE_OWNER: object = Object.freeze({ remote: true });

/** How many awareness ids one connection may own (one per open document in that tab). */
const MAX_IDS_PER_CONNECTION = 8;

/**
 * Refused states one connection may send before it is closed: a burst of 3, then one per 20 s.
 * A correct client never sends one; the stock client re-sends its state every 15 s, so a client
 * stuck on an invalid state is closed within about a minute.
 */
const REFUSED_STATES_BURST = 3;
const REFUSED_STATES_PER_SECOND = 1 / 20;

/** A local connection that owns presence entries (the hub passes its Peer). */
export interface PresenceOwner {
  readonly participant: ParticipantIdentity;
  /** A viewer's presence is not relayed to others (see above). */
  readonly role?: Role;
}

/** What one incoming awareness update did. */
export interface PresenceReceipt {
  /** Entries accepted (relayed in the next batch). */
  accepted: number;
  /** Entries dropped as too large or invalid. */
  refused: number;
  /** The connection has sent too many refused states: close it. */
  abusive: boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class PresenceRelay {
  private entries = new Map<number, Entry>();
  private dirty = new Set<number>();
  /** Changes that came from other instances: broadcast here, not published again. */
  private remoteDirty = new Set<number>();
  private timer: NodeJS.Timeout | null = null;
  /** Refused states per connection (abuse budget). */
  private refusals = new WeakMap<PresenceOwner, TokenBucket>();
  /**
   * The ids each local connection has claimed, so no step scans every entry. Nearly every
   * connection claims one id (one open document): stored as that number, a Set from the second
   * (a Set per connection was about 0.3 KB of a participant's 20 KB budget, issue 12).
   */
  private owned = new Map<object, number | Set<number>>();
  /** Counters for stats and tests. */
  readonly counters = { refused: 0 };

  constructor(
    private readonly flushMs: number,
    /** Sends one encoded awareness update to every connection of the board. */
    private readonly broadcast: (update: Uint8Array) => void,
    /** Tells other instances about changes made by this instance's connections. */
    private readonly publish: ((update: Uint8Array) => void) | null = null,
    /** How many connections the board has here (sets the batch interval). */
    private readonly roomSize: () => number = () => 0,
  ) {}

  /** Apply presence changes another instance relayed (already filtered there). */
  receiveRemote(update: Uint8Array): void {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const json = decoding.readVarString(decoder);
      const current = this.entries.get(clientId);
      if (current && current.owner !== REMOTE_OWNER && current.owner !== null) continue;
      if (current && !(current.clock < clock || (current.clock === clock && json === 'null')))
        continue;
      this.entries.set(clientId, {
        clock,
        json,
        owner: REMOTE_OWNER,
        leftAt: json === 'null' ? Date.now() : 0,
      });
      this.remoteDirty.add(clientId);
    }
    this.schedule();
  }

  /**
   * Apply an awareness update from `owner`. Throws on a malformed update (the caller closes the
   * connection). Entries about ids another connection owns are echoes: skipped without decoding
   * their JSON (the raw bytes are only sliced), so relaying stays O(1) per echo.
   */
  receive(owner: PresenceOwner, update: Uint8Array): PresenceReceipt {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    const receipt: PresenceReceipt = { accepted: 0, refused: 0, abusive: false };
    let mine = this.owned.get(owner);
    const mineSize = () => (mine === undefined ? 0 : typeof mine === 'number' ? 1 : mine.size);
    const quiet = owner.role === 'viewer';
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      // Same encoding as lib0's varString; reading bytes lets echoes and oversized states skip
      // UTF-8 decoding.
      const raw = decoding.readVarUint8Array(decoder);
      const current = this.entries.get(clientId);
      if (current && current.owner !== null && current.owner !== owner) {
        // Another connection holds this id: an echo (never newer than what the server holds:
        // the page has no BroadcastChannel between tabs), unless it is newer and that connection
        // is this participant's own. Then the tab came back on a new connection while its old
        // one is still open (half-open after a network drop, until the heartbeat finds it, up
        // to a minute), and its presence moves with it instead of freezing until then.
        const holder = (current.owner as Partial<PresenceOwner>).participant?.id;
        if (holder !== owner.participant.id || clock <= current.clock) continue;
        this.disown(current.owner, clientId);
      }
      const json = checkState(owner.participant, raw);
      if (json === null) {
        receipt.refused++;
        this.counters.refused++;
        if (!this.refusalBucket(owner).take()) receipt.abusive = true;
        continue;
      }
      // A departed client's null is the server's own mark at its last clock + 1, which is the
      // very clock its next real state carries when it comes back on a new connection: at an
      // equal clock, a live state takes over a departure (an echo of the null is refused below).
      const newer =
        !current ||
        current.clock < clock ||
        (current.clock === clock && (json === 'null' || current.owner === null));
      if (!newer) continue;
      if (!current || current.owner === null) {
        // A new claim: nothing to remove for an unknown id, and a bounded number per connection.
        if (json === 'null' || mineSize() >= MAX_IDS_PER_CONNECTION) continue;
      }
      // Kept until the connection closes, even at null (see disconnect).
      if (mine === undefined) this.owned.set(owner, (mine = clientId));
      else if (typeof mine === 'number') {
        if (mine !== clientId) this.owned.set(owner, (mine = new Set([mine, clientId])));
      } else mine.add(clientId);
      // A viewer's live state is never sent to anyone (only its departure, to itself): keep one
      // shared placeholder instead of its JSON (about 0.2 KB per viewer).
      const kept = quiet && json !== 'null' ? QUIET_STATE : json;
      this.entries.set(clientId, {
        clock,
        json: kept,
        owner,
        leftAt: 0,
        ...(quiet ? { quiet } : {}),
      });
      if (!quiet) this.dirty.add(clientId);
      receipt.accepted++;
    }
    if (receipt.accepted > 0) this.schedule();
    return receipt;
  }

  /** `owner` no longer holds `clientId` (another connection of the same person took it over). */
  private disown(owner: object, clientId: number): void {
    const owned = this.owned.get(owner);
    if (owned === clientId) this.owned.delete(owner);
    else if (typeof owned === 'object') owned.delete(clientId);
  }

  private refusalBucket(owner: PresenceOwner): TokenBucket {
    let bucket = this.refusals.get(owner);
    if (!bucket) {
      bucket = new TokenBucket(REFUSED_STATES_PER_SECOND, REFUSED_STATES_BURST);
      this.refusals.set(owner, bucket);
    }
    return bucket;
  }

  /** Mark every state of a closed connection as gone (null with a newer clock). */
  disconnect(owner: object): void {
    const owned = this.owned.get(owner);
    this.owned.delete(owner);
    const ids = owned === undefined ? [] : typeof owned === 'number' ? [owned] : owned;
    for (const clientId of ids) {
      const entry = this.entries.get(clientId);
      if (!entry || entry.owner !== owner) continue;
      const leftBy = (owner as Partial<PresenceOwner>).participant?.id;
      this.entries.set(clientId, {
        clock: entry.clock + 1,
        json: 'null',
        owner: null,
        leftAt: Date.now(),
        ...(leftBy ? { leftBy } : {}),
        ...(entry.quiet ? { quiet: true } : {}),
      });
      // Nobody else knew a viewer's state, so nobody needs to hear it went.
      if (!entry.quiet) this.dirty.add(clientId);
    }
    this.schedule();
  }

  /**
   * Everything currently present, for a client that just connected; null if nobody is. With
   * `participantId`, also the tombstones of that person's connections that left: a client that
   * reconnects keeps its awareness id and clock, one behind its tombstone, so its state would
   * read as stale everywhere. Told it left, the stock client bumps its clock and sends its state
   * again (y-protocols never lets a remote remove the local state), which then counts as new.
   */
  snapshot(participantId?: string): Uint8Array | null {
    const wanted = [...this.entries].filter(([, e]) =>
      e.quiet
        ? e.leftBy !== undefined && e.leftBy === participantId
        : e.json !== 'null' || (participantId !== undefined && e.leftBy === participantId),
    );
    return wanted.length ? encode(wanted) : null;
  }

  /** Number of present clients (for stats). */
  get size(): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.json !== 'null') n++;
    return n;
  }

  /** Send pending changes now (also used before the board unloads). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.dirty.size === 0 && this.remoteDirty.size === 0) return;
    const pick = (ids: Set<number>) =>
      [...ids]
        .map((id) => [id, this.entries.get(id)] as const)
        .filter((c): c is [number, Entry] => c[1] !== undefined);
    const local = pick(this.dirty);
    const all = [...local, ...pick(this.remoteDirty)];
    this.dirty.clear();
    this.remoteDirty.clear();
    if (all.length > 0) this.broadcast(encode(all));
    if (local.length > 0 && this.publish) this.publish(encode(local));
    const cutoff = Date.now() - TOMBSTONE_MS;
    for (const [id, e] of this.entries) {
      if ((e.owner === null || e.owner === REMOTE_OWNER) && e.json === 'null' && e.leftAt < cutoff)
        this.entries.delete(id);
    }
  }

  destroy(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.timer || (this.dirty.size === 0 && this.remoteDirty.size === 0)) return;
    this.timer = setTimeout(() => this.flush(), presenceBatchMs(this.flushMs, this.roomSize()));
  }
}

function encode(entries: readonly (readonly [number, Entry])[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const [clientId, e] of entries) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarUint(encoder, e.clock);
    encoding.writeVarString(encoder, e.json);
  }
  return encoding.toUint8Array(encoder);
}

/**
 * The JSON to store and relay for a state `owner` sent, or null to refuse it: over
 * PRESENCE_STATE_MAX_BYTES, not UTF-8 JSON, or not the shape of presenceStateSchema. The
 * `user` field becomes the server-known participant and `clientId` its id.
 */
function checkState(participant: ParticipantIdentity, raw: Uint8Array): string | null {
  if (raw.byteLength > PRESENCE_STATE_MAX_BYTES) return null;
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(raw));
  } catch {
    return null;
  }
  if (value === null) return 'null';
  const parsed = v.safeParse(presenceStateSchema, value);
  if (!parsed.success) return null;
  const { id, name, color } = participant;
  return JSON.stringify({ ...parsed.output, user: { id, name, color }, participantId: id });
}
