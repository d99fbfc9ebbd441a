import { DatabaseError, Pool, escapeIdentifier, type PoolClient } from 'pg';
import type {
  BoardRecord,
  BoardStorage,
  StoredDocument,
  StoredLiveSession,
  VersionChange,
  VersionRecord,
} from './types';
import { StorageError, archivedVersion, parseVersionEvents, renamedVersion } from './types';
import type { Role } from '../../lib/protocol';

export interface PostgresStorageOptions {
  /**
   * Schema that holds the tables; created if missing. Without it, table names are unqualified and
   * resolve through the connection's search_path (normally `public`).
   */
  schema?: string;
  /**
   * Errors of idle pooled connections (e.g. the server restarted). The pool drops such a
   * connection by itself; without a handler the error is ignored, and the next query that cannot
   * connect fails with a StorageError.
   */
  onError?: (err: Error) => void;
}

/** Columns as pg returns them: `bigint` arrives as a string, `integer` as a number. */
interface BoardRow {
  id: string;
  title: string;
  model_id: string;
  model_version: number;
  created_at: string;
  updated_at: string;
  moderator_epoch: number;
  editor_epoch: number;
  viewer_epoch: number;
  join_code: string;
}

const BOARD_COLUMNS =
  'id, title, model_id, model_version, created_at, updated_at, moderator_epoch, editor_epoch, viewer_epoch, join_code';

/** A bigint column as a number (timestamps in ms and sequence numbers fit easily). */
function toNumber(value: string | number, what: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n))
    throw new StorageError(`${what} ${String(value)} is not a safe integer`);
  return n;
}

const toRecord = (r: BoardRow): BoardRecord => ({
  id: r.id,
  title: r.title,
  modelId: r.model_id,
  modelVersion: r.model_version,
  createdAt: toNumber(r.created_at, 'created_at'),
  updatedAt: toNumber(r.updated_at, 'updated_at'),
  linkEpochs: { moderator: r.moderator_epoch, editor: r.editor_epoch, viewer: r.viewer_epoch },
  joinCode: r.join_code,
});

interface VersionRow {
  id: string;
  board_id: string;
  name: string;
  author: string;
  created_at: string;
  size: number;
  archived_at: string | null;
  events: unknown;
}

/** `size` is what is stored (octet_length of the state), as in SQLite. */
const VERSION_COLUMNS =
  'id, board_id, name, author, created_at, octet_length(state) AS size, archived_at, events';

const toVersion = (r: VersionRow): VersionRecord => ({
  id: r.id,
  boardId: r.board_id,
  name: r.name,
  author: r.author,
  createdAt: toNumber(r.created_at, 'created_at'),
  size: r.size,
  archivedAt: r.archived_at === null ? null : toNumber(r.archived_at, 'archived_at'),
  events: parseVersionEvents(r.events),
});

/** Bytes as a Buffer for a bytea parameter (a view, not a copy; pg sends Buffers in binary). */
const toBuffer = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

/**
 * bytea values come back as Buffers that may be slices of Node's shared allocation pool, so each
 * one is copied into its own exact-size Uint8Array (whose `.buffer` holds just the update).
 */
const fromBytea = (b: Buffer): Uint8Array => new Uint8Array(b);

const isUniqueViolation = (err: unknown): err is DatabaseError =>
  err instanceof DatabaseError && err.code === '23505';

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Wrap anything that is not already a StorageError, keeping the original as `cause`. */
const wrap = (message: string, err: unknown): StorageError =>
  err instanceof StorageError
    ? err
    : new StorageError(`${message}: ${messageOf(err)}`, { cause: err });

/**
 * Schema migrations, applied in order inside one transaction. Each version is recorded in
 * `schema_migrations`; the statements are idempotent too (IF NOT EXISTS), so tables created by
 * hand or by an interrupted older version are adopted. Append new versions; never edit old ones.
 */
