import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type {
  BoardRecord,
  BoardStorage,
  StoredDocument,
  StoredLiveSession,
  VersionChange,
  VersionRecord,
} from './types';
import type { Role } from '../../lib/protocol';
import { StorageError, archivedVersion, parseVersionEvents, renamedVersion } from './types';

interface BoardRow {
  id: string;
  title: string;
  model_id: string;
  model_version: number;
  created_at: number;
  updated_at: number;
  moderator_epoch: number;
  editor_epoch: number;
  viewer_epoch: number;
  join_code: string;
}

const toRecord = (r: BoardRow): BoardRecord => ({
  id: r.id,
  title: r.title,
  modelId: r.model_id,
  modelVersion: r.model_version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  linkEpochs: { moderator: r.moderator_epoch, editor: r.editor_epoch, viewer: r.viewer_epoch },
  joinCode: r.join_code,
});

interface VersionRow {
  id: string;
  board_id: string;
  name: string;
  author: string;
  created_at: number;
  size: number;
  archived_at: number | null;
  events: string;
}

const toVersion = (r: VersionRow): VersionRecord => ({
  id: r.id,
  boardId: r.board_id,
  name: r.name,
  author: r.author,
  createdAt: r.created_at,
  size: r.size,
  archivedAt: r.archived_at,
  events: parseVersionEvents(r.events),
});

const VERSION_COLUMNS =
  'id, board_id, name, author, created_at, length(state) AS size, archived_at, events';

/**
 * Schema migrations, in order, like PostgreSQL's (postgres.ts): the version a database is at is
 * its `PRAGMA user_version` (0 for a new file, and for files written before migrations existed,
 * whose tables version 1 adopts: every statement is IF NOT EXISTS). Each step runs in one
 * transaction with the version bump. Append new versions; never edit old ones.
 */
