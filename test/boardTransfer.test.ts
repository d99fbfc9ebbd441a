/**
 * A whole board moves between deployments as one file (server/boardTransfer.ts): exported with
 * the CLI from a serving SQLite deployment, imported into a PostgreSQL one, served there with its
 * document (scenarios, decision log, comments), versions, link epochs (one per role) and join
 * code. A file of the old format (one link epoch) still imports. A hostile or broken file is
 * refused with a clear error and changes nothing.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { ROOT as DOC_ROOT } from '../lib/board/layout';
import { initBoard, readBoard } from '../lib/board/boardState';
import { readLog } from '../lib/board/decisionLog';
import { setAssumption } from '../lib/board/scenarios';
import { MemoryStorage } from '../server/storage/memory';
import {
  BOARD_FILE_FORMAT,
  TransferError,
  exportBoard,
  importBoard,
} from '../server/boardTransfer';
import { connectClient, createBoard, tempDir, waitFor } from './helpers';
import { closeAfterTest } from './teardown';
import { bundleChildServer, startChildServer } from './childServer';
import { TestSchema } from './cluster';

const ROOT = path.resolve(import.meta.dirname, '..');

/** `npm run board -- <args>` from source, with the deployment's environment. */
function cli(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/boardTransfer.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', ...env },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) =>
    child.once('close', (code) => resolve({ code, out, err })),
  );
}

const content = (doc: Y.Doc) => {
  const sorted = (m: Record<string, unknown>) =>
    Object.keys(m)
      .sort()
      .map((k) => [k, m[k]]);
  return {
    scenarios: sorted(doc.getMap(DOC_ROOT.scenarios).toJSON()),
    log: sorted(doc.getMap(DOC_ROOT.log).toJSON()),
    meta: doc.getMap(DOC_ROOT.meta).toJSON(),
  };
};

