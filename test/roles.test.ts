/**
 * Roles and links, enforced on the server (rules R1-R6 in server/README.md):
 *   R1 missing/forged/rotated tokens: 401 / close 4401; R2 wrong board or role: 403 / close 4403;
 *   R3 a viewer's updates are refused and the board is unchanged; R4 an editor cannot change a
 *   locked assumption, even from a raw client; R5 moderator-only socket.io events are refused for
 *   others; R6 rotated links stop working, and their holders are told.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { AckResult } from '../lib/protocol';
import { addScenario, setAssumption } from '../lib/board/scenarios';
import { readBoard } from '../lib/board/boardState';
import { readClosedPolls } from '../lib/board/polls';
import { readLocks, setLock } from '../lib/board/locks';
import { setFrozen } from '../lib/board/meta';
import { CloseCode, SocketEvent, readCloseReason } from '../lib/protocol';
import {
  connectClient,
  connectSession,
  createBoard,
  issueCredential,
  rawSocket,
  sessionReady,
  startServer,
  waitFor,
  type SessionSocket,
  type TestServer,
} from './helpers';
import { closeAfterTest } from './teardown';

async function setup() {
  const s = closeAfterTest(await startServer(), (s) => s.close());
  const board = await createBoard(s.http, { title: 'Roles' });
  return { s, board };
}
function client(s: TestServer, id: string, token: string) {
  return closeAfterTest(connectClient(s.ws, id, token), (c) => c.destroy());
}
/** A live-session socket with a participant credential issued from `token`, once served. */
async function session(
  s: TestServer,
  boardId: string,
  token: string,
  name = 'Sam',
): Promise<SessionSocket> {
  const { credential } = await issueCredential(s.http, boardId, token, name);
  const socket = connectSession(s.http, boardId, credential);
  closeAfterTest(socket, (s) => s.disconnect());
  await sessionReady(socket);
  return socket;
}
const conversion = (doc: Y.Doc) => readBoard(doc).scenarios[0]!.values.conversionRate;