const migrations = (t: Tables): { version: number; statements: string[] }[] => [
  {
    version: 1,
    statements: [
      `CREATE TABLE IF NOT EXISTS ${t.boards} (
        id text PRIMARY KEY,
        title text NOT NULL,
        model_id text NOT NULL,
        model_version integer NOT NULL,
        created_at bigint NOT NULL,
        updated_at bigint NOT NULL,
        link_epoch integer NOT NULL DEFAULT 0,
        join_code text NOT NULL UNIQUE
      )`,
      `CREATE TABLE IF NOT EXISTS ${t.updates} (
        seq bigserial PRIMARY KEY,
        board_id text NOT NULL REFERENCES ${t.boards} (id) ON DELETE CASCADE,
        data bytea NOT NULL
      )`,
      `CREATE INDEX IF NOT EXISTS board_updates_by_board ON ${t.updates} (board_id, seq)`,
      `CREATE INDEX IF NOT EXISTS boards_by_updated_at ON ${t.boards} (updated_at DESC)`,
    ],
  },
  {
    version: 2,
    statements: [
      `CREATE TABLE IF NOT EXISTS ${t.versions} (
        id text PRIMARY KEY,
        board_id text NOT NULL REFERENCES ${t.boards} (id) ON DELETE CASCADE,
        name text NOT NULL,
        author text NOT NULL,
        created_at bigint NOT NULL,
        state bytea NOT NULL
      )`,
      `CREATE INDEX IF NOT EXISTS board_versions_by_board ON ${t.versions} (board_id, created_at)`,
    ],
  },
  {
    // One link epoch per role (links are replaced per role); the board's one epoch becomes all
    // three. `link_epoch` stays for instances of the previous build during a rolling upgrade: every
    // rotation still bumps it, so they refuse every older token (fail closed) until restarted.
    version: 3,
    statements: [
      `ALTER TABLE ${t.boards}
         ADD COLUMN IF NOT EXISTS moderator_epoch integer NOT NULL DEFAULT 0,
         ADD COLUMN IF NOT EXISTS editor_epoch integer NOT NULL DEFAULT 0,
         ADD COLUMN IF NOT EXISTS viewer_epoch integer NOT NULL DEFAULT 0`,
      `UPDATE ${t.boards}
          SET moderator_epoch = link_epoch, editor_epoch = link_epoch, viewer_epoch = link_epoch`,
    ],
  },
  {
    // Versions can be archived (kept, hidden from the default list) and renamed, with a history.
    version: 4,
    statements: [
      `ALTER TABLE ${t.versions} ADD COLUMN IF NOT EXISTS archived_at bigint`,
      `ALTER TABLE ${t.versions} ADD COLUMN IF NOT EXISTS events jsonb NOT NULL DEFAULT '[]'`,
    ],
  },
  {
    // The live session (timer, open poll, hands, Q&A) outlives the process when Redis is not
    // configured (server/live/durable.ts). Text, not jsonb: validated when read, like SQLite's.
    version: 5,
    statements: [
      `CREATE TABLE IF NOT EXISTS ${t.liveSessions} (
        board_id text PRIMARY KEY REFERENCES ${t.boards} (id) ON DELETE CASCADE,
        state text NOT NULL,
        saved_at bigint NOT NULL
      )`,
    ],
  },
];

interface Tables {
  boards: string;
  updates: string;
  versions: string;
  liveSessions: string;
  migrations: string;
}

/**
 * PostgreSQL storage (node-postgres pool). Same contract and semantics as the SQLite storage;
 * every write is committed (synchronous_commit as configured on the server) before its promise
 * resolves.
 *
 * Ordering: sequence numbers come from one global bigserial, but a sequence hands out numbers at
 * insert time, not commit time, so two concurrent appends to one board could commit out of order
 * and a reader could see seq 11 before seq 10. Compacting through 11 then would delete 10 without
 * it being in the snapshot. To rule that out, every write to a board's updates (append, compact)
 * first locks the board's row (FOR NO KEY UPDATE), so per board the rows commit in seq order:
 * no reader ever sees a later seq of a board while an earlier one is still uncommitted. The lock
 * is per board: other boards are never blocked, and readers never wait.
 */
