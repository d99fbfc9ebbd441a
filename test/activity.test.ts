/**
 * One-click revert from the moderator's activity feed (issue 13 item 1, rule R13 in
 * server/README.md): a real editor's edit over a real socket, reverted through the API; the
 * revert is itself a logged change attributed to the moderator, and never overwrites a newer one.
 */
import { describe, expect, it } from 'vitest';
import { ROOT } from '../lib/board/layout';
import { readBoard } from '../lib/board/boardState';
import { readLog, type LogEntry } from '../lib/board/decisionLog';
import { setAssumption } from '../lib/board/scenarios';
import {
  connectClient,
  createBoard,
  issueCredential,
  startServer,
  tempDir,
  waitFor,
  type CreatedBoard,
  type TestServer,
} from './helpers';
import { closeAfterTest } from './teardown';
import { attacker as attackerOf, handMade } from './handMade';

async function setup() {
  const s = await startServer({ DATA_DIR: tempDir(), REFUSALS_BURST: '1000' });
  closeAfterTest(s, (s) => s.close());
  const board = await createBoard(s.http, { title: 'Activity' });
  const mod = await issueCredential(s.http, board.id, board.tokens.moderator, 'Maria');
  const ed = await issueCredential(s.http, board.id, board.tokens.editor, 'Bilal');
  const editor = closeAfterTest(connectClient(s.ws, board.id, ed.credential), (c) => c.destroy());
  await editor.synced;
  const scenarioId = readBoard(editor.doc).scenarios[0]!.id;
  return { s, board, mod, ed, editor, scenarioId };
}

function revert(s: TestServer, board: CreatedBoard, token: string, body: unknown) {
  return fetch(`${s.http}/api/boards/${board.id}/revert`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

const serverLog = async (s: TestServer, id: string) =>
  (await s.server.hub.withBoard(id, (b) => readLog(b.doc)))!;
const serverValue = async (s: TestServer, id: string, scenarioId: string) =>
  (await s.server.hub.withBoard(
    id,
    (b) => readBoard(b.doc).scenarios.find((x) => x.id === scenarioId)!.values.conversionRate,
  ))!;

describe('R13: one-click revert', () => {
  it('puts the value back as a logged change by the moderator; a second revert is refused', async () => {
    const { s, board, mod, ed, editor, scenarioId } = await setup();
    const before = await serverValue(s, board.id, scenarioId);
    setAssumption(editor.doc, scenarioId, 'conversionRate', 50);
    await waitFor(() => readLog(editor.doc).length === 1, 'the edit logged');
    const edit = readLog(editor.doc)[0]!;
    expect(edit.by.id).toBe(ed.participant.id);

    const res = await revert(s, board, mod.credential, { entryId: edit.id });
    expect(res.status).toBe(200);
    expect(await serverValue(s, board.id, scenarioId)).toBe(before);
    const log = await serverLog(s, board.id);
    const undo = log.find((e) => e.revertOf === edit.id) as LogEntry;
    expect(undo).toMatchObject({
      by: { id: mod.participant.id, name: 'Maria' },
      scenarioId,
      assumptionId: 'conversionRate',
      from: 50,
      to: before,
    });
    // The editor's copy follows.
    await waitFor(
      () => readBoard(editor.doc).scenarios[0]!.values.conversionRate === before,
      'the revert synced',
    );
    // Reverting it again would write over the revert: refused, nothing changes.
    const again = await revert(s, board, mod.credential, { entryId: edit.id });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: string }).error).toMatch(/changed again since/);
    expect(await serverLog(s, board.id)).toHaveLength(2);
  });

  it('never overwrites a newer change, and only a moderator with a name reverts', async () => {
    const { s, board, mod, ed, editor, scenarioId } = await setup();
    setAssumption(editor.doc, scenarioId, 'conversionRate', 20);
    await waitFor(() => readLog(editor.doc).length === 1, 'first edit');
    const first = readLog(editor.doc)[0]!;
    // Another person changes it again afterwards.
    const other = await issueCredential(s.http, board.id, board.tokens.editor, 'Ayesha');
    const second = connectClient(s.ws, board.id, other.credential);
    closeAfterTest(second, (c) => c.destroy());
    await second.synced;
    setAssumption(second.doc, scenarioId, 'conversionRate', 30);
    await waitFor(() => readLog(editor.doc).length === 2, 'second edit');
    const res = await revert(s, board, mod.credential, { entryId: first.id });
    expect(res.status).toBe(409);
    expect(await serverValue(s, board.id, scenarioId)).toBe(30);

    const latest = readLog(editor.doc)[1]!;
    expect((await revert(s, board, ed.credential, { entryId: latest.id })).status).toBe(403);
    expect((await revert(s, board, board.tokens.viewer, { entryId: latest.id })).status).toBe(403);
    expect((await revert(s, board, board.tokens.moderator, { entryId: latest.id })).status).toBe(
      403,
    );
    expect((await revert(s, board, mod.credential, { entryId: 'nope' })).status).toBe(404);
    expect((await revert(s, board, mod.credential, { id: latest.id })).status).toBe(400);
    expect(await serverValue(s, board.id, scenarioId)).toBe(30);
    expect((await revert(s, board, mod.credential, { entryId: latest.id })).status).toBe(200);
    expect(await serverValue(s, board.id, scenarioId)).toBe(20);
  });

  it('an editor cannot forge a revert in the log over the Yjs socket', async () => {
    const { s, board, editor, scenarioId } = await setup();
    setAssumption(editor.doc, scenarioId, 'conversionRate', 20);
    await waitFor(() => readLog(editor.doc).length === 1, 'edit');
    const entry = readLog(editor.doc)[0]!;
    const forged = await handMade(s, board.id, (doc) =>
      doc.getMap(ROOT.log).set('forged-1', {
        ...entry,
        id: 'forged-1',
        by: { name: 'Maria', color: '#2563eb' },
        revertOf: entry.id,
      }),
    );
    const attacker = await attackerOf(s, board, 'editor', (r) =>
      closeAfterTest(r, (r) => r.ws.close()),
    );
    expect((await attacker.send(forged))?.kind).toBe('forbidden');
    expect((await serverLog(s, board.id)).some((e) => e.revertOf)).toBe(false);
  });
});
