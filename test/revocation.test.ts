/**
 * R11: revocation without races. Connections whose token was checked just before the links were
 * rotated must not join the board after the revocation ran. 100 connections (Yjs with a link or a
 * credential, socket.io with a credential) open while the links rotate; once everything settles,
 * none of them is still connected and nothing they sent after the rotation was stored or taken.
 * Repeated 100 times in a row on one server.
 *
 * Links per role: replacing only the editor link closes exactly the editors (link and credential,
 * both transports, 4401 / `session:revoked`); viewers and the moderator stay connected and keep
 * working, also for connections opened while the editor link is replaced.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import WebSocket from 'ws';
import { readBoard } from '../lib/board/boardState';
import { setAssumption } from '../lib/board/scenarios';
import {
  CloseCode,
  LINK_REPLACED_MESSAGE,
  SocketEvent,
  YMessage,
  type AckResult,
  type SessionChanges,
} from '../lib/protocol';
import {
  connectClient,
  connectSession,
  createBoard,
  issueCredential,
  startServer,
  waitFor,
  type SessionSocket,
  type TestServer,
} from './helpers';

const ROUNDS = 100;
const CONNECTIONS = 100;
/** Connections opened before the rotation is sent, the rest right after it. */
const BEFORE_ROTATION = 50;

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

/** A sync-protocol update message, as a hand-made y-websocket client sends it. */
function updateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, YMessage.sync);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** An editor's valid edit against the board as stored now: conversionRate set to `value`. */
async function staleEdit(boardId: string, value: number): Promise<Uint8Array> {
  const state = await server.server.hub.withBoard(boardId, (b) => Y.encodeStateAsUpdate(b.doc));
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state!);
  const before = Y.encodeStateVector(doc);
  const scenarioId = readBoard(doc).scenarios[0]!.id;
  const result = setAssumption(doc, scenarioId, 'conversionRate', value);
  expect(result.ok).toBe(true);
  const update = Y.encodeStateAsUpdate(doc, before);
  doc.destroy();
  return update;
}

interface Attempt {
  /** Still connected, as the client sees it. */
  open(): boolean;
  /** Resolves once the connection is closed or refused. */
  settled: Promise<void>;
  /** Try to change something (after the rotation answered). */
  write(): void;
  /** True if the server accepted the write. */
  accepted(): boolean;
  close(): void;
}

function yjsAttempt(boardId: string, token: string, edit: Uint8Array): Attempt {
  const ws = new WebSocket(`${server.ws}/${boardId}?token=${encodeURIComponent(token)}`);
  ws.on('error', () => undefined);
  const settled = new Promise<void>((resolve) => ws.on('close', () => resolve()));
  return {
    open: () => ws.readyState === WebSocket.OPEN,
    settled,
    write: () => {
      if (ws.readyState === WebSocket.OPEN) ws.send(updateMessage(edit));
    },
    // What the server stored is checked on the board itself.
    accepted: () => false,
    close: () => ws.terminate(),
  };
}

function socketAttempt(boardId: string, credential: string): Attempt {
  const socket: SessionSocket = connectSession(server.http, boardId, credential);
  let accepted = false;
  const settled = new Promise<void>((resolve) => {
    socket.on('disconnect', () => resolve());
    socket.on('connect_error', () => resolve());
  });
  return {
    open: () => socket.connected,
    settled,
    write: () => {
      if (!socket.connected) return;
      socket.emit(SocketEvent.handRaise, (result: AckResult) => {
        if (result.ok) accepted = true;
      });
    },
    accepted: () => accepted,
    close: () => socket.disconnect(),
  };
}