export class PostgresStorage implements BoardStorage {
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly pool: Pool,
    private readonly t: Tables,
  ) {}

  /** Connect, create the schema and tables if missing, and return a ready storage. */
  static async connect(
    url: string,
    options: PostgresStorageOptions = {},
  ): Promise<PostgresStorage> {
    const { schema, onError } = options;
    if (schema !== undefined && schema.length === 0) throw new StorageError('schema name is empty');
    const prefix = schema === undefined ? '' : `${escapeIdentifier(schema)}.`;
    const tables: Tables = {
      boards: `${prefix}boards`,
      updates: `${prefix}board_updates`,
      versions: `${prefix}board_versions`,
      liveSessions: `${prefix}live_sessions`,
      migrations: `${prefix}schema_migrations`,
    };
    const pool = new Pool({ connectionString: url, application_name: 'scenario-board' });
    pool.on('error', (err) => onError?.(err));
    try {
      await migrate(pool, tables, schema);
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw wrap(`could not prepare the PostgreSQL schema ${schema ?? '(search_path)'}`, err);
    }
    return new PostgresStorage(pool, tables);
  }

  async createBoard(record: BoardRecord, initialState: Uint8Array): Promise<void> {
    try {
      await this.transaction(async (c) => {
        await c.query(
          `INSERT INTO ${this.t.boards} (${BOARD_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [
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
          ],
        );
        await c.query(`INSERT INTO ${this.t.updates} (board_id, data) VALUES ($1, $2)`, [
          record.id,
          toBuffer(initialState),
        ]);
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
        const what = err.constraint?.includes('join_code')
          ? `join code ${record.joinCode} is taken`
          : `board ${record.id} already exists`;
        throw new StorageError(`could not create board ${record.id}: ${what}`, { cause: err });
      }
      throw wrap(`could not create board ${record.id}`, err);
    }
  }

  async getBoard(id: string): Promise<BoardRecord | null> {
    try {
      const { rows } = await this.pool.query<BoardRow>(
        `SELECT ${BOARD_COLUMNS} FROM ${this.t.boards} WHERE id = $1`,
        [id],
      );
      return rows[0] ? toRecord(rows[0]) : null;
    } catch (err) {
      throw wrap(`could not read board ${id}`, err);
    }
  }

  async listBoards(limit: number): Promise<BoardRecord[]> {
    // A non-finite limit means no limit; a negative one, none (PostgreSQL rejects LIMIT -1).
    const n = Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : null;
    try {
      const { rows } = await this.pool.query<BoardRow>(
        `SELECT ${BOARD_COLUMNS} FROM ${this.t.boards} ORDER BY updated_at DESC, id LIMIT $1`,
        [n],
      );
      return rows.map(toRecord);
    } catch (err) {
      throw wrap('could not list boards', err);
    }
  }

  async updateBoard(
    id: string,
    fields: Partial<Pick<BoardRecord, 'title' | 'updatedAt'>>,
  ): Promise<void> {
    if (fields.title === undefined && fields.updatedAt === undefined) return;
    try {
      await this.pool.query(
        `UPDATE ${this.t.boards}
            SET title = COALESCE($2, title), updated_at = COALESCE($3, updated_at)
          WHERE id = $1`,
        [id, fields.title ?? null, fields.updatedAt ?? null],
      );
    } catch (err) {
      throw wrap(`could not update board ${id}`, err);
    }
  }

  async findBoardByJoinCode(code: string): Promise<BoardRecord | null> {
    try {
      const { rows } = await this.pool.query<BoardRow>(
        `SELECT ${BOARD_COLUMNS} FROM ${this.t.boards} WHERE join_code = $1`,
        [code],
      );
      return rows[0] ? toRecord(rows[0]) : null;
    } catch (err) {
      throw wrap(`could not look up join code ${code}`, err);
    }
  }

  async rotateLinks(
    id: string,
    roles: readonly Role[],
    joinCode?: string,
  ): Promise<BoardRecord | null> {
    // Each role's epoch goes up by 0 or 1; a null join code keeps the current one.
    const bump = (role: Role) => (roles.includes(role) ? 1 : 0);
    try {
      const { rows } = await this.pool.query<BoardRow>(
        `UPDATE ${this.t.boards}
            SET moderator_epoch = moderator_epoch + $2, editor_epoch = editor_epoch + $3,
                viewer_epoch = viewer_epoch + $4, join_code = COALESCE($5, join_code),
                link_epoch = link_epoch + 1
          WHERE id = $1 RETURNING ${BOARD_COLUMNS}`,
        [id, bump('moderator'), bump('editor'), bump('viewer'), joinCode ?? null],
      );
      return rows[0] ? toRecord(rows[0]) : null;
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new StorageError(`could not rotate links of ${id}: join code ${joinCode} is taken`, {
          cause: err,
        });
      }
      throw wrap(`could not rotate links of ${id}`, err);
    }
  }

  async loadDocument(id: string): Promise<StoredDocument | null> {
    try {
      // One statement, so the board check and the updates come from one snapshot.
      const { rows } = await this.pool.query<{ seq: string | null; data: Buffer | null }>(
        `SELECT u.seq, u.data FROM ${this.t.boards} b
           LEFT JOIN ${this.t.updates} u ON u.board_id = b.id
          WHERE b.id = $1
          ORDER BY u.seq`,
        [id],
      );
      if (rows.length === 0) return null;
      const updates: Uint8Array[] = [];
      let lastSeq = 0;
      for (const r of rows) {
        if (r.seq === null || r.data === null) continue; // the board has no update rows
        updates.push(fromBytea(r.data));
        lastSeq = toNumber(r.seq, 'seq');
      }
      return { updates, lastSeq };
    } catch (err) {
      throw wrap(`could not load the document of board ${id}`, err);
    }
  }

  async appendUpdate(id: string, update: Uint8Array): Promise<number> {
    let rows: { seq: string }[];
    try {
      // One autocommit statement: lock the board row (serialises appends and compactions of this
      // board, see the class comment), then draw the seq and insert. The default nextval() is
      // evaluated for the row coming out of the locking CTE, so after the lock is held; the lock
      // is released at commit, so per board seq order is commit order.
      ({ rows } = await this.pool.query<{ seq: string }>(
        `WITH board AS (SELECT id FROM ${this.t.boards} WHERE id = $1 FOR NO KEY UPDATE)
         INSERT INTO ${this.t.updates} (board_id, data) SELECT id, $2::bytea FROM board
         RETURNING seq`,
        [id, toBuffer(update)],
      ));
    } catch (err) {
      throw wrap(`could not store an update of board ${id}`, err);
    }
    const seq = rows[0]?.seq;
    if (seq === undefined)
      throw new StorageError(`could not store an update of board ${id}: no such board`);
    return toNumber(seq, 'seq');
  }

  async compact(id: string, snapshot: Uint8Array, throughSeq: number): Promise<void> {
    if (!Number.isSafeInteger(throughSeq)) {
      throw new StorageError(
        `could not compact board ${id}: throughSeq ${throughSeq} is not an integer`,
      );
    }
    try {
      await this.transaction(async (c) => {
        const locked = await c.query(
          `SELECT 1 FROM ${this.t.boards} WHERE id = $1 FOR NO KEY UPDATE`,
          [id],
        );
        if (locked.rowCount === 0)
          throw new StorageError(`could not compact board ${id}: no such board`);
        await c.query(`DELETE FROM ${this.t.updates} WHERE board_id = $1 AND seq <= $2`, [
          id,
          throughSeq,
        ]);
        // The snapshot takes the last replaced sequence number, so it sorts before later updates.
        await c.query(`INSERT INTO ${this.t.updates} (seq, board_id, data) VALUES ($1, $2, $3)`, [
          throughSeq,
          id,
          toBuffer(snapshot),
        ]);
      });
    } catch (err) {
      throw wrap(`could not compact board ${id}`, err);
    }
  }

  async saveVersion(version: VersionRecord, state: Uint8Array): Promise<void> {
    try {
      await this.pool.query(
        `INSERT INTO ${this.t.versions} (id, board_id, name, author, created_at, state, archived_at, events)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          version.id,
          version.boardId,
          version.name,
          version.author,
          version.createdAt,
          toBuffer(state),
          version.archivedAt,
          JSON.stringify(version.events),
        ],
      );
    } catch (err) {
      if (err instanceof DatabaseError && err.code === '23503') {
        throw new StorageError(`could not save a version of ${version.boardId}: no such board`, {
          cause: err,
        });
      }
      if (isUniqueViolation(err)) {
        throw new StorageError(
          `could not save a version of ${version.boardId}: version ${version.id} exists`,
          {
            cause: err,
          },
        );
      }
      throw wrap(`could not save a version of ${version.boardId}`, err);
    }
  }

  async listVersions(boardId: string): Promise<VersionRecord[]> {
    try {
      const { rows } = await this.pool.query<VersionRow>(
        `SELECT ${VERSION_COLUMNS} FROM ${this.t.versions}
          WHERE board_id = $1 ORDER BY created_at DESC, id DESC`,
        [boardId],
      );
      return rows.map(toVersion);
    } catch (err) {
      throw wrap(`could not list the versions of ${boardId}`, err);
    }
  }

  async getVersion(
    boardId: string,
    versionId: string,
  ): Promise<{ record: VersionRecord; state: Uint8Array } | null> {
    try {
      const { rows } = await this.pool.query<VersionRow & { state: Buffer }>(
        `SELECT ${VERSION_COLUMNS}, state FROM ${this.t.versions} WHERE board_id = $1 AND id = $2`,
        [boardId, versionId],
      );
      const row = rows[0];
      return row ? { record: toVersion(row), state: fromBytea(row.state) } : null;
    } catch (err) {
      throw wrap(`could not read version ${versionId} of ${boardId}`, err);
    }
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

  /** Read (row locked), change and write a version's listing in one transaction. */
  private async changeListing(
    boardId: string,
    versionId: string,
    change: (v: VersionRecord) => VersionRecord,
  ): Promise<VersionRecord | null> {
    try {
      return await this.transaction(async (c) => {
        const { rows } = await c.query<VersionRow>(
          `SELECT ${VERSION_COLUMNS} FROM ${this.t.versions}
            WHERE board_id = $1 AND id = $2 FOR UPDATE`,
          [boardId, versionId],
        );
        if (!rows[0]) return null;
        const before = toVersion(rows[0]);
        const after = change(before);
        if (after !== before)
          await c.query(
            `UPDATE ${this.t.versions} SET name = $1, archived_at = $2, events = $3
              WHERE board_id = $4 AND id = $5`,
            [after.name, after.archivedAt, JSON.stringify(after.events), boardId, versionId],
          );
        return after;
      });
    } catch (err) {
      throw wrap(`could not change version ${versionId} of ${boardId}`, err);
    }
  }

  async loadLiveSession(boardId: string): Promise<StoredLiveSession | null> {
    try {
      const { rows } = await this.pool.query<{ state: string; saved_at: string }>(
        `SELECT state, saved_at FROM ${this.t.liveSessions} WHERE board_id = $1`,
        [boardId],
      );
      const row = rows[0];
      return row ? { state: row.state, savedAt: Number(row.saved_at) } : null;
    } catch (err) {
      throw wrap(`could not read the live session of ${boardId}`, err);
    }
  }

  async saveLiveSession(boardId: string, state: string | null, at: number): Promise<void> {
    try {
      if (state === null)
        await this.pool.query(`DELETE FROM ${this.t.liveSessions} WHERE board_id = $1`, [boardId]);
      else
        await this.pool.query(
          `INSERT INTO ${this.t.liveSessions} (board_id, state, saved_at) VALUES ($1, $2, $3)
           ON CONFLICT (board_id) DO UPDATE SET state = EXCLUDED.state, saved_at = EXCLUDED.saved_at`,
          [boardId, state, at],
        );
    } catch (err) {
      throw wrap(`could not save the live session of ${boardId}`, err);
    }
  }

  async countUpdates(id: string): Promise<number> {
    try {
      const { rows } = await this.pool.query<{ n: number }>(
        `SELECT count(*)::integer AS n FROM ${this.t.updates} WHERE board_id = $1`,
        [id],
      );
      return rows[0]?.n ?? 0;
    } catch (err) {
      throw wrap(`could not count the updates of board ${id}`, err);
    }
  }

  /** Ends the pool (waits for checked-out connections to be released). Safe to call twice. */
  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  /** Pool use, for metrics. */
  poolStats(): { total: number; idle: number; waiting: number } {
    const { totalCount: total, idleCount: idle, waitingCount: waiting } = this.pool;
    return { total, idle, waiting };
  }

  close(): Promise<void> {
    this.closing ??= this.pool.end();
    return this.closing;
  }

  private transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, work);
  }
}