describe('links and tokens', () => {
  it('R1/R2: the API answers 401 for missing or forged tokens and 403 for the wrong role or board', async () => {
    const { s, board } = await setup();
    const other = await createBoard(s.http, { title: 'Other' });
    const get = (path: string, token?: string) =>
      fetch(`${s.http}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    expect((await get(`/api/boards/${board.id}`)).status).toBe(401);
    const forged = board.tokens.moderator.slice(0, -4) + 'AAAA';
    expect((await get(`/api/boards/${board.id}`, forged)).status).toBe(401);
    expect((await get(`/api/boards/${board.id}`, 'not-a-jwt')).status).toBe(401);
    expect((await get(`/api/boards/${board.id}`, other.tokens.moderator)).status).toBe(403);
    expect((await get(`/api/boards/${board.id}/links`, board.tokens.editor)).status).toBe(403);
    const viewerMeta = await get(`/api/boards/${board.id}`, board.tokens.viewer);
    expect(viewerMeta.status).toBe(200);
    expect(((await viewerMeta.json()) as { role: string }).role).toBe('viewer');
    const links = (await (await get(`/api/boards/${board.id}/links`, board.token)).json()) as {
      links: Record<string, string>;
    };
    expect(links.links.editor).toContain(`/b/${board.id}#t=`);
  });

  it('R1/R2: the Yjs endpoint closes with 4401 for bad tokens and 4403 for another board’s token', async () => {
    const { s, board } = await setup();
    const other = await createBoard(s.http, { title: 'Other' });
    // The reason names the refusal's code first, for the page to word in its reader's language.
    const closedWith = async (token: string) => {
      const { code, reason } = await (await rawSocket(s.ws, board.id, token)).closed;
      return [code, readCloseReason(reason).code];
    };
    expect(await closedWith('')).toEqual([CloseCode.unauthorized, 'credentialMissing']);
    expect(await closedWith('garbage')).toEqual([CloseCode.unauthorized, 'credentialInvalid']);
    expect(await closedWith(other.tokens.editor)).toEqual([CloseCode.forbidden, 'otherBoard']);
    const { reason } = await (await rawSocket(s.ws, board.id, other.tokens.editor)).closed;
    expect(reason).toBe('otherBoard: this link is for another board');
  });

  it('a join code leads to an editor token; wrong codes get a clear error', async () => {
    const { s, board } = await setup();
    const join = (code: string) =>
      fetch(`${s.http}/api/join`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code }),
      });
    expect(board.joinCode).toMatch(/^[ACDEFGHJKMNPQRTUVWXY34679]{6}$/);
    const ok = await join(board.joinCode.toLowerCase().slice(0, 3) + ' ' + board.joinCode.slice(3));
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { boardId: string; role: string; token: string };
    expect(body).toMatchObject({ boardId: board.id, role: 'editor' });
    expect(
      (
        await fetch(`${s.http}/api/boards/${board.id}`, {
          headers: { authorization: `Bearer ${body.token}` },
        })
      ).status,
    ).toBe(200);
    expect((await join('QQQQQQ')).status).toBe(404);
    const bad = await join('12');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/6 letters/);
  });

  it('R6: rotated links stop working, and connected holders are closed with 4401 and told', async () => {
    const { s, board } = await setup();
    const editor = client(s, board.id, board.tokens.editor);
    await editor.synced;
    const closes: number[] = [];
    editor.provider.on('connection-close', (event: CloseEvent | null) => {
      if (event) closes.push(event.code);
    });
    const { credential: oldCredential } = await issueCredential(
      s.http,
      board.id,
      board.tokens.moderator,
    );
    const oldSession = await session(s, board.id, board.tokens.editor);
    const revoked = new Promise<string>((resolve) => oldSession.on(SocketEvent.revoked, resolve));
    const rotated = await fetch(`${s.http}/api/boards/${board.id}/rotate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${board.token}` },
    });
    expect(rotated.status).toBe(200);
    const fresh = (await rotated.json()) as {
      tokens: { editor: string; moderator: string };
      joinCode: string;
    };
    expect(fresh.joinCode).not.toBe(board.joinCode);
    expect(await revoked).toMatch(/replaced/);
    await waitFor(
      () => closes.includes(CloseCode.unauthorized),
      'old Yjs connection closed with 4401',
    );
    const oldApi = await fetch(`${s.http}/api/boards/${board.id}`, {
      headers: { authorization: `Bearer ${board.tokens.viewer}` },
    });
    expect(oldApi.status).toBe(401);
    expect(((await oldApi.json()) as { error: string }).error).toMatch(/replaced/);
    expect((await (await rawSocket(s.ws, board.id, board.tokens.editor)).closed).code).toBe(
      CloseCode.unauthorized,
    );
    const newOne = client(s, board.id, fresh.tokens.editor);
    await newOne.synced;
    // A credential issued under the old links is refused like an old link, everywhere.
    const lateOld = connectSession(s.http, board.id, oldCredential);
    closeAfterTest(lateOld, (s) => s.disconnect());
    await expect(sessionReady(lateOld)).rejects.toThrow(/replaced/);
    expect((await (await rawSocket(s.ws, board.id, oldCredential)).closed).code).toBe(
      CloseCode.unauthorized,
    );
  });
});