export const SQLITE_MIGRATIONS: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE IF NOT EXISTS boards (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        model_id TEXT NOT NULL,
        model_version INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        link_epoch INTEGER NOT NULL DEFAULT 0,
        join_code TEXT NOT NULL UNIQUE
      );
      CREATE TABLE IF NOT EXISTS board_updates (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
        data BLOB NOT NULL
      );
      CREATE INDEX IF NOT EXISTS board_updates_by_board ON board_updates (board_id, seq);
      CREATE TABLE IF NOT EXISTS board_versions (
        id TEXT PRIMARY KEY,
        board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        author TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        state BLOB NOT NULL
      );
      CREATE INDEX IF NOT EXISTS board_versions_by_board ON board_versions (board_id, created_at);
    `,
  },
  {
    // One link epoch per role (links are replaced per role); the board's one epoch becomes all three.
    version: 2,
    sql: `
      ALTER TABLE boards ADD COLUMN moderator_epoch INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE boards ADD COLUMN editor_epoch INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE boards ADD COLUMN viewer_epoch INTEGER NOT NULL DEFAULT 0;
      UPDATE boards SET moderator_epoch = link_epoch, editor_epoch = link_epoch, viewer_epoch = link_epoch;
      ALTER TABLE boards DROP COLUMN link_epoch;
    `,
  },
  {
    // Versions can be archived (kept, hidden from the default list) and renamed, with a history.
    version: 3,
    sql: `
      ALTER TABLE board_versions ADD COLUMN archived_at INTEGER;
      ALTER TABLE board_versions ADD COLUMN events TEXT NOT NULL DEFAULT '[]';
    `,
  },
  {
    // The live session (timer, open poll, hands, Q&A) outlives the process: server/live/durable.ts.
    version: 4,
    sql: `
      CREATE TABLE IF NOT EXISTS live_sessions (
        board_id TEXT PRIMARY KEY REFERENCES boards(id) ON DELETE CASCADE,
        state TEXT NOT NULL,
        saved_at INTEGER NOT NULL
      );
    `,
  },
];

/**
 * Bring `db` to the newest schema version. A database from a newer build (a higher version
 * than this build knows) is refused rather than written with an old idea of its tables.
 */
export function migrateSqlite(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const newest = SQLITE_MIGRATIONS.at(-1)!.version;
  if (current > newest)
    throw new StorageError(
      `The SQLite database is at schema version ${current}, newer than this build knows (${newest}): run the newer build, or restore a backup.`,
    );
  for (const m of SQLITE_MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      // PRAGMA takes no bound parameters; the version is a number from the list above.
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}

/**
 * SQLite storage (better-sqlite3, WAL). Each appended update is committed before the call
 * resolves; with WAL and synchronous=NORMAL a committed row survives the process being killed
 * (kill -9), though not necessarily a power cut, which the clients' IndexedDB copies cover.
 */
export class SqliteStorage implements BoardStorage {
  private db: Database.Database;
  private stmts;

  constructor(file: string) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    try {
      migrateSqlite(this.db);
    } catch (err) {
      this.db.close();
      throw err;
    }
    this.stmts = {
      insertBoard: this.db.prepare<
        [string, string, string, number, number, number, number, number, number, string]
      >(
        'INSERT INTO boards (id, title, model_id, model_version, created_at, updated_at, moderator_epoch, editor_epoch, viewer_epoch, join_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      byJoinCode: this.db.prepare<[string], BoardRow>('SELECT * FROM boards WHERE join_code = ?'),
      // Each role's epoch goes up by 0 or 1; a null join code keeps the current one.
      rotate: this.db.prepare<[number, number, number, string | null, string]>(
        'UPDATE boards SET moderator_epoch = moderator_epoch + ?, editor_epoch = editor_epoch + ?, viewer_epoch = viewer_epoch + ?, join_code = COALESCE(?, join_code) WHERE id = ?',
      ),
      getBoard: this.db.prepare<[string], BoardRow>('SELECT * FROM boards WHERE id = ?'),
      listBoards: this.db.prepare<[number], BoardRow>(
        'SELECT * FROM boards ORDER BY updated_at DESC LIMIT ?',
      ),
      setTitle: this.db.prepare<[string, string]>('UPDATE boards SET title = ? WHERE id = ?'),
      setUpdatedAt: this.db.prepare<[number, string]>(
        'UPDATE boards SET updated_at = ? WHERE id = ?',
      ),
      insertUpdate: this.db.prepare<[string, Uint8Array]>(
        'INSERT INTO board_updates (board_id, data) VALUES (?, ?)',
      ),
      insertUpdateAt: this.db.prepare<[number, string, Uint8Array]>(
        'INSERT INTO board_updates (seq, board_id, data) VALUES (?, ?, ?)',
      ),
      loadUpdates: this.db.prepare<[string], { seq: number; data: Buffer }>(
        'SELECT seq, data FROM board_updates WHERE board_id = ? ORDER BY seq',
      ),
      deleteThrough: this.db.prepare<[string, number]>(
        'DELETE FROM board_updates WHERE board_id = ? AND seq <= ?',
      ),
      insertVersion: this.db.prepare<
        [string, string, string, string, number, Uint8Array, number | null, string]
      >(
        'INSERT INTO board_versions (id, board_id, name, author, created_at, state, archived_at, events) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      listVersions: this.db.prepare<[string], VersionRow>(
        `SELECT ${VERSION_COLUMNS} FROM board_versions WHERE board_id = ? ORDER BY created_at DESC, id DESC`,
      ),
      getVersion: this.db.prepare<[string, string], VersionRow & { state: Buffer }>(
        `SELECT ${VERSION_COLUMNS}, state FROM board_versions WHERE board_id = ? AND id = ?`,
      ),
      versionListing: this.db.prepare<[string, string], VersionRow>(
        `SELECT ${VERSION_COLUMNS} FROM board_versions WHERE board_id = ? AND id = ?`,
      ),
      updateVersionListing: this.db.prepare<[string, number | null, string, string, string]>(
        'UPDATE board_versions SET name = ?, archived_at = ?, events = ? WHERE board_id = ? AND id = ?',
      ),
      loadLiveSession: this.db.prepare<[string], { state: string; saved_at: number }>(
        'SELECT state, saved_at FROM live_sessions WHERE board_id = ?',
      ),
      saveLiveSession: this.db.prepare<[string, string, number]>(
        'INSERT INTO live_sessions (board_id, state, saved_at) VALUES (?, ?, ?) ON CONFLICT (board_id) DO UPDATE SET state = excluded.state, saved_at = excluded.saved_at',
      ),
      deleteLiveSession: this.db.prepare<[string]>('DELETE FROM live_sessions WHERE board_id = ?'),
      countUpdates: this.db.prepare<[string], { n: number }>(
        'SELECT COUNT(*) AS n FROM board_updates WHERE board_id = ?',
      ),
    };
  }

  createBoard(record: BoardRecord, initialState: Uint8Array): Promise<void> {
    try {
      this.db.transaction(() => {
        this.stmts.insertBoard.run(
          record.id,
          record.title,
          record.modelId,
          record.modelVersion,
          record.createdAt,
          record.updatedAt,
          record.linkEpochs.moderator,
          record.linkEpochs.editor,
          record.linkEpochs.viewer,
          record.joinCode,
        );
        this.stmts.insertUpdate.run(record.id, initialState);
      })();
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(
        new StorageError(`could not create board ${record.id}: ${String(err)}`),
      );
    }
  }

  getBoard(id: string): Promise<BoardRecord | null> {
    const row = this.stmts.getBoard.get(id);
    return Promise.resolve(row ? toRecord(row) : null);
  }

  listBoards(limit: number): Promise<BoardRecord[]> {
    return Promise.resolve(this.stmts.listBoards.all(limit).map(toRecord));
  }

  updateBoard(
    id: string,
    fields: Partial<Pick<BoardRecord, 'title' | 'updatedAt'>>,
  ): Promise<void> {
    if (fields.title !== undefined) this.stmts.setTitle.run(fields.title, id);
    if (fields.updatedAt !== undefined) this.stmts.setUpdatedAt.run(fields.updatedAt, id);
    return Promise.resolve();
  }

  findBoardByJoinCode(code: string): Promise<BoardRecord | null> {
    const row = this.stmts.byJoinCode.get(code);
    return Promise.resolve(row ? toRecord(row) : null);
  }

  rotateLinks(id: string, roles: readonly Role[], joinCode?: string): Promise<BoardRecord | null> {
    const bump = (role: Role) => (roles.includes(role) ? 1 : 0);
    try {
      this.stmts.rotate.run(
        bump('moderator'),
        bump('editor'),
        bump('viewer'),
        joinCode ?? null,
        id,
      );
    } catch (err) {
      return Promise.reject(new StorageError(`could not rotate links of ${id}: ${String(err)}`));
    }
    return this.getBoard(id);
  }

  loadDocument(id: string): Promise<StoredDocument | null> {
    if (!this.stmts.getBoard.get(id)) return Promise.resolve(null);
    const rows = this.stmts.loadUpdates.all(id);
    return Promise.resolve({
      updates: rows.map((r) => new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength)),
      lastSeq: rows.at(-1)?.seq ?? 0,
    });
  }

  appendUpdate(id: string, update: Uint8Array): Promise<number> {
    try {
      const info = this.stmts.insertUpdate.run(id, update);
      return Promise.resolve(Number(info.lastInsertRowid));
    } catch (err) {
      return Promise.reject(
        new StorageError(`could not store an update of board ${id}: ${String(err)}`),
      );
    }
  }

  compact(id: string, snapshot: Uint8Array, throughSeq: number): Promise<void> {
    this.db.transaction(() => {
      this.stmts.deleteThrough.run(id, throughSeq);
      // The snapshot takes the last replaced sequence number, so it sorts before later updates.
      this.stmts.insertUpdateAt.run(throughSeq, id, snapshot);
    })();
    return Promise.resolve();
  }

  saveVersion(version: VersionRecord, state: Uint8Array): Promise<void> {
    try {
      this.stmts.insertVersion.run(
        version.id,
        version.boardId,
        version.name,
        version.author,
        version.createdAt,
        state,
        version.archivedAt,
        JSON.stringify(version.events),
      );
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(
        new StorageError(`could not save a version of ${version.boardId}: ${String(err)}`),
      );
    }
  }

  listVersions(boardId: string): Promise<VersionRecord[]> {
    return Promise.resolve(this.stmts.listVersions.all(boardId).map(toVersion));
  }

  getVersion(
    boardId: string,
    versionId: string,
  ): Promise<{ record: VersionRecord; state: Uint8Array } | null> {
    const row = this.stmts.getVersion.get(boardId, versionId);
    if (!row) return Promise.resolve(null);
    return Promise.resolve({ record: toVersion(row), state: new Uint8Array(row.state) });
  }

  renameVersion(
    boardId: string,
    versionId: string,
    name: string,
    change: VersionChange,
  ): Promise<VersionRecord | null> {
    return this.changeListing(boardId, versionId, (v) => renamedVersion(v, name, change));
  }

  setVersionArchived(
    boardId: string,
    versionId: string,
    archived: boolean,
    change: VersionChange,
  ): Promise<VersionRecord | null> {
    return this.changeListing(boardId, versionId, (v) => archivedVersion(v, archived, change));
  }

  /** Read, change and write a version's listing in one transaction. */
  private changeListing(
    boardId: string,
    versionId: string,
    change: (v: VersionRecord) => VersionRecord,
  ): Promise<VersionRecord | null> {
    try {
      const result = this.db.transaction(() => {
        const row = this.stmts.versionListing.get(boardId, versionId);
        if (!row) return null;
        const before = toVersion(row);
        const after = change(before);
        if (after !== before)
          this.stmts.updateVersionListing.run(
            after.name,
            after.archivedAt,
            JSON.stringify(after.events),
            boardId,
            versionId,
          );
        return after;
      })();
      return Promise.resolve(result);
    } catch (err) {
      return Promise.reject(
        new StorageError(`could not change version ${versionId} of ${boardId}: ${String(err)}`),
      );
    }
  }

  loadLiveSession(boardId: string): Promise<StoredLiveSession | null> {
    const row = this.stmts.loadLiveSession.get(boardId);
    return Promise.resolve(row ? { state: row.state, savedAt: row.saved_at } : null);
  }

  saveLiveSession(boardId: string, state: string | null, at: number): Promise<void> {
    try {
      if (state === null) this.stmts.deleteLiveSession.run(boardId);
      else this.stmts.saveLiveSession.run(boardId, state, at);
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(
        new StorageError(`could not save the live session of ${boardId}: ${String(err)}`),
      );
    }
  }

  countUpdates(id: string): Promise<number> {
    return Promise.resolve(this.stmts.countUpdates.get(id)?.n ?? 0);
  }

  ping(): Promise<void> {
    try {
      this.db.prepare('SELECT 1').get();
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  close(): Promise<void> {
    if (this.db.open) this.db.close();
    return Promise.resolve();
  }
}
