/**
 * Versions, decision log, comments, export and import against a real server (rules H1-H6 in
 * server/README.md).
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addComment, readThreads, setThreadResolved } from '../lib/board/comments';
import { addScenario, setAssumption } from '../lib/board/scenarios';
import { boardContent } from '../lib/board/restore';
import { docFromState } from '../lib/board/layout';
import { readBoard } from '../lib/board/boardState';
import { readLog } from '../lib/board/decisionLog';
import { project } from '../lib/model';
import {
  connectClient,
  createBoard,
  issueCredential,
  startServer,
  waitFor,
  type CreatedBoard,
  type TestServer,
} from './helpers';
import { closeAfterTest } from './teardown';

async function setup() {
  const s = closeAfterTest(await startServer(), (s) => s.close());
  const board = await createBoard(s.http, { title: 'History' });
  const api = (path: string, init: RequestInit = {}, token = board.token) =>
    fetch(`${s.http}/api/boards/${board.id}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        ...(init.headers ?? {}),
      },
    });
  return { s, board, api };
}
function client(s: TestServer, board: CreatedBoard, token = board.tokens.editor) {
  return closeAfterTest(connectClient(s.ws, board.id, token), (c) => c.destroy());
}
const scenario0 = (doc: Y.Doc) => readBoard(doc).scenarios[0]!;
const serverContent = (s: TestServer, id: string) =>
  s.server.hub.withBoard(id, (b) => boardContent(b.doc));

describe('versions', () => {
  it('H1: a saved version keeps the state byte for byte; rollback restores it and can itself be undone', async () => {
    const { s, board, api } = await setup();
    const a = client(s, board);
    await a.synced;
    setAssumption(a.doc, scenario0(a.doc).id, 'conversionRate', 4);
    let atSave: Uint8Array | null = null;
    while (
      atSave === null ||
      !scenario0(docFromState(atSave)).values.conversionRate.toString().startsWith('4')
    ) {
      atSave = await s.server.hub.withBoard(board.id, (b) => Y.encodeStateAsUpdate(b.doc));
      await new Promise((r) => setTimeout(r, 10));
    }
    const saved = await api('/versions', {
      method: 'POST',
      body: JSON.stringify({ name: 'After debate' }),
    });
    expect(saved.status).toBe(201);
    const version = (await saved.json()) as { id: string; name: string };
    const bytes = new Uint8Array(
      await (await api(`/versions/${version.id}?format=yjs`)).arrayBuffer(),
    );
    expect(bytes).toEqual(atSave);

    // Change things: a value, a new scenario.
    setAssumption(a.doc, scenario0(a.doc).id, 'conversionRate', 9);
    addScenario(a.doc, { name: 'Bold', fromId: scenario0(a.doc).id });
    await waitFor(() => readBoard(a.doc).scenarios.length === 2, 'local');
    let before: unknown = null;
    while (JSON.stringify(before) !== JSON.stringify(boardContent(a.doc))) {
      before = await serverContent(s, board.id);
      await new Promise((r) => setTimeout(r, 10));
    }

    const rolled = await api(`/versions/${version.id}/restore`, {
      method: 'POST',
      body: JSON.stringify({ mode: 'rollback' }),
    });
    expect(rolled.status).toBe(200);
    const { undoVersionId } = (await rolled.json()) as { undoVersionId: string };
    const versionContent = boardContent(docFromState(bytes));
    expect(await serverContent(s, board.id)).toEqual(versionContent);
    await waitFor(
      () => JSON.stringify(boardContent(a.doc)) === JSON.stringify(versionContent),
      'client follows the rollback',
    );

    // Undo the rollback by restoring the automatic "before" version.
    const undone = await api(`/versions/${undoVersionId}/restore`, {
      method: 'POST',
      body: JSON.stringify({ mode: 'rollback' }),
    });
    expect(undone.status).toBe(200);
    expect(await serverContent(s, board.id)).toEqual(before);
    const list = (await (await api('/versions', {}, board.tokens.viewer)).json()) as {
      versions: { name: string }[];
    };
    expect(list.versions.map((v) => v.name)).toEqual([
      expect.stringContaining('Before restoring') as unknown,
      expect.stringContaining('Before restoring') as unknown,
      'After debate',
    ]);
  });

  it('H2: a version restores as a new scenario; only moderators save or restore', async () => {
    const { s, board, api } = await setup();
    const saved = (await (
      await api('/versions', { method: 'POST', body: JSON.stringify({ name: 'Start' }) })
    ).json()) as { id: string };
    expect(
      (
        await api(
          '/versions',
          { method: 'POST', body: JSON.stringify({ name: 'x' }) },
          board.tokens.editor,
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await api(
          `/versions/${saved.id}/restore`,
          { method: 'POST', body: '{"mode":"rollback"}' },
          board.tokens.editor,
        )
      ).status,
    ).toBe(403);
    expect(
      (await api('/versions', { method: 'POST', body: JSON.stringify({ name: '' }) })).status,
    ).toBe(400);
    const res = await api(`/versions/${saved.id}/restore`, {
      method: 'POST',
      body: JSON.stringify({ mode: 'scenario' }),
    });
    expect(res.status).toBe(201);
    const board2 = await s.server.hub.withBoard(board.id, (b) => readBoard(b.doc));
    expect(board2!.scenarios.map((x) => x.name)).toEqual(['Baseline', 'Baseline (Start)']);
    expect((await api('/versions/nope1234')).status).toBe(404);
  });
  it('H2b: a moderator renames and archives a version; it is kept, restorable, and never deleted', async () => {
    const { s, board, api } = await setup();
    const save = async (name: string) =>
      (await (
        await api('/versions', { method: 'POST', body: JSON.stringify({ name }) })
      ).json()) as { id: string };
    const first = await save('After session 1');
    const second = await save('Later');
    const { credential } = await issueCredential(s.http, board.id, board.token, 'Maria Lopez');
    const patch = (vid: string, body: unknown, token = credential) =>
      api(`/versions/${vid}`, { method: 'PATCH', body: JSON.stringify(body) }, token);

    const renamed = await patch(first.id, { name: '  Agreed: Skills-first  ' });
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toMatchObject({
      id: first.id,
      name: 'Agreed: Skills-first',
      archivedAt: null,
      events: [
        { kind: 'renamed', by: 'Maria Lopez', from: 'After session 1', to: 'Agreed: Skills-first' },
      ],
    });
    const archived = (await (await patch(second.id, { archived: true })).json()) as {
      archivedAt: number | null;
    };
    expect(archived.archivedAt).toEqual(expect.any(Number));
    // Listed for everyone with its flag (the UI shows it under "Archived"); still opens.
    const list = async () =>
      (
        (await (await api('/versions', {}, board.tokens.viewer)).json()) as {
          versions: { id: string; name: string; archivedAt: number | null }[];
        }
      ).versions;
    expect((await list()).map((v) => [v.name, v.archivedAt !== null])).toEqual([
      ['Later', true],
      ['Agreed: Skills-first', false],
    ]);
    expect((await api(`/versions/${second.id}`, {}, board.tokens.viewer)).status).toBe(200);
    // Restored to the list.
    const restored = (await (await patch(second.id, { archived: false })).json()) as {
      archivedAt: number | null;
      events: { kind: string }[];
    };
    expect(restored.archivedAt).toBeNull();
    expect(restored.events.map((e) => e.kind)).toEqual(['archived', 'unarchived']);

    // Editors and viewers are refused; nothing changes.
    for (const token of [board.tokens.editor, board.tokens.viewer]) {
      expect((await patch(first.id, { name: 'Hijacked' }, token)).status).toBe(403);
      expect((await patch(first.id, { archived: true }, token)).status).toBe(403);
    }
    const editorCredential = await issueCredential(s.http, board.id, board.tokens.editor, 'Edi');
    expect((await patch(first.id, { archived: true }, editorCredential.credential)).status).toBe(
      403,
    );
    expect((await patch(first.id, { name: 'x' }, 'forged.token.here')).status).toBe(401);
    // Bad names and bodies are refused with a reason.
    for (const body of [
      { name: '' },
      { name: '   ' },
      { name: 'x'.repeat(81) },
      { name: 42 },
      {},
      { archived: 'yes' },
      { name: 'ok', deleted: true },
      null,
    ]) {
      const res = await patch(first.id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: string }).error.length).toBeGreaterThan(0);
    }
    expect((await patch(first.id, { name: 'y'.repeat(80) })).status).toBe(200);
    expect((await patch('nope12345', { name: 'Ghost' })).status).toBe(404);
    expect((await patch('nope12345', { archived: true })).status).toBe(404);
    // Both versions are still there, with the last good name.
    expect((await list()).map((v) => v.name)).toEqual(['Later', 'y'.repeat(80)]);
    // Nothing was deleted.
    const stored = await s.server.hub.storage.listVersions(board.id);
    expect(stored).toHaveLength(2);
  });
});

describe('decision log and comments', () => {
  it('H3: the server logs who changed what from what to what; a drag is one entry; clients cannot write the log', async () => {
    const { s, board, api } = await setup();
    const a = client(s, board);
    await a.synced;
    const me = await participantOf(s, board.id, 0);
    const id = scenario0(a.doc).id;
    // A drag: many writes, one decision.
    for (const v of [2, 2.5, 3, 3.5]) setAssumption(a.doc, id, 'conversionRate', v);
    setAssumption(a.doc, id, 'trainingOutput', 100_000);
    await waitFor(() => readLog(a.doc).length === 2, 'the server’s log entries reach the client');
    const entries = (
      (await (await api('/log', {}, board.tokens.viewer)).json()) as { entries: unknown[] }
    ).entries;
    expect(entries).toMatchObject([
      { by: me, assumptionId: 'conversionRate', from: 1.3, to: 3.5 },
      { by: me, assumptionId: 'trainingOutput', from: 40_000, to: 100_000 },
    ]);
    // A forged entry (someone else's name) and a deletion of a real one are both refused.
    a.doc.getMap('log').set('forged-1', {
      ...(entries[0] as object),
      id: 'forged-1',
      by: { id: 'pzzzzzzzzzzzzzzz', name: 'Moderator', color: '#000000' },
    });
    await waitFor(() => a.notices.length === 1, 'refusal notice');
    a.doc.getMap('log').delete((entries[0] as { id: string }).id);
    await waitFor(() => a.notices.length === 2, 'second refusal notice');
    expect(a.notices.map((n) => n.kind)).toEqual(['forbidden', 'forbidden']);
    await waitFor(
      () => readLog(a.doc).length === 2 && !a.doc.getMap('log').has('forged-1'),
      'undone',
    );
    const after = await s.server.hub.withBoard(board.id, (b) => readLog(b.doc));
    expect(after).toEqual(entries);
  });

  it('H4: comment threads sync live, resolve and reopen; bad, forged and viewers’ comments are refused', async () => {
    const { s, board } = await setup();
    const a = client(s, board);
    await a.synced;
    const b = client(s, board);
    await b.synced;
    const viewer = client(s, board, board.tokens.viewer);
    await viewer.synced;
    const [pa, pb] = [await participantOf(s, board.id, 0), await participantOf(s, board.id, 1)];
    const threadId = addComment(a.doc, {
      target: { kind: 'assumption', id: 'conversionRate' },
      by: pa,
      text: 'Is 5% realistic?',
    })!;
    await waitFor(() => readThreads(b.doc).length === 1, 'B sees the thread');
    addComment(b.doc, {
      target: { kind: 'assumption', id: 'conversionRate' },
      parentId: threadId,
      by: pb,
      text: 'Only with training.',
    });
    await waitFor(() => readThreads(a.doc)[0]?.replies.length === 1, 'A sees the reply');
    setThreadResolved(a.doc, threadId, true);
    await waitFor(() => readThreads(b.doc)[0]?.root.resolved === true, 'resolved');
    setThreadResolved(b.doc, threadId, false);
    await waitFor(() => readThreads(a.doc)[0]?.root.resolved === false, 'reopened');
    // Over-long, signed as someone else, someone else's edited or deleted: all refused.
    a.doc.getMap('comments').set('x', {
      id: 'x',
      target: { kind: 'assumption', id: 'conversionRate' },
      parentId: null,
      by: pa,
      at: 1,
      text: 'y'.repeat(5000),
      resolved: false,
    });
    addComment(b.doc, { target: { kind: 'assumption', id: 'horizon' }, by: pa, text: 'I am A' });
    b.doc.getMap('comments').set(threadId, {
      ...(a.doc.getMap('comments').get(threadId) as object),
      text: 'B rewrote this',
    });
    addComment(viewer.doc, {
      target: { kind: 'scenario', id: scenario0(viewer.doc).id },
      by: pa,
      text: 'hi',
    });
    await waitFor(
      () => a.notices.length === 1 && b.notices.length === 2 && viewer.notices.length === 1,
      'refusals',
    );
    await waitFor(
      () =>
        !a.doc.getMap('comments').has('x') &&
        readThreads(b.doc).length === 1 &&
        readThreads(b.doc)[0]!.root.text === 'Is 5% realistic?',
      'refusals undone',
    );
    b.doc.getMap('comments').delete(threadId);
    await waitFor(() => b.notices.length === 3, 'deletion refused');
    expect(a.notices[0]!.kind).toBe('invalid');
    expect(b.notices.map((n) => n.kind)).toEqual(['forbidden', 'forbidden', 'forbidden']);
    await waitFor(() => readThreads(b.doc).length === 1, 'deletion undone');
    const onServer = await s.server.hub.withBoard(board.id, (x) => readThreads(x.doc));
    expect(onServer).toHaveLength(1);
    expect(onServer![0]!.root.text).toBe('Is 5% realistic?');
    expect(onServer![0]!.replies).toHaveLength(1);
    // The author may edit and delete their own.
    a.doc.getMap('comments').set(threadId, {
      ...(a.doc.getMap('comments').get(threadId) as object),
      text: 'Is 5% realistic by 2028?',
    });
    await waitFor(() => readThreads(b.doc)[0]?.root.text === 'Is 5% realistic by 2028?', 'edited');
  });
});

/** The server-known identity of the `index`-th connection to a board (in joining order). */
async function participantOf(s: TestServer, boardId: string, index: number) {
  const list = await s.server.hub.withBoard(boardId, (b) => [...b.peers].map((p) => p.participant));
  const participant = list?.[index];
  if (!participant) throw new Error(`no connection ${index}`);
  return participant;
}

