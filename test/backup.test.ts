/**
 * Backups of the embedded SQLite store (server/backup.ts): `npm run backup` takes a consistent
 * copy while a real server process keeps taking edits; `npm run restore` puts it in place of a
 * new data folder, and a server started on it serves the board again: its document (every edit
 * acknowledged before the backup began), its versions, its decision log and its links.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBoard } from '../lib/board/boardState';
import { readLog } from '../lib/board/decisionLog';
import { setAssumption } from '../lib/board/scenarios';
import { connectClient, createBoard, tempDir, waitFor } from './helpers';
import { closeAfterTest } from './teardown';
import { bundleChildServer, startChildServer } from './childServer';
import { DATABASE_URL, TestSchema } from './cluster';

const ROOT = path.resolve(import.meta.dirname, '..');

/**
 * The backup tool as `npm run backup -- <file>` runs it (from source here: no build needed), in
 * its own process while this one keeps editing.
 */
function tool(
  command: 'backup' | 'restore',
  file: string,
  dataDir: string,
): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/backup.ts', command, file], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, out, err })));
}

/** A failed run: exit code 1 and a message matching `pattern`. */
async function refused(
  run: Promise<{ code: number | null; err: string }>,
  pattern: RegExp,
): Promise<void> {
  const { code, err } = await run;
  expect(code).toBe(1);
  expect(err).toMatch(pattern);
}