/** Run `work` in BEGIN … COMMIT on one pooled connection; roll back if anything throws. */
async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackErr) {
      // The connection is unusable: have the pool discard it instead of reusing it.
      broken = rollbackErr instanceof Error ? rollbackErr : new Error(String(rollbackErr));
    }
    throw err;
  } finally {
    client.release(broken);
  }
}

/**
 * Bring the schema up to date. Fast path: one query when it already is (so a role without CREATE
 * rights can use a schema an administrator migrated). Otherwise one transaction under an advisory
 * lock per schema, so servers starting together do not race on CREATE … IF NOT EXISTS (which can
 * fail with a duplicate-key error on the catalogs when run concurrently).
 */
async function migrate(pool: Pool, t: Tables, schema: string | undefined): Promise<void> {
  const all = migrations(t);
  const latest = Math.max(...all.map((m) => m.version));
  const applied = async (q: Pool | PoolClient): Promise<Set<number>> => {
    const exists = await q.query<{ ok: boolean }>('SELECT to_regclass($1) IS NOT NULL AS ok', [
      t.migrations,
    ]);
    if (!exists.rows[0]?.ok) return new Set();
    const { rows } = await q.query<{ version: number }>(`SELECT version FROM ${t.migrations}`);
    return new Set(rows.map((r) => r.version));
  };
  if ((await applied(pool)).has(latest)) return;

  await inTransaction(pool, async (c) => {
    await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `scenario-board:migrate:${schema ?? '(search_path)'}`,
    ]);
    if (schema !== undefined) {
      // Checked first: CREATE SCHEMA IF NOT EXISTS needs CREATE on the database even if it exists.
      const found = await c.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
      if (found.rowCount === 0)
        await c.query(`CREATE SCHEMA IF NOT EXISTS ${escapeIdentifier(schema)}`);
    }
    await c.query(
      `CREATE TABLE IF NOT EXISTS ${t.migrations} (
        version integer PRIMARY KEY,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`,
    );
    const done = await applied(c);
    for (const m of all) {
      if (done.has(m.version)) continue;
      for (const sql of m.statements) await c.query(sql);
      await c.query(`INSERT INTO ${t.migrations} (version) VALUES ($1)`, [m.version]);
    }
  });
}
