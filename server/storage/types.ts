import type { Role } from '../../lib/protocol';

/**
 * The storage contract. Every implementation (in-memory, SQLite, PostgreSQL) passes the same
 * contract suite (storage.contract.ts). Methods are async so that network databases fit; the
 * SQLite implementation answers synchronously underneath.
 */
import * as v from 'valibot';

/** What is listed about a board without loading its document. */
export interface BoardRecord {
  id: string;
  title: string;
  modelId: string;
  modelVersion: number;
  createdAt: number;
  updatedAt: number;
  /**
   * One link epoch per role, bumped when the moderator replaces that role's link; a token carries
   * the epoch of its role at the time it was made.
   */
  linkEpochs: LinkEpochs;
  /** Short code that leads to the editor role (see server/auth/joinCodes.ts). */
  joinCode: string;
}

/** The link epoch of each role. */
export type LinkEpochs = Record<Role, number>;

/** Every role, in the order links are listed and replaced. */
export const ROLES: readonly Role[] = ['moderator', 'editor', 'viewer'];

/** The same epoch for every role (a new board; a board stored with one epoch for all links). */
export const sameEpochs = (epoch: number): LinkEpochs => ({
  moderator: epoch,
  editor: epoch,
  viewer: epoch,
});

/** A named version: the board's whole state at a moment, saved by a moderator. */
/** Something a moderator did to a version after saving it (for the decision log). */
export type VersionEvent =
  | { kind: 'renamed'; at: number; by: string; from: string; to: string }
  | { kind: 'archived' | 'unarchived'; at: number; by: string };

/** At most this many events are kept per version (the oldest go first). */
export const VERSION_EVENTS_MAX = 50;

/**
 * A named version: the board's whole state at a moment, saved by a moderator. Archived versions
 * are kept (and can be restored to the list); nothing here deletes a version.
 */
export interface VersionRecord {
  id: string;
  boardId: string;
  name: string;
  author: string;
  createdAt: number;
  /** Bytes of the stored state. */
  size: number;
  /** When it was archived (hidden from the default list), or null. */
  archivedAt: number | null;
  /** Renames and archive changes, oldest first (at most VERSION_EVENTS_MAX). */
  events: VersionEvent[];
}

/** A version's events, as stored and as a board file carries them. */
export const versionEventsSchema = v.array(
  // By `kind` (a union that accepts the same): a refusal then says what is wrong with the event.
  v.variant('kind', [
    v.strictObject({
      kind: v.literal('renamed'),
      at: v.pipe(v.number(), v.safeInteger()),
      by: v.pipe(v.string(), v.maxLength(200)),
      from: v.pipe(v.string(), v.maxLength(200)),
      to: v.pipe(v.string(), v.maxLength(200)),
    }),
    v.strictObject({
      kind: v.picklist(['archived', 'unarchived']),
      at: v.pipe(v.number(), v.safeInteger()),
      by: v.pipe(v.string(), v.maxLength(200)),
    }),
  ]),
);

/** A version's events as a database column holds them (JSON); anything unreadable is none. */
export function parseVersionEvents(stored: unknown): VersionEvent[] {
  try {
    const value: unknown = typeof stored === 'string' ? JSON.parse(stored) : stored;
    const parsed = v.safeParse(versionEventsSchema, value);
    return parsed.success ? parsed.output : [];
  } catch {
    return [];
  }
}

/** `events` with `event` added, the oldest dropped beyond VERSION_EVENTS_MAX. */
export function withVersionEvent(events: VersionEvent[], event: VersionEvent): VersionEvent[] {
  return [...events, event].slice(-VERSION_EVENTS_MAX);
}

/** Who changed a version's listing, and when. */
export interface VersionChange {
  at: number;
  by: string;
}

/** `v` under the name `name`, the rename recorded (`v` itself when the name is the same). */
export function renamedVersion(
  v: VersionRecord,
  name: string,
  change: VersionChange,
): VersionRecord {
  if (v.name === name) return v;
  const event = { kind: 'renamed', ...change, from: v.name, to: name } as const;
  return { ...v, name, events: withVersionEvent(v.events, event) };
}