describe('board export and import', () => {
  it('moves a whole board from a serving SQLite deployment to a PostgreSQL one', async () => {
    const compiled = await bundleChildServer();
    const from = { DATA_DIR: tempDir(), TOKEN_SECRET: 'from-deployment-secret-'.repeat(2) };
    const source = await startChildServer(from, [], compiled);
    closeAfterTest(source, (c) => c.process.exitCode === null && c.kill9());
    const http = `http://127.0.0.1:${source.port}`;
    const board = await createBoard(http, { title: 'Moving house' });
    const auth = { authorization: `Bearer ${board.token}`, 'content-type': 'application/json' };
    const editor = connectClient(
      `ws://127.0.0.1:${source.port}/yjs`,
      board.id,
      board.tokens.editor,
    );
    closeAfterTest(editor, (c) => c.destroy());
    await editor.synced;
    const scenarioId = readBoard(editor.doc).scenarios[0]!.id;
    setAssumption(editor.doc, scenarioId, 'conversionRate', 4.2);
    await waitFor(() => editor.provider.synced, 'sent');
    const saved = await fetch(`${http}/api/boards/${board.id}/versions`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ name: 'Morning' }),
    });
    expect(saved.status).toBe(201);
    setAssumption(editor.doc, scenarioId, 'trainingOutput', 123_000);
    // Stored before the rotation closes the editor: another client has seen it.
    const watcher = connectClient(
      `ws://127.0.0.1:${source.port}/yjs`,
      board.id,
      board.tokens.viewer,
    );
    closeAfterTest(watcher, (c) => c.destroy());
    await watcher.synced;
    await waitFor(
      () => readBoard(watcher.doc).scenarios[0]!.values.trainingOutput === 123_000,
      'the edit stored',
    );
    // The editor link replaced, then every link: each role's epoch travels with the board.
    const editorOnly = await fetch(`${http}/api/boards/${board.id}/rotate`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ roles: ['editor'] }),
    });
    expect(editorOnly.status).toBe(200);
    const rotated = (await fetch(`${http}/api/boards/${board.id}/rotate`, {
      method: 'POST',
      headers: auth,
    }).then((r) => r.json())) as { joinCode: string };
    // The moderator's old token died with the rotation.
    const oldModerator = await fetch(`${http}/api/boards/${board.id}/links`, { headers: auth });
    expect(oldModerator.status).toBe(401);

    const file = path.join(tempDir(), 'board.json');
    const exported = await cli(['export', board.id, file], from);
    expect(exported.err).toBe('');
    expect(exported.out).toMatch(/exported board .* 1 versions/);
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { format: string };
    expect(parsed.format).toBe(BOARD_FILE_FORMAT);

    // The other deployment: PostgreSQL, another secret.
    const schema = new TestSchema();
    await schema.create();
    closeAfterTest(schema, (s) => s.drop());
    const to = {
      DATA_DIR: tempDir(),
      DATABASE_URL: schema.url,
      TOKEN_SECRET: 'to-deployment-secret-'.repeat(2),
    };
    const imported = await cli(['import', file], to);
    expect(imported.err).toBe('');
    expect(imported.code).toBe(0);
    const moderatorToken = /#t=(\S+)/.exec(imported.out)?.[1];
    expect(moderatorToken).toBeTruthy();
    // Importing twice is refused.
    const again = await cli(['import', file], to);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already exists here/);

    const target = await startChildServer(to, [], compiled);
    closeAfterTest(target, (c) => c.process.exitCode === null && c.kill9());
    const http2 = `http://127.0.0.1:${target.port}`;
    const moved = connectClient(`ws://127.0.0.1:${target.port}/yjs`, board.id, moderatorToken!);
    closeAfterTest(moved, (c) => c.destroy());
    await moved.synced;
    const stored = await (async () => {
      const s = await schema.connect();
      try {
        return await exportBoard(s, board.id);
      } finally {
        await s.close();
      }
    })();
    expect(stored.board.linkEpochs).toEqual({ moderator: 1, editor: 2, viewer: 1 });
    expect(stored.board.joinCode).toBe(rotated.joinCode);
    expect(readBoard(moved.doc).scenarios[0]!.values).toMatchObject({
      conversionRate: 4.2,
      trainingOutput: 123_000,
    });
    expect(readLog(moved.doc).length).toBeGreaterThanOrEqual(2);
    // The document is the stored one, byte for byte in content.
    const original = new Y.Doc();
    Y.applyUpdate(
      original,
      new Uint8Array(
        Buffer.from(
          (JSON.parse(fs.readFileSync(file, 'utf8')) as { document: string }).document,
          'base64',
        ),
      ),
    );
    expect(content(moved.doc)).toEqual(content(original));
    const versions = (await fetch(`${http2}/api/boards/${board.id}/versions`, {
      headers: { authorization: `Bearer ${moderatorToken}` },
    }).then((r) => r.json())) as { versions: { name: string }[] };
    expect(versions.versions.map((v) => v.name)).toEqual(['Morning']);
    const joined = await fetch(`${http2}/api/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: rotated.joinCode }),
    });
    expect(joined.status).toBe(200);
    // Links signed by the old deployment's secret do not open it here.
    const oldLink = await fetch(`${http2}/api/boards/${board.id}`, {
      headers: { authorization: `Bearer ${board.tokens.viewer}` },
    });
    expect(oldLink.status).toBe(401);
  }, 60_000);

  it('refuses a broken or hostile file and changes nothing', async () => {
    const from = new MemoryStorage();
    const record = {
      id: 'abcdefgh2345',
      title: 'T',
      modelId: 'pk-ict-exports',
      modelVersion: 1,
      createdAt: 1,
      updatedAt: 1,
      linkEpochs: { moderator: 0, editor: 0, viewer: 0 },
      joinCode: 'ABCDEF',
    };
    const doc = new Y.Doc();
    initBoard(doc, { title: 'T' });
    await from.createBoard(record, Y.encodeStateAsUpdate(doc));
    const good = await exportBoard(from, record.id);
    const to = new MemoryStorage();
    const refusals: [unknown, RegExp][] = [
      [null, /not a board file/],
      [{ ...good, format: 'something/else' }, /format/],
      [{ ...good, extra: 1 }, /not a board file/],
      [{ ...good, board: { ...good.board, id: '../../etc' } }, /board\.id/],
      [{ ...good, version: 3 }, /not a board file/],
      // Each version with its own epochs only: no mixing.
      [{ ...good, board: { ...good.board, linkEpoch: 0 } }, /not a board file/],
      [{ ...good, version: 1 }, /not a board file/],
      [
        { ...good, board: { ...good.board, linkEpochs: { moderator: 0, editor: -1, viewer: 0 } } },
        /board\.linkEpochs\.editor/,
      ],
      [{ ...good, document: 'not base64!' }, /document/],
      [
        { ...good, document: Buffer.from('garbage bytes').toString('base64') },
        /the document is not a board document/,
      ],
      [
        { ...good, versions: [{ id: 'v', name: 'n', author: 'a', createdAt: 1, state: 'AAAA' }] },
        /version v is not a board document/,
      ],
    ];
    for (const [input, message] of refusals) {
      await expect(importBoard(to, input)).rejects.toThrow(TransferError);
      await expect(importBoard(to, input)).rejects.toThrow(message);
    }
    expect(await to.listBoards(10)).toEqual([]);
    await importBoard(to, good);
    await expect(importBoard(to, good)).rejects.toThrow(/already exists/);
    expect((await to.listBoards(10)).map((b) => b.id)).toEqual([record.id]);
  }, 60_000);

  it('round-trips per-role epochs, and imports a file of the old format (one epoch for all)', async () => {
    const from = new MemoryStorage();
    const record = {
      id: 'roundtrip2345',
      title: 'Per role',
      modelId: 'pk-ict-exports',
      modelVersion: 1,
      createdAt: 1,
      updatedAt: 2,
      linkEpochs: { moderator: 0, editor: 0, viewer: 0 },
      joinCode: 'RTRIP2',
    };
    const doc = new Y.Doc();
    initBoard(doc, { title: 'Per role' });
    await from.createBoard(record, Y.encodeStateAsUpdate(doc));
    await from.rotateLinks(record.id, ['editor'], 'RTRIP3');
    await from.rotateLinks(record.id, ['viewer', 'editor'], 'RTRIP4');
    const file = JSON.parse(JSON.stringify(await exportBoard(from, record.id))) as unknown;
    expect(file).toMatchObject({ version: 2 });

    const to = new MemoryStorage();
    const done = await importBoard(to, file);
    expect(done.linkEpochs).toEqual({ moderator: 0, editor: 2, viewer: 1 });
    expect(await to.getBoard(record.id)).toEqual(await from.getBoard(record.id));

    // The format written before links were replaced per role: version 1, one `linkEpoch`.
    const { linkEpochs: _epochs, ...fields } = record;
    const old = {
      ...(file as object),
      version: 1,
      board: { ...fields, id: 'oldformat234', joinCode: 'OLDFM2', linkEpoch: 5 },
    };
    const imported = await importBoard(to, old);
    expect(imported.linkEpochs).toEqual({ moderator: 5, editor: 5, viewer: 5 });
    expect(await to.getBoard('oldformat234')).toMatchObject({
      linkEpochs: { moderator: 5, editor: 5, viewer: 5 },
      joinCode: 'OLDFM2',
    });
  });

  it('keeps version names, the archived flag and their history; older files still import', async () => {
    const from = new MemoryStorage();
    const record = {
      id: 'abcdefgh2346',
      title: 'T',
      modelId: 'pk-ict-exports',
      modelVersion: 1,
      createdAt: 1,
      updatedAt: 1,
      linkEpochs: { moderator: 0, editor: 0, viewer: 0 },
      joinCode: 'ABCDEG',
    };
    const doc = new Y.Doc();
    initBoard(doc, { title: 'T' });
    const state = Y.encodeStateAsUpdate(doc);
    await from.createBoard(record, state);
    const version = (id: string, name: string, createdAt: number) => ({
      id,
      boardId: record.id,
      name,
      author: 'Mo',
      createdAt,
      size: state.length,
      archivedAt: null,
      events: [],
    });
    await from.saveVersion(version('v1', 'Draft', 10), state);
    await from.saveVersion(version('v2', 'Kept', 20), state);
    await from.renameVersion(record.id, 'v1', 'Agreed', { at: 30, by: 'Maria' });
    await from.setVersionArchived(record.id, 'v1', true, { at: 40, by: 'Maria' });
    const file = await exportBoard(from, record.id);
    const to = new MemoryStorage();
    await importBoard(to, JSON.parse(JSON.stringify(file)));
    expect(await to.listVersions(record.id)).toEqual(await from.listVersions(record.id));
    expect((await to.getVersion(record.id, 'v1'))?.record).toMatchObject({
      name: 'Agreed',
      archivedAt: 40,
      events: [
        { kind: 'renamed', from: 'Draft', to: 'Agreed' },
        { kind: 'archived', at: 40 },
      ],
    });
    // A file written before archiving existed: no archivedAt, no events.
    const old = {
      ...file,
      board: { ...file.board, id: 'abcdefgh2347', joinCode: 'ABCDEH' },
      versions: file.versions.map(({ id, name, author, createdAt, state }) => {
        return { id, name, author, createdAt, state };
      }),
    };
    await importBoard(to, old);
    expect(
      (await to.listVersions('abcdefgh2347')).map((v) => [v.name, v.archivedAt, v.events]),
    ).toEqual([
      ['Kept', null, []],
      ['Agreed', null, []],
    ]);
    // A forged history is refused, not stored.
    await expect(
      importBoard(to, {
        ...file,
        board: { ...file.board, id: 'abcdefgh2348', joinCode: 'ABCDEJ' },
        versions: [{ ...file.versions[0]!, events: [{ kind: 'deleted', at: 1, by: 'x' }] }],
      }),
    ).rejects.toThrow(TransferError);
  });
});