describe('SQLite backup and restore', () => {
  it('copies a serving database consistently; the restored copy serves the board with every edit acknowledged before the backup, its versions, log and links', async () => {
    const compiled = await bundleChildServer();
    const dataDir = tempDir();
    const server = await startChildServer({ DATA_DIR: dataDir }, [], compiled);
    closeAfterTest(server, (c) => c.process.exitCode === null && c.kill9());
    const http = `http://127.0.0.1:${server.port}`;
    const board = await createBoard(http, {
      title: 'Backed up',
      assumptions: { trainingOutput: 0 },
    });
    const writer = connectClient(
      `ws://127.0.0.1:${server.port}/yjs`,
      board.id,
      board.tokens.editor,
    );
    const watcher = connectClient(
      `ws://127.0.0.1:${server.port}/yjs`,
      board.id,
      board.tokens.viewer,
    );
    closeAfterTest(writer, (c) => c.destroy());
    closeAfterTest(watcher, (c) => c.destroy());
    await Promise.all([writer.synced, watcher.synced]);
    const version = await fetch(`${http}/api/boards/${board.id}/versions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${board.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Before the backup' }),
    });
    expect(version.status).toBe(201);
    // Only the moderator link replaced: the copy must keep each role's epoch.
    const replaced = await fetch(`${http}/api/boards/${board.id}/rotate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${board.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ roles: ['moderator'] }),
    });
    expect(replaced.status).toBe(200);
    const { token: newModerator } = (await replaced.json()) as { token: string };

    const scenarioId = readBoard(writer.doc).scenarios[0]!.id;
    let written = 0;
    const editing = setInterval(() => {
      written += 1;
      setAssumption(writer.doc, scenarioId, 'trainingOutput', written);
    }, 5);
    const seen = () => readBoard(watcher.doc).scenarios[0]!.values.trainingOutput;
    await waitFor(() => seen() >= 50 && seen() < 300_000, 'edits to flow');

    // Acknowledged (stored: the watcher saw it) before the backup starts.
    const acknowledged = seen();
    const file = path.join(tempDir(), 'boards-backup.sqlite');
    const backedUp = await tool('backup', file, dataDir);
    clearInterval(editing);
    expect(backedUp.err).toBe('');
    expect(backedUp.code).toBe(0);
    expect(backedUp.out).toMatch(/backed up .* \(\d+ bytes, \d+ ms\)/);
    expect(fs.existsSync(`${file}.token-secret`)).toBe(true);
    // Edits went on during the backup.
    expect(written).toBeGreaterThan(acknowledged);

    // A backup never overwrites a file.
    await refused(tool('backup', file, dataDir), /exists/);
    // Restoring under a running server is refused, and leaves it alone.
    await refused(tool('restore', file, dataDir), /in use: stop the server first/);

    // Restored into a new data folder (another machine), served by a new process.
    const newDir = tempDir();
    const restored = await tool('restore', file, newDir);
    expect(restored.code).toBe(0);
    expect(restored.out).toMatch(/link-signing secret/);
    const second = await startChildServer({ DATA_DIR: newDir }, [], compiled);
    closeAfterTest(second, (c) => c.process.exitCode === null && c.kill9());
    const http2 = `http://127.0.0.1:${second.port}`;
    // The old links still work (same secret), the document holds every acknowledged edit.
    const reader = connectClient(
      `ws://127.0.0.1:${second.port}/yjs`,
      board.id,
      board.tokens.viewer,
    );
    closeAfterTest(reader, (c) => c.destroy());
    await reader.synced;
    const restoredValue = readBoard(reader.doc).scenarios[0]!.values.trainingOutput;
    expect(restoredValue).toBeGreaterThanOrEqual(acknowledged);
    expect(restoredValue).toBeLessThanOrEqual(written);
    expect(readLog(reader.doc).length).toBeGreaterThan(0);
    const versions = (await fetch(`${http2}/api/boards/${board.id}/versions`, {
      headers: { authorization: `Bearer ${board.tokens.viewer}` },
    }).then((r) => r.json())) as { versions: { name: string }[] };
    expect(versions.versions.map((v) => v.name)).toContain('Before the backup');
    const joined = await fetch(`${http2}/api/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: board.joinCode }),
    });
    expect(joined.status).toBe(200);
    // Per-role epochs came with the copy: the replaced moderator link is refused, the new one works.
    const asModerator = (token: string) =>
      fetch(`${http2}/api/boards/${board.id}/links`, {
        headers: { authorization: `Bearer ${token}` },
      }).then((r) => r.status);
    expect(await asModerator(board.token)).toBe(401);
    expect(await asModerator(newModerator)).toBe(200);
    console.log(
      `backup while serving: ${backedUp.out.split('\n')[0]}; ${written} edits written, ` +
        `${acknowledged} acknowledged before it began, ${restoredValue} in the copy`,
    );
  }, 60_000);

  it('restore refuses what is not a Scenario Board backup and keeps the current database', async () => {
    const dataDir = tempDir();
    const junk = path.join(tempDir(), 'junk.sqlite');
    fs.writeFileSync(junk, 'not a database at all, just text');
    await refused(
      tool('restore', junk, dataDir),
      /not a SQLite database|not a Scenario Board backup/,
    );
    expect(fs.existsSync(path.join(dataDir, 'boards.sqlite'))).toBe(false);
    await refused(tool('restore', path.join(dataDir, 'missing.sqlite'), dataDir), /no backup at/);
    await refused(tool('backup', path.join(tempDir(), 'x.sqlite'), tempDir()), /no database at/);
  }, 60_000);
});

describe('PostgreSQL backup and restore (pg_dump / pg_restore, docs/deploy.md)', () => {
  it('a dump taken while serving restores the board after its schema is gone', async () => {
    const schema = new TestSchema();
    await schema.create();
    // Dropped after the test, once the servers (registered later) are killed.
    closeAfterTest(schema, (s) => s.drop());
    const env = {
      DATABASE_URL: schema.url,
      DATA_DIR: tempDir(),
      TOKEN_SECRET: 'pg-backup-test-'.repeat(3),
    };
    const compiled = await bundleChildServer();
    const server = await startChildServer(env, [], compiled);
    closeAfterTest(server, (c) => c.process.exitCode === null && c.kill9());
    const board = await createBoard(`http://127.0.0.1:${server.port}`, {
      title: 'In PostgreSQL',
    });
    const writer = connectClient(
      `ws://127.0.0.1:${server.port}/yjs`,
      board.id,
      board.tokens.editor,
    );
    closeAfterTest(writer, (c) => c.destroy());
    await writer.synced;
    setAssumption(writer.doc, readBoard(writer.doc).scenarios[0]!.id, 'trainingOutput', 77_000);
    const watcher = connectClient(
      `ws://127.0.0.1:${server.port}/yjs`,
      board.id,
      board.tokens.viewer,
    );
    closeAfterTest(watcher, (c) => c.destroy());
    await waitFor(
      () => readBoard(watcher.doc).scenarios[0]?.values.trainingOutput === 77_000,
      'stored',
    );

    const dump = path.join(tempDir(), 'board.dump');
    const dumped = await run('pg_dump', [
      '--format=custom',
      `--schema=${schema.name}`,
      `--file=${dump}`,
      DATABASE_URL,
    ]);
    expect(dumped).toMatchObject({ code: 0, err: '' });
    await server.kill9();
    await schema.drop();
    const restored = await run('pg_restore', ['--no-owner', `--dbname=${DATABASE_URL}`, dump]);
    expect(restored).toMatchObject({ code: 0, err: '' });

    const again = await startChildServer(env, [], compiled);
    closeAfterTest(again, (c) => c.process.exitCode === null && c.kill9());
    const reader = connectClient(`ws://127.0.0.1:${again.port}/yjs`, board.id, board.tokens.viewer);
    closeAfterTest(reader, (c) => c.destroy());
    await reader.synced;
    expect(readBoard(reader.doc).scenarios[0]!.values.trainingOutput).toBe(77_000);
    expect(readLog(reader.doc).length).toBeGreaterThan(0);
  }, 60_000);
});

function run(command: string, args: string[]): Promise<{ code: number | null; err: string }> {
  const child = spawn(command, args);
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, err })));
}