describe('export and import', () => {
  it('H5: CSV and JSON exports carry every scenario, year and segment', async () => {
    const { board, api } = await setup();
    const csv = await api('/export.csv', {}, board.tokens.viewer);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toMatch(
      /attachment; filename="history-projection.csv"/,
    );
    const lines = (await csv.text()).trim().split('\r\n');
    const years = project(
      ((await (await api('/projection')).json()) as { scenarios: { assumptions: never }[] })
        .scenarios[0]!.assumptions,
    ).years;
    expect(lines[0]).toMatch(
      /^"Scenario","Year","Total exports \(USD\)","Existing firms \(USD\)","New services \(USD\)","New products \(USD\)","Freelancers \(USD\)","Without the programme \(USD\)","Targets",.*"Freelancer conversion rate \(%\)".*"Model","Decision on record","Scenario id"$/,
    );
    expect(lines).toHaveLength(1 + years.length);
    expect(lines[1]).toMatch(/^"Baseline",2023,2600000000,/);
    const json = (await (await api('/export.json')).json()) as {
      format: string;
      scenarios: { name: string; years: unknown[]; assumptions: Record<string, number> }[];
    };
    expect(json.format).toBe('scenario-board/v1');
    expect(json.scenarios[0]!.years).toHaveLength(years.length);
    expect((await fetch(`${(await api('/export.csv')).url}`)).status).toBe(401);
  });

  it('H6: JSON import round-trips an export and refuses malformed or out-of-range files clearly', async () => {
    const { s, board, api } = await setup();
    const exported = (await (await api('/export.json')).json()) as {
      scenarios: { assumptions: Record<string, number> }[];
    };
    exported.scenarios[0]!.assumptions.conversionRate = 7;
    const ok = await api(
      '/scenarios',
      { method: 'POST', body: JSON.stringify(exported) },
      board.tokens.editor,
    );
    expect(ok.status).toBe(201);
    const after = await s.server.hub.withBoard(board.id, (b) => readBoard(b.doc));
    expect(after!.scenarios).toHaveLength(2);
    expect(after!.scenarios[1]!.values.conversionRate).toBe(7);

    const refuse = async (body: string, pattern: RegExp) => {
      const res = await api('/scenarios', { method: 'POST', body }, board.tokens.editor);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(pattern);
    };
    await refuse('{"scenarios": [', /not valid JSON/);
    await refuse(JSON.stringify({ hello: 'world' }), /not a Scenario Board export/);
    await refuse(
      JSON.stringify({ name: 'X', assumptions: { conversionRate: 80 } }),
      /assumptions\.conversionRate/,
    );
    await refuse(JSON.stringify({ name: 'X', assumptions: { madeUp: 1 } }), /madeUp/);
    await refuse(
      JSON.stringify({
        scenarios: [
          { name: 'ok', assumptions: {} },
          { name: '', assumptions: {} },
        ],
      }),
      /scenarios\[1\]\.name/,
    );
    await refuse(
      JSON.stringify({ model: { id: 'other-model' }, scenarios: [{ name: 'x', assumptions: {} }] }),
      /other-model/,
    );
    const unchanged = await s.server.hub.withBoard(
      board.id,
      (b) => readBoard(b.doc).scenarios.length,
    );
    expect(unchanged).toBe(2);
    expect(
      (
        await api(
          '/scenarios',
          { method: 'POST', body: JSON.stringify({ name: 'v', assumptions: {} }) },
          board.tokens.viewer,
        )
      ).status,
    ).toBe(403);
  });
});