describe('roles on the document', () => {
  it('R3: a viewer’s update is refused and told why; nothing of it reaches the board', async () => {
    const { s, board } = await setup();
    const editor = client(s, board.id, board.tokens.editor);
    const viewer = client(s, board.id, board.tokens.viewer);
    await Promise.all([editor.synced, viewer.synced]);
    const before = conversion(editor.doc);
    setAssumption(viewer.doc, readBoard(viewer.doc).scenarios[0]!.id, 'conversionRate', 9);
    await waitFor(() => viewer.notices.length === 1, 'the viewer is told');
    expect(viewer.notices[0]).toMatchObject({ type: 'refused', kind: 'viewOnly' });
    expect(viewer.notices[0]!.message).toMatch(/view-only/);
    const onServer = await s.server.hub.withBoard(board.id, (b) => ({
      value: conversion(b.doc),
      // Not even a tombstone: no struct of the viewer's reached the board.
      viewerStructs: b.doc.store.clients.has(viewer.doc.clientID),
    }));
    expect(onServer).toEqual({ value: before, viewerStructs: false });
    // The editor's edits still flow, and the viewer's refused change never reaches the editor.
    setAssumption(editor.doc, readBoard(editor.doc).scenarios[0]!.id, 'conversionRate', 3);
    await waitFor(
      () => (s.server.hub.isLoaded(board.id) ? conversion(editor.doc) === 3 : false),
      'editor edit',
    );
    expect(editor.doc.store.clients.has(viewer.doc.clientID)).toBe(false);
  });

  it('R4: an editor cannot change a locked assumption, even from a raw client; other fields still work', async () => {
    const { s, board } = await setup();
    const moderator = client(s, board.id, board.tokens.moderator);
    const editor = client(s, board.id, board.tokens.editor);
    await Promise.all([moderator.synced, editor.synced]);
    setLock(moderator.doc, 'conversionRate', { by: 'Moderator', at: Date.now() });
    await waitFor(() => readLocks(editor.doc).conversionRate !== undefined, 'editor sees the lock');
    const scenarioId = readBoard(editor.doc).scenarios[0]!.id;
    // A raw write, as a hand-made client would do it.
    const values = editor.doc
      .getMap<Y.Map<unknown>>('scenarios')
      .get(scenarioId)!
      .get('values') as Y.Map<number>;
    values.set('conversionRate', 20);
    await waitFor(
      () => values.get('conversionRate') === 1.3,
      'editor brought back to the true value',
    );
    expect(await s.server.hub.withBoard(board.id, (b) => conversion(b.doc))).toBe(1.3);
    expect(conversion(moderator.doc)).toBe(1.3);
    setAssumption(editor.doc, scenarioId, 'trainingOutput', 90000);
    await waitFor(
      () => readBoard(moderator.doc).scenarios[0]!.values.trainingOutput === 90000,
      'unlocked edit goes through',
    );
    // An editor cannot remove the lock either.
    setLock(editor.doc, 'conversionRate', null);
    await waitFor(
      () => readLocks(editor.doc).conversionRate !== undefined,
      'lock restored on the editor',
    );
    // The moderator can still change the locked value.
    setAssumption(moderator.doc, scenarioId, 'conversionRate', 6);
    await waitFor(() => conversion(editor.doc) === 6, 'moderator edits a locked field');
  });
});

