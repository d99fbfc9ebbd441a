/**
 * PostgreSQL storage: the shared contract plus what only a network database can get wrong
 * (reconnecting, several servers writing one board, migrations racing).
 *
 * Uses DATABASE_URL if set, else the local server at postgres://postgres@127.0.0.1:5432/test
 * (CI runs it); an unreachable database fails the suite rather than skipping it. Every test works
 * in its own throwaway schema `sb_test_…`, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Pool, escapeIdentifier } from 'pg';
import { storageContract } from './storage.contract';
import { PostgresStorage } from './postgres';
import { ROLES, StorageError, sameEpochs, type BoardRecord } from './types';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test';
const url = process.env.DATABASE_URL || DEFAULT_URL;

const schemas: string[] = [];
const newSchema = (): string => {
  const name = `sb_test_${randomBytes(6).toString('hex')}`;
  schemas.push(name);
  return name;
};
const open = (schema: string): Promise<PostgresStorage> => PostgresStorage.connect(url, { schema });

const admin = new Pool({ connectionString: url, max: 2 });

afterAll(async () => {
  for (const s of schemas)
    await admin.query(`DROP SCHEMA IF EXISTS ${escapeIdentifier(s)} CASCADE`);
  await admin.end();
});

const record = (id: string, extra: Partial<BoardRecord> = {}): BoardRecord => ({
  id,
  title: `Board ${id}`,
  modelId: 'pk-ict-exports',
  modelVersion: 1,
  createdAt: 1_760_000_000_000,
  updatedAt: 1_760_000_000_000,
  linkEpochs: sameEpochs(0),
  joinCode: `C${id}`.toUpperCase().slice(0, 6).padEnd(6, 'X'),
  ...extra,
});

const sortedBySeq = <T>(items: { seq: number; value: T }[]): T[] =>
  [...items].sort((a, b) => a.seq - b.seq).map((x) => x.value);

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

storageContract('postgres', () => open(newSchema()));

describe('postgres storage', () => {
  it('keeps data across a new storage on the same schema', async () => {
    const schema = newSchema();
    const first = await open(schema);
    await first.createBoard(record('keep', { title: 'Kept' }), new Uint8Array([0, 0]));
    await first.appendUpdate('keep', new Uint8Array([1, 2, 3]));
    await first.rotateLinks('keep', ROLES, 'KEEP22');
    await first.close();
    await first.close(); // idempotent

    const second = await open(schema);
    try {
      expect(await second.getBoard('keep')).toEqual(
        record('keep', { title: 'Kept', linkEpochs: sameEpochs(1), joinCode: 'KEEP22' }),
      );
      const stored = await second.loadDocument('keep');
      expect(stored?.updates.map((u) => Array.from(u))).toEqual([
        [0, 0],
        [1, 2, 3],
      ]);
    } finally {
      await second.close();
    }
  });

  it('returns numbers, not bigint strings, and standalone byte arrays', async () => {
    const storage = await open(newSchema());
    try {
      const big = 8_640_000_000_000; // far beyond a 32-bit integer
      await storage.createBoard(
        record('num', { createdAt: big, updatedAt: big + 1 }),
        new Uint8Array([7]),
      );
      const seq = await storage.appendUpdate('num', new Uint8Array([8, 9]));
      expect(typeof seq).toBe('number');
      const board = (await storage.getBoard('num'))!;
      expect(board.createdAt).toBe(big);
      expect(board.updatedAt).toBe(big + 1);
      expect((await storage.listBoards(5))[0]?.updatedAt).toBe(big + 1);
      const stored = (await storage.loadDocument('num'))!;
      expect(stored.lastSeq).toBe(seq);
      expect(typeof (await storage.countUpdates('num'))).toBe('number');
      await storage.saveVersion(
        {
          id: 'v1',
          boardId: 'num',
          name: 'V',
          author: 'Mo',
          createdAt: big,
          size: 0,
          archivedAt: null,
          events: [],
        },
        new Uint8Array([1, 2, 3]),
      );
      await storage.setVersionArchived('num', 'v1', true, { at: big + 2, by: 'Mo' });
      expect(await storage.listVersions('num')).toEqual([
        {
          id: 'v1',
          boardId: 'num',
          name: 'V',
          author: 'Mo',
          createdAt: big,
          size: 3,
          archivedAt: big + 2,
          events: [{ kind: 'archived', at: big + 2, by: 'Mo' }],
        },
      ]);
      const version = (await storage.getVersion('num', 'v1'))!;
      for (const u of [...stored.updates, version.state]) {
        expect(u).toBeInstanceOf(Uint8Array);
        expect(u.byteOffset).toBe(0);
        expect(u.buffer.byteLength).toBe(u.byteLength);
      }
    } finally {
      await storage.close();
    }
  });

  it('fails with StorageError for taken ids and codes and unknown boards', async () => {
    const storage = await open(newSchema());
    try {
      await storage.createBoard(record('a', { joinCode: 'AAA222' }), new Uint8Array([0]));
      await storage.createBoard(record('b', { joinCode: 'BBB222' }), new Uint8Array([0]));
      await expect(
        storage.createBoard(record('a', { joinCode: 'NEW222' }), new Uint8Array([0])),
      ).rejects.toThrow(/board a already exists/);
      await expect(
        storage.createBoard(record('c', { joinCode: 'AAA222' }), new Uint8Array([0])),
      ).rejects.toThrow(/join code AAA222 is taken/);
      // The failed creations left nothing behind (board row and first update are one transaction).
      expect(await storage.getBoard('c')).toBeNull();
      expect(await storage.countUpdates('c')).toBe(0);
      await expect(storage.rotateLinks('a', ROLES, 'BBB222')).rejects.toBeInstanceOf(StorageError);
      await expect(storage.appendUpdate('ghost', new Uint8Array([1]))).rejects.toBeInstanceOf(
        StorageError,
      );
      await expect(storage.compact('ghost', new Uint8Array([1]), 1)).rejects.toBeInstanceOf(
        StorageError,
      );
      expect(await storage.countUpdates('ghost')).toBe(0);
      const v = {
        id: 'v1',
        boardId: 'a',
        name: 'V',
        author: 'Mo',
        createdAt: 1,
        size: 1,
        archivedAt: null,
        events: [],
      };
      await storage.saveVersion(v, new Uint8Array([1]));
      await expect(storage.saveVersion(v, new Uint8Array([1]))).rejects.toThrow(
        /version v1 exists/,
      );
      await expect(
        storage.saveVersion({ ...v, id: 'v2', boardId: 'ghost' }, new Uint8Array([1])),
      ).rejects.toThrow(/no such board/);
      // Rotating to the board's own code is allowed, as in SQLite.
      expect(await storage.rotateLinks('b', ROLES, 'BBB222')).toMatchObject({
        linkEpochs: sameEpochs(1),
        joinCode: 'BBB222',
      });
    } finally {
      await storage.close();
    }
  });

  it('keeps a total order without loss when two storages append to one board at once', async () => {
    const schema = newSchema();
    const [a, b] = await Promise.all([open(schema), open(schema)]);
    try {
      await a.createBoard(record('shared'), new Uint8Array([255, 255]));
      const written: { seq: number; value: number[] }[] = [];
      // Each storage appends sequentially (its own order must hold) while also firing a burst
      // of parallel appends through its pool.
      const writer = async (s: PostgresStorage, who: number) => {
        const mine: number[] = [];
        for (let i = 0; i < 30; i++) {
          const value = [who, i];
          const seq = await s.appendUpdate('shared', new Uint8Array(value));
          mine.push(seq);
          written.push({ seq, value });
        }
        expect([...mine].sort((x, y) => x - y)).toEqual(mine);
        await Promise.all(
          Array.from({ length: 20 }, async (_, j) => {
            const value = [who, 100 + j];
            written.push({ seq: await s.appendUpdate('shared', new Uint8Array(value)), value });
          }),
        );
      };
      await Promise.all([writer(a, 1), writer(b, 2)]);

      const seqs = written.map((w) => w.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
      for (const reader of [a, b]) {
        const stored = (await reader.loadDocument('shared'))!;
        expect(stored.updates.map((u) => Array.from(u))).toEqual([
          [255, 255],
          ...sortedBySeq(written),
        ]);
        expect(stored.lastSeq).toBe(Math.max(...seqs));
      }
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('loses nothing when one storage compacts while others append to the same board', async () => {
    const schema = newSchema();
    const writers = await Promise.all(Array.from({ length: 4 }, () => open(schema)));
    const compactor = await open(schema);
    try {
      // Independent writers (a Y.Doc each, appending its updates in order), so a lost update
      // shows as a missing key or as pending structs when the stored document is replayed.
      const docs = writers.map(() => new Y.Doc());
      await compactor.createBoard(record('race'), Y.encodeStateAsUpdate(new Y.Doc()));
      let writing = true;
      const write = async (s: PostgresStorage, doc: Y.Doc, who: number) => {
        let update: Uint8Array | null = null;
        doc.on('update', (u: Uint8Array) => (update = u));
        for (let i = 0; i < 40; i++) {
          doc.getMap('m').set(`w${who}-${i}`, i);
          await s.appendUpdate('race', update!);
        }
      };
      const compactions = async () => {
        let n = 0;
        while (writing || n === 0) {
          const stored = (await compactor.loadDocument('race'))!;
          await compactor.compact('race', Y.mergeUpdates(stored.updates), stored.lastSeq);
          n++;
        }
        return n;
      };
      const compacting = compactions();
      await Promise.all(writers.map((s, i) => write(s, docs[i]!, i)));
      writing = false;
      expect(await compacting).toBeGreaterThan(1);

      const stored = (await compactor.loadDocument('race'))!;
      const replayed = new Y.Doc();
      for (const u of stored.updates) Y.applyUpdate(replayed, u);
      expect(replayed.store.pendingStructs).toBeNull();
      const expected = Object.assign({}, ...docs.map((d) => d.getMap('m').toJSON())) as Record<
        string,
        unknown
      >;
      expect(Object.keys(expected)).toHaveLength(160);
      expect(replayed.getMap('m').toJSON()).toEqual(expected);
    } finally {
      await Promise.all([...writers, compactor].map((s) => s.close()));
    }
  });

  it("makes appends wait for a transaction holding their board, not for other boards'", async () => {
    const schema = newSchema();
    const storage = await open(schema);
    const client = await admin.connect();
    try {
      await storage.createBoard(record('held'), new Uint8Array([0]));
      await storage.createBoard(record('free'), new Uint8Array([0]));
      // Hold the lock a compaction of 'held' takes.
      await client.query('BEGIN');
      await client.query(
        `SELECT 1 FROM ${escapeIdentifier(schema)}.boards WHERE id = $1 FOR NO KEY UPDATE`,
        ['held'],
      );
      let heldDone = false;
      const held = storage.appendUpdate('held', new Uint8Array([1])).then((seq) => {
        heldDone = true;
        return seq;
      });
      const freeSeq = await storage.appendUpdate('free', new Uint8Array([2]));
      // Reads are not blocked either.
      expect((await storage.loadDocument('held'))?.updates).toHaveLength(1);
      await delay(100);
      expect(heldDone).toBe(false);
      await client.query('COMMIT');
      expect(await held).toBeGreaterThan(freeSeq);
      expect((await storage.loadDocument('held'))?.updates).toHaveLength(2);
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
      await storage.close();
    }
  });

  it('migrates idempotently, also when servers start together', async () => {
    const schema = newSchema();
    const storages = await Promise.all(Array.from({ length: 4 }, () => open(schema)));
    await Promise.all(storages.map((s) => s.close()));
    const again = await open(schema);
    await again.close();
    const { rows } = await admin.query<{ version: number }>(
      `SELECT version FROM ${escapeIdentifier(schema)}.schema_migrations ORDER BY version`,
    );
    expect(rows.map((r) => r.version)).toEqual([1, 2, 3, 4, 5]);
  });

  it('a board stored with one link epoch (schema 1) keeps it for every role', async () => {
    const schema = newSchema();
    const q = (sql: string) => admin.query(sql);
    const s = escapeIdentifier(schema);
    await q(`CREATE SCHEMA ${s}`);
    // The tables and row as schema version 1 wrote them.
    await q(`CREATE TABLE ${s}.boards (
        id text PRIMARY KEY, title text NOT NULL, model_id text NOT NULL,
        model_version integer NOT NULL, created_at bigint NOT NULL, updated_at bigint NOT NULL,
        link_epoch integer NOT NULL DEFAULT 0, join_code text NOT NULL UNIQUE)`);
    await q(`CREATE TABLE ${s}.board_updates (seq bigserial PRIMARY KEY,
        board_id text NOT NULL REFERENCES ${s}.boards (id) ON DELETE CASCADE, data bytea NOT NULL)`);
    await q(`CREATE TABLE ${s}.schema_migrations (version integer PRIMARY KEY,
        applied_at timestamptz NOT NULL DEFAULT now())`);
    await q(`INSERT INTO ${s}.schema_migrations (version) VALUES (1)`);
    await q(`INSERT INTO ${s}.boards VALUES ('old', 'Old', 'm', 1, 1, 1, 3, 'OLD234')`);
    const storage = await open(schema);
    try {
      expect(await storage.getBoard('old')).toMatchObject({
        linkEpochs: sameEpochs(3),
        joinCode: 'OLD234',
      });
      expect(await storage.rotateLinks('old', ['viewer'])).toMatchObject({
        linkEpochs: { moderator: 3, editor: 3, viewer: 4 },
      });
      // An instance of the previous build (one epoch) sharing the database during a rollout
      // refuses every token issued before the rotation: it fails closed.
      const { rows } = await admin.query<{ link_epoch: number }>(
        `SELECT link_epoch FROM ${s}.boards WHERE id = 'old'`,
      );
      expect(rows[0]?.link_epoch).toBe(4);
    } finally {
      await storage.close();
    }
  });

  it("deletes a board's updates with the board (ON DELETE CASCADE)", async () => {
    const schema = newSchema();
    const storage = await open(schema);
    try {
      await storage.createBoard(record('gone'), new Uint8Array([0]));
      await storage.appendUpdate('gone', new Uint8Array([1]));
      const v = {
        id: 'v1',
        boardId: 'gone',
        name: 'V',
        author: 'Mo',
        createdAt: 1,
        size: 1,
        archivedAt: null,
        events: [],
      };
      await storage.saveVersion(v, new Uint8Array([5]));
      await admin.query(`DELETE FROM ${escapeIdentifier(schema)}.boards WHERE id = $1`, ['gone']);
      expect(await storage.countUpdates('gone')).toBe(0);
      expect(await storage.listVersions('gone')).toEqual([]);
      expect(await storage.loadDocument('gone')).toBeNull();
    } finally {
      await storage.close();
    }
  });
});
