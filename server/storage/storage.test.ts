import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { storageContract } from './storage.contract';
import { MemoryStorage } from './memory';
import Database from 'better-sqlite3';
import { SQLITE_MIGRATIONS, SqliteStorage } from './sqlite';
import { StorageError } from './types';

storageContract('memory', () => Promise.resolve(new MemoryStorage()));

storageContract('sqlite (file)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-sqlite-'));
  return Promise.resolve(new SqliteStorage(path.join(dir, 'boards.sqlite')));
});

describe('sqlite storage', () => {
  it('keeps data across reopening the file (WAL)', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sb-sqlite-')), 'boards.sqlite');
    const first = new SqliteStorage(file);
    await first.createBoard(
      {
        id: 'keep',
        title: 'Kept',
        modelId: 'm',
        modelVersion: 1,
        createdAt: 1,
        updatedAt: 1,
        linkEpochs: { moderator: 0, editor: 0, viewer: 0 },
        joinCode: 'KEEP22',
      },
      new Uint8Array([0, 0]),
    );
    await first.appendUpdate('keep', new Uint8Array([1, 2, 3]));
    await first.close();
    const second = new SqliteStorage(file);
    const stored = await second.loadDocument('keep');
    expect(stored?.updates.map((u) => Array.from(u))).toEqual([
      [0, 0],
      [1, 2, 3],
    ]);
    await second.close();
  });
});

describe('sqlite schema migrations (PRAGMA user_version)', () => {
  const tempFile = () =>
    path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sb-sqlite-')), 'boards.sqlite');
  const newest = SQLITE_MIGRATIONS.at(-1)!.version;
  const versionOf = (file: string) => {
    const db = new Database(file, { readonly: true });
    try {
      return db.pragma('user_version', { simple: true }) as number;
    } finally {
      db.close();
    }
  };

  it('a new database starts at the newest version', async () => {
    const file = tempFile();
    await new SqliteStorage(file).close();
    expect(versionOf(file)).toBe(newest);
  });

  it('a database written before migrations existed (fixture, version 0) is adopted with its boards', async () => {
    const file = tempFile();
    fs.copyFileSync(new URL('../../test/fixtures/legacy-v1/boards.sqlite', import.meta.url), file);
    expect(versionOf(file)).toBe(0);
    const storage = new SqliteStorage(file);
    const { id } = JSON.parse(
      fs.readFileSync(new URL('../../test/fixtures/legacy-v1/board.json', import.meta.url), 'utf8'),
    ) as { id: string };
    expect((await storage.getBoard(id))?.title).toBe('Legacy v1 board');
    expect((await storage.loadDocument(id))?.updates).toHaveLength(1);
    await storage.close();
    expect(versionOf(file)).toBe(newest);
    // Opening again runs nothing and changes nothing.
    await new SqliteStorage(file).close();
    expect(versionOf(file)).toBe(newest);
  });

  it('a board stored with one link epoch (version 1) keeps it for every role', async () => {
    const file = tempFile();
    const db = new Database(file);
    db.exec(SQLITE_MIGRATIONS.find((m) => m.version === 1)!.sql);
    db.pragma('user_version = 1');
    db.prepare(
      "INSERT INTO boards (id, title, model_id, model_version, created_at, updated_at, link_epoch, join_code) VALUES ('old', 'Old', 'm', 1, 1, 1, 3, 'OLD234')",
    ).run();
    db.close();
    const storage = new SqliteStorage(file);
    expect(await storage.getBoard('old')).toMatchObject({
      linkEpochs: { moderator: 3, editor: 3, viewer: 3 },
      joinCode: 'OLD234',
    });
    expect(await storage.rotateLinks('old', ['editor'], 'NEW234')).toMatchObject({
      linkEpochs: { moderator: 3, editor: 4, viewer: 3 },
      joinCode: 'NEW234',
    });
    await storage.close();
    expect(versionOf(file)).toBe(newest);
  });

  it('versions saved before version 3 are listed unarchived, with their names and no events', async () => {
    const file = tempFile();
    const db = new Database(file);
    db.exec(SQLITE_MIGRATIONS[0]!.sql);
    db.pragma('user_version = 1');
    db.prepare("INSERT INTO boards VALUES ('b1', 'Old', 'skills', 1, 1, 1, 0, 'ABC234')").run();
    db.prepare(
      "INSERT INTO board_versions (id, board_id, name, author, created_at, state) VALUES ('v1', 'b1', 'Before', 'Mo', 5, x'0102')",
    ).run();
    db.close();
    const storage = new SqliteStorage(file);
    expect(await storage.listVersions('b1')).toEqual([
      {
        id: 'v1',
        boardId: 'b1',
        name: 'Before',
        author: 'Mo',
        createdAt: 5,
        size: 2,
        archivedAt: null,
        events: [],
      },
    ]);
    expect(await storage.setVersionArchived('b1', 'v1', true, { at: 9, by: 'Mo' })).toMatchObject({
      archivedAt: 9,
    });
    await storage.close();
    expect(versionOf(file)).toBe(newest);
  });

  it('refuses a database from a newer build instead of writing it', () => {
    const file = tempFile();
    const db = new Database(file);
    db.pragma(`user_version = ${newest + 1}`);
    db.close();
    expect(() => new SqliteStorage(file)).toThrow(StorageError);
    expect(() => new SqliteStorage(file)).toThrow(/newer than this build knows/);
  });
});