describe('locks and hidden content hold against hand-made updates', () => {
  it('R4: replacing the whole values map or the whole scenario cannot change a locked value', async () => {
    const { s, board } = await setup();
    const moderator = client(s, board.id, board.tokens.moderator);
    const editor = client(s, board.id, board.tokens.editor);
    await Promise.all([moderator.synced, editor.synced]);
    setLock(moderator.doc, 'conversionRate', { by: 'Moderator', at: Date.now() });
    await waitFor(() => readLocks(editor.doc).conversionRate !== undefined, 'editor sees the lock');
    const scenarioId = readBoard(editor.doc).scenarios[0]!.id;
    const scenario = editor.doc.getMap<Y.Map<unknown>>('scenarios').get(scenarioId)!;
    const replacement = new Y.Map<number>();
    for (const [k, v] of (scenario.get('values') as Y.Map<number>).entries()) replacement.set(k, v);
    replacement.set('conversionRate', 2);
    scenario.set('values', replacement);
    await waitFor(
      () => conversion(editor.doc) === 1.3,
      'values-map replacement undone on the editor',
    );
    // A new scenario may copy a locked value but not invent one.
    const fresh = new Y.Map<unknown>();
    const freshValues = new Y.Map<number>();
    for (const [k, v] of (scenario.get('values') as Y.Map<number>).entries()) freshValues.set(k, v);
    freshValues.set('conversionRate', 7);
    for (const [k, v] of [
      ['name', 'Sneaky'],
      ['color', '#123456'],
      ['notes', ''],
      ['createdAt', 1],
    ] as const)
      fresh.set(k, v);
    fresh.set('values', freshValues);
    editor.doc.getMap('scenarios').set('sneaky1', fresh);
    await waitFor(
      () => !editor.doc.getMap('scenarios').has('sneaky1'),
      'new scenario with a new locked value undone',
    );
    const onServer = await s.server.hub.withBoard(board.id, (b) => readBoard(b.doc));
    expect(onServer!.scenarios.map((x) => x.values.conversionRate)).toEqual([1.3]);
    // Duplicating (the locked value as it is) is still allowed.
    addScenario(editor.doc, { name: 'Copy', fromId: scenarioId });
    await waitFor(() => readBoard(moderator.doc).scenarios.length === 2, 'duplicate accepted');
  });

  it('S5: list items hidden in a map or keys hidden on the order array are refused, even from a viewer', async () => {
    const { s, board } = await setup();
    const viewer = client(s, board.id, board.tokens.viewer);
    const editor = client(s, board.id, board.tokens.editor);
    await Promise.all([viewer.synced, editor.synced]);
    const before = await s.server.hub.withBoard(
      board.id,
      (b) => Y.encodeStateAsUpdate(b.doc).length,
    );
    // These docs never read the board, so their roots are untyped and can be misused freely.
    viewer.doc.getArray('locks').push(['x'.repeat(200_000)]);
    editor.doc.getArray('bands').push(['y'.repeat(200_000)]);
    editor.doc.getMap<string>('scenarioOrder').set('hidden', 'z'.repeat(200_000));
    let refused = 0;
    while (refused < 3) {
      refused = (await s.server.hub.withBoard(board.id, (b) => b.counters.refused)) ?? 0;
      await new Promise((r) => setTimeout(r, 10));
    }
    const after = await s.server.hub.withBoard(
      board.id,
      (b) => Y.encodeStateAsUpdate(b.doc).length,
    );
    expect(after! - before!).toBeLessThan(1000);
  });

  it('imports follow the editor rules: none into a frozen board, no new value for a locked assumption', async () => {
    const { s, board } = await setup();
    const moderator = client(s, board.id, board.tokens.moderator);
    await moderator.synced;
    const post = (body: unknown, token: string) =>
      fetch(`${s.http}/api/boards/${board.id}/scenarios`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    setLock(moderator.doc, 'conversionRate', { by: 'Mo', at: 1 });
    let locked = 0;
    while (locked === 0) {
      locked =
        (await s.server.hub.withBoard(board.id, (b) => Object.keys(readLocks(b.doc)).length)) ?? 0;
      await new Promise((r) => setTimeout(r, 10));
    }
    const lockedRes = await post(
      { name: 'X', assumptions: { conversionRate: 9 } },
      board.tokens.editor,
    );
    expect(lockedRes.status).toBe(403);
    expect(((await lockedRes.json()) as { error: string }).error).toMatch(/locked/);
    expect(
      (await post({ name: 'Y', assumptions: { trainingOutput: 90000 } }, board.tokens.editor))
        .status,
    ).toBe(201);
    expect(
      (await post({ name: 'Z', assumptions: { conversionRate: 9 } }, board.token)).status,
    ).toBe(201);
    setFrozen(moderator.doc, true);
    let frozen = false;
    while (!frozen) {
      frozen =
        (await s.server.hub.withBoard(board.id, (b) => readBoard(b.doc).meta.frozen)) === true;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect((await post({ name: 'W', assumptions: {} }, board.tokens.editor)).status).toBe(403);
    const names = await s.server.hub.withBoard(board.id, (b) =>
      readBoard(b.doc).scenarios.map((x) => x.name),
    );
    expect(names).toEqual(['Baseline', 'Y', 'Z']);
  });
});

describe('live session (socket.io)', () => {
  it('R5: moderator-only events from an editor are refused; the moderator’s work', async () => {
    const { s, board } = await setup();
    const [editor, moderator] = await Promise.all([
      session(s, board.id, board.tokens.editor, 'Edi'),
      session(s, board.id, board.token, 'Mo'),
    ]);
    const refused = (await editor.emitWithAck(SocketEvent.timerStart, {
      durationMs: 60_000,
    })) as AckResult;
    expect(refused).toEqual({
      ok: false,
      code: 'moderatorOnly',
      error: 'only the moderator can do that',
    });
    const pollRefused = (await editor.emitWithAck(SocketEvent.pollOpen, {
      kind: 'choice',
      question: 'Q?',
      options: ['a', 'b'],
    })) as AckResult;
    expect(pollRefused.ok).toBe(false);
    const timerSeen = new Promise<{ running: boolean; endsAt: number | null }>((resolve) =>
      editor.once(SocketEvent.timerState, resolve),
    );
    expect(await moderator.emitWithAck(SocketEvent.timerStart, { durationMs: 60_000 })).toEqual({
      ok: true,
    });
    const timer = await timerSeen;
    expect(timer.running).toBe(true);
    expect(timer.endsAt! - Date.now()).toBeGreaterThan(55_000);
  });

  it('a poll collects votes live and its closed result is saved on the board', async () => {
    const { s, board } = await setup();
    const [moderator, editor] = await Promise.all([
      session(s, board.id, board.token, 'Mo'),
      session(s, board.id, board.tokens.editor, 'Edi'),
    ]);
    const opened = new Promise<{ id: string } | null>((resolve) =>
      editor.once(SocketEvent.pollState, resolve),
    );
    await moderator.emitWithAck(SocketEvent.pollOpen, {
      kind: 'value',
      question: 'Conversion by 2028?',
      assumptionId: 'conversionRate',
    });
    const poll = (await opened)!;
    expect(await editor.emitWithAck(SocketEvent.pollVote, { pollId: poll.id, value: 4 })).toEqual({
      ok: true,
    });
    expect(
      await moderator.emitWithAck(SocketEvent.pollVote, { pollId: poll.id, value: 2 }),
    ).toEqual({ ok: true });
    const outOfRange = (await editor.emitWithAck(SocketEvent.pollVote, {
      pollId: poll.id,
      value: 400,
    })) as AckResult;
    expect(outOfRange.ok).toBe(false);
    expect(
      await moderator.emitWithAck(SocketEvent.pollClose, { pollId: poll.id, applyBand: true }),
    ).toEqual({ ok: true });
    const saved = await s.server.hub.withBoard(board.id, (b) => readClosedPolls(b.doc));
    expect(saved).toHaveLength(1);
    expect(saved![0]).toMatchObject({
      question: 'Conversion by 2028?',
      voters: 2,
      values: expect.arrayContaining([2, 4]) as unknown,
    });
    const bands = await s.server.hub.withBoard(board.id, (b) =>
      b.doc.getMap('bands').get('conversionRate'),
    );
    // The middle half of the answers 2 and 4 (the same rule as the close step in the browser).
    expect(bands).toEqual({ low: 2.5, high: 3.5, origin: 'poll' });
  });

  it('invalid payloads get a clear refusal and do not disturb the session', async () => {
    const { s, board } = await setup();
    const moderator = await session(s, board.id, board.token, 'Mo');
    const bad = (await moderator.emitWithAck(SocketEvent.pollOpen, {
      kind: 'choice',
      question: '',
      options: [],
    })) as AckResult;
    expect(bad).toEqual({ ok: false, code: 'invalidRequest', error: 'invalid poll:open request' });
    // An event the server does not know is refused by name (not silently dropped).
    const unknown = (await (
      moderator as unknown as { emitWithAck(e: string, p: unknown): Promise<unknown> }
    ).emitWithAck('poll:steal', { pollId: 'x' })) as AckResult;
    expect(unknown).toEqual({ ok: false, code: 'unknownEvent', error: 'unknown event poll:steal' });
    expect(await moderator.emitWithAck(SocketEvent.timerReset, { durationMs: 120_000 })).toEqual({
      ok: true,
    });
  });
});
