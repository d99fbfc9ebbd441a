/**
 * A board saved before schema versions (test/fixtures/legacy-v1: the real server's SQLite file of
 * 2 Dec 2026, user_version 0) opened by today's server: the database and the document migrate
 * once, the migration is stored as one normal update, and the board reads the same numbers with
 * model v1 until a moderator says otherwise.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { readBoard } from '../lib/board/boardState';
import { SCHEMA_VERSION } from '../lib/board/migrations';
import { TokenService } from '../server/auth/tokens';
import { SQLITE_MIGRATIONS } from '../server/storage/sqlite';
import { connectClient, startServer, tempDir, type TestServer } from './helpers';

const fixtureDir = new URL('./fixtures/legacy-v1/', import.meta.url);
const fixture = JSON.parse(fs.readFileSync(new URL('board.json', fixtureDir), 'utf8')) as {
  id: string;
  totalsByScenario: Record<string, number[]>;
};
const SECRET = 'migration-test-secret-with-at-least-32-bytes!';

let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

function legacyDataDir(): string {
  const dir = tempDir('sb-migrate-');
  fs.copyFileSync(new URL('boards.sqlite', fixtureDir), path.join(dir, 'boards.sqlite'));
  return dir;
}

const rowsOf = (dir: string) => {
  const db = new Database(path.join(dir, 'boards.sqlite'), { readonly: true });
  try {
    return {
      updates: (db.prepare('SELECT count(*) AS n FROM board_updates').get() as { n: number }).n,
      userVersion: db.pragma('user_version', { simple: true }) as number,
    };
  } finally {
    db.close();
  }
};

describe('a board saved before versions, opened by today’s server', () => {
  it('migrates once, stored as one update, and reads the same numbers with model v1', async () => {
    const dir = legacyDataDir();
    expect(rowsOf(dir)).toEqual({ updates: 1, userVersion: 0 });
    server = await startServer({ DATA_DIR: dir, TOKEN_SECRET: SECRET });
    const token = await new TokenService(SECRET).sign({
      boardId: fixture.id,
      role: 'moderator',
      epoch: 0,
    });
    const res = await fetch(`${server.http}/api/boards/${fixture.id}/projection`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      model: { version: number };
      scenarios: { id: string; years: { total: number }[] }[];
    };
    expect(body.model.version).toBe(1);
    expect(
      Object.fromEntries(body.scenarios.map((s) => [s.id, s.years.map((y) => y.total)])),
    ).toEqual(fixture.totalsByScenario);
    expect(rowsOf(dir)).toEqual({
      updates: 2,
      userVersion: SQLITE_MIGRATIONS.at(-1)!.version,
    });

    // A client sees the migrated document; nothing was refused.
    const client = connectClient(server.ws, fixture.id, token);
    await client.synced;
    expect(client.doc.getMap('meta').get('schemaVersion')).toBe(SCHEMA_VERSION);
    expect(readBoard(client.doc).scenarios.map((s) => s.name)).toEqual(['Baseline', 'Ambitious']);
    client.destroy();
    await server.close();

    // Loading again (a restart) migrates nothing more.
    server = await startServer({ DATA_DIR: dir, TOKEN_SECRET: SECRET });
    const again = await fetch(`${server.http}/api/boards/${fixture.id}/projection`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(again.status).toBe(200);
    expect(rowsOf(dir).updates).toBeLessThanOrEqual(2);
  });
});
