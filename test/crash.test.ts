/**
 * S6: killing the server process (kill -9) never loses an edit that another client has seen,
 * because an update is stored before it is relayed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readBoard } from '../lib/board/boardState';
import { setAssumption } from '../lib/board/scenarios';
import { connectClient, createBoard, tempDir, waitFor, type TestClient } from './helpers';
import { startChildServer, type ChildServer } from './childServer';

let children: ChildServer[] = [];
let clients: TestClient[] = [];
afterEach(async () => {
  for (const c of clients) c.destroy();
  clients = [];
  for (const child of children) await child.kill9();
  children = [];
});

describe('crash safety', () => {
  it('S6: every edit another client saw survives kill -9', async () => {
    const dataDir = tempDir();
    const first = await startChildServer({ DATA_DIR: dataDir, COMPACT_AFTER_UPDATES: '25' });
    children.push(first);
    const base = `http://127.0.0.1:${first.port}`;
    const { id, tokens } = await createBoard(base);
    const a = connectClient(`ws://127.0.0.1:${first.port}/yjs`, id, tokens.editor);
    const b = connectClient(`ws://127.0.0.1:${first.port}/yjs`, id, tokens.editor);
    clients.push(a, b);
    await Promise.all([a.synced, b.synced]);
    const scenarioId = readBoard(a.doc).scenarios[0]!.id;
    const seen: number[] = [];
    b.doc.on('update', () => seen.push(readBoard(b.doc).scenarios[0]!.values.trainingOutput));
    for (let i = 1; i <= 60; i++) setAssumption(a.doc, scenarioId, 'trainingOutput', i * 1000);
    await waitFor(() => seen.includes(60_000), 'B to see the last edit');
    // Kill without warning, then start a new process on the same data.
    a.destroy();
    b.destroy();
    clients = [];
    await first.kill9();
    children = [];
    const second = await startChildServer({ DATA_DIR: dataDir });
    children.push(second);
    const c = connectClient(`ws://127.0.0.1:${second.port}/yjs`, id, tokens.editor);
    clients.push(c);
    await c.synced;
    await waitFor(
      () => readBoard(c.doc).scenarios[0]!.values.trainingOutput === 60_000,
      'state after kill -9',
    );
    expect(readBoard(c.doc).scenarios).toHaveLength(1);
  });
});
