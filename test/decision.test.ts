/**
 * The decision on record (issue 13 item 4, rule R12 in server/README.md): recorded by a
 * moderator through the API, signed and dated by the server with the caller's server-issued
 * identity, stored in the board document, carried by every export, and out of reach of every
 * Yjs writer (moderators included: the record is the server's to write).
 */
import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { ROOT } from '../lib/board/layout';
import { readBoard } from '../lib/board/boardState';
import { saveClosedPoll } from '../lib/board/polls';
import { currentDecision, readDecisions, type DecisionRecord } from '../lib/board/decision';
import {
  connectClient,
  createBoard,
  issueCredential,
  startServer,
  tempDir,
  waitFor,
  type CreatedBoard,
  type TestClient,
  type TestServer,
} from './helpers';
import { closeAfterTest } from './teardown';
import { attacker as attackerOf, handMade, serverChange } from './handMade';

const POLL = {
  id: 'poll-1',
  kind: 'choice' as const,
  question: 'Which scenario should we take forward?',
  options: [
    { label: 'Baseline', votes: 2 },
    { label: 'Skills-first', votes: 7 },
  ],
  assumptionId: null,
  values: [],
  openedAt: 1,
  closedAt: 2,
  voters: 9,
};

async function setup(dataDir = tempDir()) {
  const s = await startServer({ DATA_DIR: dataDir, REFUSALS_BURST: '1000' });
  closeAfterTest(s, (s) => s.close());
  const board = await createBoard(s.http, { title: 'Decision board' });
  await serverChange(s, board.id, (doc) => saveClosedPoll(doc, POLL));
  const mod = await issueCredential(s.http, board.id, board.tokens.moderator, 'Maria');
  return { s, board, mod, dataDir };
}