it('R11: 100 connections opened while links rotate: none survives, nothing is stored, 100 times', async () => {
  const board = await createBoard(server.http, { title: 'Rotation race' });
  let tokens = board.tokens;
  const conversion = async () =>
    server.server.hub.withBoard(
      board.id,
      (b) => readBoard(b.doc).scenarios[0]!.values.conversionRate,
    );
  const original = await conversion();
  const storedBefore = (await server.server.hub.storage.loadDocument(board.id))!.lastSeq;
  let survivors = 0;
  let accepted = 0;

  for (let round = 0; round < ROUNDS; round++) {
    const { credential } = await issueCredential(server.http, board.id, tokens.editor, 'Old');
    const edit = await staleEdit(board.id, 10 + round / 100);
    const attempts: Attempt[] = [];
    const openOne = (k: number) =>
      attempts.push(
        k % 2 === 1
          ? socketAttempt(board.id, credential)
          : yjsAttempt(board.id, k % 4 === 0 ? tokens.editor : credential, edit),
      );
    for (let k = 0; k < BEFORE_ROTATION; k++) openOne(k);
    const rotation = fetch(`${server.http}/api/boards/${board.id}/rotate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.moderator}` },
    });
    for (let k = BEFORE_ROTATION; k < CONNECTIONS; k++) openOne(k);
    const rotated = await rotation;
    expect(rotated.status).toBe(200);
    tokens = ((await rotated.json()) as { tokens: typeof tokens }).tokens;

    // The rotation has answered: whatever is still open tries to write with its old token.
    for (const a of attempts) a.write();
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(resolve, 10_000, 'timeout'));
    await Promise.race([Promise.all(attempts.map((a) => a.settled)), timeout]);
    survivors += attempts.filter((a) => a.open()).length;
    accepted += attempts.filter((a) => a.accepted()).length;
    for (const a of attempts) a.close();
    expect({ round, survivors, accepted }).toEqual({ round, survivors: 0, accepted: 0 });
    expect(await conversion()).toBe(original);
  }
  // Nothing any of the 10,000 connections sent reached storage.
  expect((await server.server.hub.storage.loadDocument(board.id))!.lastSeq).toBe(storedBefore);
}, 120_000);