/** `v` archived or back in the list, the change recorded (`v` itself when already so). */
export function archivedVersion(
  v: VersionRecord,
  archived: boolean,
  change: VersionChange,
): VersionRecord {
  if ((v.archivedAt !== null) === archived) return v;
  const event = { kind: archived ? 'archived' : 'unarchived', ...change } as const;
  return {
    ...v,
    archivedAt: archived ? change.at : null,
    events: withVersionEvent(v.events, event),
  };
}

/** A board's live session as stored: its serialized state and when it was saved. */
export interface StoredLiveSession {
  state: string;
  savedAt: number;
}

/** A board's stored document: a snapshot (or first update) followed by later incremental updates. */
export interface StoredDocument {
  updates: Uint8Array[];
  /** Sequence number of the last stored update; pass it to `compact`. */
  lastSeq: number;
}

export interface BoardStorage {
  /** Create a board with its first document state. Fails if the id or join code exists. */
  createBoard(record: BoardRecord, initialState: Uint8Array): Promise<void>;
  getBoard(id: string): Promise<BoardRecord | null>;
  /** Most recently updated first. */
  listBoards(limit: number): Promise<BoardRecord[]>;
  /** Update listing fields (title, updatedAt). */
  updateBoard(id: string, fields: Partial<Pick<BoardRecord, 'title' | 'updatedAt'>>): Promise<void>;
  /** The board whose join code this is (codes are unique), or null. */
  findBoardByJoinCode(code: string): Promise<BoardRecord | null>;
  /**
   * Bump the link epoch of each role in `roles`, and replace the join code if one is given (the
   * caller gives one when the editor link is replaced; fails if the code is taken). Atomic.
   */
  rotateLinks(id: string, roles: readonly Role[], joinCode?: string): Promise<BoardRecord | null>;
  /** The stored document, or null for an unknown board. */
  loadDocument(id: string): Promise<StoredDocument | null>;
  /** Append one incremental update; resolves once it is durable. Returns its sequence number. */
  appendUpdate(id: string, update: Uint8Array): Promise<number>;
  /**
   * Replace every update up to and including `throughSeq` by one snapshot (the merged state),
   * atomically: updates appended after `throughSeq` stay after it.
   */
  compact(id: string, snapshot: Uint8Array, throughSeq: number): Promise<void>;
  /** Store a named version (the encoded Yjs state, byte for byte). */
  saveVersion(version: VersionRecord, state: Uint8Array): Promise<void>;
  /** A board's versions, archived ones included, newest first. */
  listVersions(boardId: string): Promise<VersionRecord[]>;
  /**
   * Rename a version (a `renamed` event is added unless the name is unchanged). Null for an
   * unknown board or version.
   */
  renameVersion(
    boardId: string,
    versionId: string,
    name: string,
    change: VersionChange,
  ): Promise<VersionRecord | null>;
  /**
   * Archive (archivedAt = change.at) or unarchive a version, with an event; a version already in
   * that state is left as it is. Null for an unknown board or version.
   */
  setVersionArchived(
    boardId: string,
    versionId: string,
    archived: boolean,
    change: VersionChange,
  ): Promise<VersionRecord | null>;
  getVersion(
    boardId: string,
    versionId: string,
  ): Promise<{ record: VersionRecord; state: Uint8Array } | null>;
  /** How many update rows a board has (a snapshot counts as one). */
  countUpdates(id: string): Promise<number>;
  /**
   * The board's live session (timer, open poll, hands, Q&A) as last saved, or null. Opaque text
   * here: `server/live/durable.ts` owns its format and validates it on the way back in.
   */
  loadLiveSession(boardId: string): Promise<StoredLiveSession | null>;
  /** Save (replace) the board's live session, or delete it (`state` null). */
  saveLiveSession(boardId: string, state: string | null, at: number): Promise<void>;
  /** A cheap round trip to the database (readiness); rejects when it is unreachable or closed. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A storage operation failed; the message says which board and what to do. */
export class StorageError extends Error {
  override name = 'StorageError';
}