function post(s: TestServer, board: CreatedBoard, token: string, body: unknown) {
  return fetch(`${s.http}/api/boards/${board.id}/decision`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function liveDecisions(s: TestServer, id: string): Promise<DecisionRecord[]> {
  return (await s.server.hub.withBoard(id, (b) => readDecisions(b.doc)))!;
}

describe('R12: the decision on record', () => {
  it('a moderator records it; the server signs, dates and snapshots it, and counts who is here', async () => {
    const { s, board, mod } = await setup();
    const baselineId = (await s.server.hub.withBoard(board.id, (b) => readBoard(b.doc)))!
      .scenarios[0]!.id;
    // Two people in the room: an editor and a viewer, with their own credentials.
    const ed = await issueCredential(s.http, board.id, board.tokens.editor, 'Ayesha');
    const vw = await issueCredential(s.http, board.id, board.tokens.viewer, 'Omar');
    const clients: TestClient[] = [];
    for (const token of [ed.credential, vw.credential, mod.credential]) {
      const c = closeAfterTest(connectClient(s.ws, board.id, token), (c) => c.destroy());
      clients.push(c);
      await c.synced;
    }
    const before = Date.now();
    const res = await post(s, board, mod.credential, {
      scenarioId: baselineId,
      reasons: '  Closest to the $5B policy target with the training we can fund.  ',
      pollIds: ['poll-1'],
      typedPolls: [{ question: 'Show of hands', result: '11 of 12 in favour' }],
    });
    expect(res.status).toBe(201);
    const { decision } = (await res.json()) as { decision: DecisionRecord };
    expect(decision.by).toEqual({ id: mod.participant.id, name: 'Maria', color: '#2563eb' });
    expect(decision.at).toBeGreaterThanOrEqual(before);
    expect(decision.at).toBeLessThanOrEqual(Date.now());
    expect(decision.scenarioName).toBe('Baseline');
    expect(decision.values.conversionRate).toBeTypeOf('number');
    expect(decision.reasons).toBe(
      'Closest to the $5B policy target with the training we can fund.',
    );
    expect(decision.polls).toEqual([
      {
        pollId: 'poll-1',
        question: POLL.question,
        result: 'Skills-first 7, Baseline 2 (9 answers)',
      },
      { pollId: null, question: 'Show of hands', result: '11 of 12 in favour' },
    ]);
    expect(decision.participation).toMatchObject({
      moderators: 1,
      editors: 1,
      viewers: 1,
      voters: 9,
    });
    // In the document, synced to every client.
    expect(await liveDecisions(s, board.id)).toEqual([decision]);
    await waitFor(() => clients.every((c) => currentDecision(c.doc)?.id === decision.id), 'sync');
  });

  it('only a moderator with a participant credential records one; bad requests lose nothing', async () => {
    const { s, board, mod } = await setup();
    const baselineId = (await s.server.hub.withBoard(board.id, (b) => readBoard(b.doc)))!
      .scenarios[0]!.id;
    const good = { scenarioId: baselineId, reasons: 'Because.' };
    const ed = await issueCredential(s.http, board.id, board.tokens.editor, 'Ayesha');
    expect((await post(s, board, ed.credential, good)).status).toBe(403);
    expect((await post(s, board, board.tokens.viewer, good)).status).toBe(403);
    expect((await post(s, board, 'forged', good)).status).toBe(401);
    // A bare moderator link has no identity to sign with.
    const bare = await post(s, board, board.tokens.moderator, good);
    expect(bare.status).toBe(403);
    expect(((await bare.json()) as { error: string }).error).toMatch(/display name/);
    const bad = [
      [{ ...good, reasons: '   ' }, 'reasons'],
      [{ ...good, scenarioId: 'nope00' }, 'scenarioId'],
      [{ ...good, pollIds: ['not-a-poll'] }, 'pollIds'],
      [{ ...good, by: { id: 'p-someone-else', name: 'CEO', color: '#000000' } }, ''],
      [{ ...good, reasons: 'x'.repeat(5000) }, 'reasons'],
    ] as const;
    for (const [body, field] of bad) {
      const res = await post(s, board, mod.credential, body);
      expect(res.status).toBe(400);
      const answer = (await res.json()) as { error: string; field?: string };
      expect(answer.error.length).toBeGreaterThan(0);
      if (field) expect(answer.field).toBe(field);
    }
    expect(await liveDecisions(s, board.id)).toEqual([]);
  });

  it('no Yjs writer can forge, change or remove a record: editors, viewers, and moderators too', async () => {
    const { s, board, mod } = await setup();
    const baselineId = (await s.server.hub.withBoard(board.id, (b) => readBoard(b.doc)))!
      .scenarios[0]!.id;
    const res = await post(s, board, mod.credential, {
      scenarioId: baselineId,
      reasons: 'Agreed.',
    });
    const { decision } = (await res.json()) as { decision: DecisionRecord };
    const forged: DecisionRecord = {
      ...decision,
      id: 'd-forged',
      reasons: 'We agreed on the opposite.',
      at: decision.at - 86_400_000,
    };
    // Each attempt made on the board as it is just before it is sent, as an attacker would:
    // a refused write is undone with new content, so an older copy would change nothing.
    const attempts: ((doc: Y.Doc) => void)[] = [
      (doc) => doc.getMap(ROOT.decisions).set(forged.id, forged),
      (doc) => doc.getMap(ROOT.decisions).set(decision.id, { ...decision, reasons: 'Rewritten.' }),
      (doc) => doc.getMap(ROOT.decisions).delete(decision.id),
    ];
    const viewer = await attackerOf(s, board, 'viewer', (r) =>
      closeAfterTest(r, (r) => r.ws.close()),
    );
    expect((await viewer.send(await handMade(s, board.id, attempts[0]!)))?.kind).toBe('viewOnly');
    for (const role of ['editor', 'moderator'] as const) {
      const writer = await attackerOf(s, board, role, (r) =>
        closeAfterTest(r, (r) => r.ws.close()),
      );
      for (const attempt of attempts) {
        const notice = await writer.send(await handMade(s, board.id, attempt));
        expect(notice?.kind).toBe('forbidden');
        expect(notice && 'message' in notice ? notice.message : '').toMatch(/server only/);
      }
    }
    expect(await liveDecisions(s, board.id)).toEqual([decision]);
    expect(await s.server.hub.withBoard(board.id, (b) => b.probeMatchesDocument())).toBe(true);
    // The server itself cannot rewrite or remove one either (the record is append-only).
    await expect(
      serverChange(s, board.id, (doc) => doc.getMap(ROOT.decisions).delete(decision.id)),
    ).rejects.toThrow(/written by the server only|cannot be removed/);
  });

  it('every export carries it, and it survives a restart', async () => {
    const { s, board, mod, dataDir } = await setup();
    const baselineId = (await s.server.hub.withBoard(board.id, (b) => readBoard(b.doc)))!
      .scenarios[0]!.id;
    const res = await post(s, board, mod.credential, {
      scenarioId: baselineId,
      reasons: 'Meets the $5B policy target.',
      pollIds: ['poll-1'],
    });
    const { decision } = (await res.json()) as { decision: DecisionRecord };
    const auth = { authorization: `Bearer ${board.tokens.viewer}` };
    const json = (await (
      await fetch(`${s.http}/api/boards/${board.id}/export.json`, { headers: auth })
    ).json()) as { decision: DecisionRecord };
    expect(json.decision).toEqual(decision);
    const csv = await (
      await fetch(`${s.http}/api/boards/${board.id}/export.csv`, { headers: auth })
    ).text();
    expect(csv.split('\r\n')[0]).toContain('"Decision on record"');
    expect(csv).toContain('by Maria: Meets the $5B policy target.');
    await s.close();
    const again = closeAfterTest(await startServer({ DATA_DIR: dataDir }), (s) => s.close());
    const doc = (await again.server.hub.withBoard(board.id, (b) => b.doc)) as Y.Doc;
    expect(currentDecision(doc)).toEqual(decision);
  });
});