/** Replace the links of `roles` (moderator token); the answer's body. */
async function replaceLinks(boardId: string, moderator: string, roles: string[]) {
  const res = await fetch(`${server.http}/api/boards/${boardId}/rotate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${moderator}`, 'content-type': 'application/json' },
    body: JSON.stringify({ roles }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as {
    roles: string[];
    token?: string;
    joinCode?: string;
    links: Record<string, string>;
    tokens: Record<string, string>;
  };
}

/**
 * A raw Yjs connection that records how it ended. `served` resolves on the server's first
 * message (sent only once the link epoch is confirmed) or on close, whichever comes first.
 */
function rawYjs(boardId: string, token: string) {
  const ws = new WebSocket(`${server.ws}/${boardId}?token=${encodeURIComponent(token)}`);
  ws.on('error', () => undefined);
  let closed: { code: number; reason: string } | null = null;
  const settled = new Promise<void>((resolve) =>
    ws.on('close', (code, reason) => {
      closed = { code, reason: reason.toString() };
      resolve();
    }),
  );
  const served = Promise.race([
    new Promise<void>((resolve) => ws.once('message', () => resolve())),
    settled,
  ]);
  return {
    ws,
    settled,
    served,
    closed: () => closed,
    open: () => ws.readyState === WebSocket.OPEN,
  };
}

/** A socket.io session that records a revocation; `served` resolves on its snapshot or on leaving. */
function rawSession(boardId: string, credential: string) {
  const socket = connectSession(server.http, boardId, credential);
  let revoked: string | null = null;
  socket.on(SocketEvent.revoked, (message) => (revoked = message));
  const settled = new Promise<void>((resolve) => {
    socket.on('disconnect', () => resolve());
    socket.on('connect_error', () => resolve());
  });
  const served = Promise.race([
    new Promise<void>((resolve) => socket.once(SocketEvent.snapshot, () => resolve())),
    settled,
  ]);
  return { socket, settled, served, revoked: () => revoked, open: () => socket.connected };
}

it('R11b: replacing the editor link closes exactly the editors, on both transports; viewers and the moderator keep working', async () => {
  const board = await createBoard(server.http, { title: 'Stop the room editing' });
  const cred = async (token: string, name: string) =>
    (await issueCredential(server.http, board.id, token, name)).credential;
  const [editorCred, viewerCred, moderatorCred] = await Promise.all([
    cred(board.tokens.editor, 'Ed'),
    cred(board.tokens.viewer, 'Vi'),
    cred(board.tokens.moderator, 'Mo'),
  ]);
  const editors = [rawYjs(board.id, board.tokens.editor), rawYjs(board.id, editorCred)];
  const editorSession = rawSession(board.id, editorCred);
  const moderator = connectClient(server.ws, board.id, moderatorCred);
  const viewer = connectClient(server.ws, board.id, viewerCred);
  const viewerYjsLink = rawYjs(board.id, board.tokens.viewer);
  const moderatorSession = rawSession(board.id, moderatorCred);
  const viewerSession = rawSession(board.id, viewerCred);
  await Promise.all([
    ...editors.map((e) => e.served),
    editorSession.served,
    moderator.synced,
    viewer.synced,
    viewerYjsLink.served,
    moderatorSession.served,
    viewerSession.served,
  ]);
  expect(
    [...editors, editorSession, viewerYjsLink, moderatorSession, viewerSession].every((c) =>
      c.open(),
    ),
  ).toBe(true);

  const answer = await replaceLinks(board.id, board.tokens.moderator, ['editor']);
  // Only the editor link (and the join code, which leads to the editor role) is new.
  expect(answer.roles).toEqual(['editor']);
  expect(Object.keys(answer.links)).toEqual(['editor']);
  expect(Object.keys(answer.tokens)).toEqual(['editor']);
  expect(answer.token).toBeUndefined();
  expect(answer.joinCode).toMatch(/^[A-Z0-9]{6}$/);
  expect(answer.joinCode).not.toBe(board.joinCode);

  // Every editor connection was closed, each told why.
  await Promise.all([...editors.map((e) => e.settled), editorSession.settled]);
  for (const e of editors)
    expect(e.closed()).toEqual({ code: CloseCode.unauthorized, reason: LINK_REPLACED_MESSAGE });
  expect(editorSession.revoked()).toBe(LINK_REPLACED_MESSAGE);

  // The moderator's next edit reaches the viewer (Yjs); the moderator's hand reaches the
  // viewer's session (socket.io): both stayed connected and keep working.
  const scenarioId = readBoard(moderator.doc).scenarios[0]!.id;
  expect(setAssumption(moderator.doc, scenarioId, 'conversionRate', 7.5).ok).toBe(true);
  await waitFor(
    () => readBoard(viewer.doc).scenarios[0]!.values.conversionRate === 7.5,
    "the viewer sees the moderator's edit",
  );
  const handSeen = new Promise<void>((resolve) =>
    viewerSession.socket.on(SocketEvent.changes, (changes: SessionChanges) => {
      if (changes.hands?.raised.some((h) => h.name === 'Mo')) resolve();
    }),
  );
  const raised = await new Promise<AckResult>((resolve) =>
    moderatorSession.socket.emit(SocketEvent.handRaise, resolve),
  );
  expect(raised.ok).toBe(true);
  await handSeen;
  expect(
    [viewerYjsLink, moderatorSession, viewerSession].every((c) => c.open()) &&
      moderator.provider.wsconnected &&
      viewer.provider.wsconnected,
  ).toBe(true);

  // Over HTTP: the old editor link and code are refused; every other link still opens the board.
  const status = (token: string) =>
    fetch(`${server.http}/api/boards/${board.id}`, {
      headers: { authorization: `Bearer ${token}` },
    }).then((r) => r.status);
  expect(await status(board.tokens.editor)).toBe(401);
  const refused = await fetch(`${server.http}/api/boards/${board.id}`, {
    headers: { authorization: `Bearer ${board.tokens.editor}` },
  });
  expect(((await refused.json()) as { code: string }).code).toBe('linkReplaced');
  expect(await status(editorCred)).toBe(401);
  expect(await status(answer.tokens.editor!)).toBe(200);
  expect(await status(board.tokens.viewer)).toBe(200);
  expect(await status(board.tokens.moderator)).toBe(200);
  const join = (code: string) =>
    fetch(`${server.http}/api/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    }).then((r) => r.status);
  expect(await join(board.joinCode)).toBe(404);
  expect(await join(answer.joinCode!)).toBe(200);

  // Then the viewer link alone: the viewers go, the moderator and the new editor link stay.
  const viewerAnswer = await replaceLinks(board.id, board.tokens.moderator, ['viewer']);
  expect(viewerAnswer.joinCode).toBeUndefined();
  await Promise.all([viewerYjsLink.settled, viewerSession.settled]);
  expect(viewerSession.revoked()).toBe(LINK_REPLACED_MESSAGE);
  expect(moderatorSession.open()).toBe(true);
  expect(await status(answer.tokens.editor!)).toBe(200);
  expect(await join(answer.joinCode!)).toBe(200);

  for (const c of [moderatorSession, viewerSession, editorSession]) c.socket.disconnect();
  moderator.destroy();
  viewer.destroy();
});

it('rotate: roles are validated, and only a moderator may replace links', async () => {
  const board = await createBoard(server.http, { title: 'Validation' });
  const post = (token: string, body: string) =>
    fetch(`${server.http}/api/boards/${board.id}/rotate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
    });
  for (const body of [
    '{"roles":["admin"]}',
    '{"roles":[]}',
    '{"roles":"editor"}',
    '{"roles":["editor"],"extra":1}',
    '[]',
  ]) {
    const res = await post(board.tokens.moderator, body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(
      /roles are moderator, editor and viewer/,
    );
  }
  expect((await post(board.tokens.moderator, 'not json')).status).toBe(400);
  expect((await post(board.tokens.editor, '{"roles":["viewer"]}')).status).toBe(403);
  expect((await post(board.tokens.viewer, '{"roles":["viewer"]}')).status).toBe(403);
  // Nothing was replaced by the refused requests.
  const record = await server.server.hub.storage.getBoard(board.id);
  expect(record).toMatchObject({
    linkEpochs: { moderator: 0, editor: 0, viewer: 0 },
    joinCode: board.joinCode,
  });
  // Repeated roles count once.
  const twice = await replaceLinks(board.id, board.tokens.moderator, ['viewer', 'viewer']);
  expect(twice.roles).toEqual(['viewer']);
  expect((await server.server.hub.storage.getBoard(board.id))?.linkEpochs).toEqual({
    moderator: 0,
    editor: 0,
    viewer: 1,
  });
});

const ROLE_ROUNDS = 30;
const PER_ROLE = 12;

it(`R11c: connections of every role opened while the editor link is replaced: every editor is closed, every viewer and moderator stays, ${ROLE_ROUNDS} times`, async () => {
  const board = await createBoard(server.http, { title: 'Per-role race' });
  const [viewerCred, moderatorCred] = await Promise.all([
    issueCredential(server.http, board.id, board.tokens.viewer, 'Vi').then((r) => r.credential),
    issueCredential(server.http, board.id, board.tokens.moderator, 'Mo').then((r) => r.credential),
  ]);
  let editorLink = board.tokens.editor;
  const outcome = { editorsLeftOpen: 0, othersClosed: 0 };

  for (let round = 0; round < ROLE_ROUNDS; round++) {
    const { credential: editorCred } = await issueCredential(
      server.http,
      board.id,
      editorLink,
      'Ed',
    );
    const editors: { settled: Promise<void>; open(): boolean; close(): void }[] = [];
    const others: { served: Promise<void>; open(): boolean; close(): void }[] = [];
    const openBatch = (n: number) => {
      for (let k = 0; k < n; k++) {
        const yjsEditor = rawYjs(board.id, k % 2 ? editorCred : editorLink);
        const sessionEditor = rawSession(board.id, editorCred);
        editors.push(
          { ...yjsEditor, close: () => yjsEditor.ws.terminate() },
          { ...sessionEditor, close: () => sessionEditor.socket.disconnect() },
        );
        const yjsOther = rawYjs(board.id, k % 2 ? viewerCred : board.tokens.moderator);
        const sessionOther = rawSession(board.id, k % 2 ? moderatorCred : viewerCred);
        others.push(
          { ...yjsOther, close: () => yjsOther.ws.terminate() },
          { ...sessionOther, close: () => sessionOther.socket.disconnect() },
        );
      }
    };
    // Some connections are fully in before the rotation starts, some race its store and revocation.
    openBatch(2);
    await Promise.all(others.map((o) => o.served));
    openBatch(PER_ROLE / 2);
    const rotation = replaceLinks(board.id, board.tokens.moderator, ['editor']);
    openBatch(PER_ROLE / 2);
    editorLink = (await rotation).tokens.editor!;
    // Every editor connection ends; every other one is served (or, wrongly, ends).
    await Promise.all([...editors.map((e) => e.settled), ...others.map((o) => o.served)]);
    outcome.editorsLeftOpen += editors.filter((e) => e.open()).length;
    outcome.othersClosed += others.filter((o) => !o.open()).length;
    for (const c of [...editors, ...others]) c.close();
    expect({ round, ...outcome }).toEqual({ round, editorsLeftOpen: 0, othersClosed: 0 });
  }
}, 120_000);
