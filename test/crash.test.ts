/**
 * S6: killing the server process (kill -9) never loses an edit that another client has seen,
 * because an update is stored before it is relayed.
 */
import { describe, expect, it } from 'vitest';
import { readBoard } from '../lib/board/boardState';
import { setAssumption } from '../lib/board/scenarios';
import { connectClient, createBoard, tempDir, waitFor } from './helpers';
import { closeAfterTest } from './teardown';
import { startChildServer } from './childServer';

describe('crash safety', () => {
  it('S6: every edit another client saw survives kill -9', async () => {
    const dataDir = tempDir();
    const first = await startChildServer({ DATA_DIR: dataDir, COMPACT_AFTER_UPDATES: '25' });
    closeAfterTest(first, (c) => c.kill9());
    const base = `http://127.0.0.1:${first.port}`;
    const { id, tokens } = await createBoard(base);
    const a = connectClient(`ws://127.0.0.1:${first.port}/yjs`, id, tokens.editor);
    const b = connectClient(`ws://127.0.0.1:${first.port}/yjs`, id, tokens.editor);
    closeAfterTest(a, (c) => c.destroy());
    closeAfterTest(b, (c) => c.destroy());
    await Promise.all([a.synced, b.synced]);
    const scenarioId = readBoard(a.doc).scenarios[0]!.id;
    const seen: number[] = [];
    b.doc.on('update', () => seen.push(readBoard(b.doc).scenarios[0]!.values.trainingOutput));
    for (let i = 1; i <= 60; i++) setAssumption(a.doc, scenarioId, 'trainingOutput', i * 1000);
    await waitFor(() => seen.includes(60_000), 'B to see the last edit');
    // Kill without warning, then start a new process on the same data.
    a.destroy();
    b.destroy();
    await first.kill9();
    const second = await startChildServer({ DATA_DIR: dataDir });
    closeAfterTest(second, (c) => c.kill9());
    const c = connectClient(`ws://127.0.0.1:${second.port}/yjs`, id, tokens.editor);
    closeAfterTest(c, (c) => c.destroy());
    await c.synced;
    await waitFor(
      () => readBoard(c.doc).scenarios[0]!.values.trainingOutput === 60_000,
      'state after kill -9',
    );
    expect(readBoard(c.doc).scenarios).toHaveLength(1);
  });
});
