import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { storageContract } from './storage.contract';
import { MemoryStorage } from './memory';
import { SqliteStorage } from './sqlite';

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
        linkEpoch: 0,
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
