/**
 * Two instances behind "a load balancer": PostgreSQL storage (DATABASE_URL) and Redis for
 * fan-out (REDIS_URL), as a multi-instance deployment runs them.
 * A client on each must see the other's edits, presence and live-session events.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Pool, escapeIdentifier } from 'pg';
import type { Socket } from 'socket.io-client';
import { readBoard } from '../lib/board/boardState';
import { setAssumption } from '../lib/board/scenarios';
import { SocketEvent } from '../lib/protocol';
import type { LiveView } from '../lib/client/liveView';
import { PostgresStorage } from '../server/storage/postgres';
import {
  connectClient,
  connectSession,
  createBoard,
  followSession,
  issueCredential,
  sessionReady,
  startServer,
  tempDir,
  waitFor,
  type SessionSocket,
  type TestServer,
} from './helpers';
import { closeAfterTest } from './teardown';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const views = new Map<Socket, LiveView>();

const schemas: string[] = [];
afterAll(async () => {
  const admin = new Pool({ connectionString: DATABASE_URL, max: 1 });
  for (const s of schemas)
    await admin.query(`DROP SCHEMA IF EXISTS ${escapeIdentifier(s)} CASCADE`);
  await admin.end();
});

/** Two instances as deployed: one PostgreSQL (a throwaway schema), one Redis, one secret. */
async function twoInstances() {
  const schema = `sb_test_${randomBytes(6).toString('hex')}`;
  schemas.push(schema);
  const env = { DATA_DIR: tempDir(), REDIS_URL, TOKEN_SECRET: 'x'.repeat(40) };
  const one = await startServer(env, await PostgresStorage.connect(DATABASE_URL, { schema }));
  const two = await startServer(env, await PostgresStorage.connect(DATABASE_URL, { schema }));
  closeAfterTest(one, (s) => s.close());
  closeAfterTest(two, (s) => s.close());
  return [one, two] as const;
}

/** A live-session socket with a credential issued by `s` from `token`, once served. */
async function session(
  s: TestServer,
  boardId: string,
  token: string,
  name: string,
): Promise<SessionSocket> {
  const { credential } = await issueCredential(s.http, boardId, token, name);
  const socket = connectSession(s.http, boardId, credential);
  closeAfterTest(socket, (s) => s.disconnect());
  views.set(socket, followSession(socket));
  await sessionReady(socket);
  return socket;
}

describe('scale-out over Redis', () => {
  it('edits and presence cross instances both ways', async () => {
    const [one, two] = await twoInstances();
    const board = await createBoard(one.http, { title: 'Two instances' });
    const a = connectClient(one.ws, board.id, board.tokens.editor);
    const b = connectClient(two.ws, board.id, board.tokens.editor);
    closeAfterTest(a, (c) => c.destroy());
    closeAfterTest(b, (c) => c.destroy());
    await Promise.all([a.synced, b.synced]);
    const id = readBoard(a.doc).scenarios[0]!.id;
    setAssumption(a.doc, id, 'conversionRate', 4.5);
    await waitFor(
      () => readBoard(b.doc).scenarios[0]!.values.conversionRate === 4.5,
      'B (instance 2) sees A',
    );
    setAssumption(b.doc, id, 'trainingOutput', 150_000);
    await waitFor(
      () => readBoard(a.doc).scenarios[0]!.values.trainingOutput === 150_000,
      'A (instance 1) sees B',
    );
    a.provider.awareness.setLocalStateField('scenarioId', 'across');
    await waitFor(
      () => [...b.provider.awareness.getStates().values()].some((st) => st.scenarioId === 'across'),
      'presence crosses instances',
    );
    // A third client that joins on instance 2 later gets everything.
    const c = connectClient(two.ws, board.id, board.tokens.viewer);
    closeAfterTest(c, (c) => c.destroy());
    await c.synced;
    expect(readBoard(c.doc).scenarios[0]!.values).toMatchObject({
      conversionRate: 4.5,
      trainingOutput: 150_000,
    });
  });

  it('rotating links on one instance closes old-link connections on the other (4401)', async () => {
    const [one, two] = await twoInstances();
    const board = await createBoard(one.http, { title: 'Rotate' });
    const onTwo = connectClient(two.ws, board.id, board.tokens.editor);
    closeAfterTest(onTwo, (c) => c.destroy());
    await onTwo.synced;
    const closes: number[] = [];
    onTwo.provider.on('connection-close', (event: CloseEvent | null) => {
      if (event) closes.push(event.code);
    });
    const sessionOnTwo = await session(two, board.id, board.tokens.editor, 'Two');
    const revoked = new Promise<string>((resolve) => sessionOnTwo.on(SocketEvent.revoked, resolve));
    const rotated = await fetch(`${one.http}/api/boards/${board.id}/rotate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${board.token}` },
    });
    expect(rotated.status).toBe(200);
    await waitFor(() => closes.includes(4401), 'the connection on instance 2 closed with 4401');
    expect(await revoked).toMatch(/replaced/);
  });

  it('replacing the editor link on one instance closes only the editors on the other', async () => {
    const [one, two] = await twoInstances();
    const board = await createBoard(one.http, { title: 'Rotate editors' });
    const editorOnTwo = connectClient(two.ws, board.id, board.tokens.editor);
    const viewerOnTwo = connectClient(two.ws, board.id, board.tokens.viewer);
    const moderatorOnOne = connectClient(one.ws, board.id, board.token);
    for (const c of [editorOnTwo, viewerOnTwo, moderatorOnOne])
      closeAfterTest(c, (c) => c.destroy());
    await Promise.all([editorOnTwo.synced, viewerOnTwo.synced, moderatorOnOne.synced]);
    const closes: number[] = [];
    editorOnTwo.provider.on('connection-close', (event: CloseEvent | null) => {
      if (event) closes.push(event.code);
    });
    const editorSession = await session(two, board.id, board.tokens.editor, 'Ed');
    const viewerSession = await session(two, board.id, board.tokens.viewer, 'Vi');
    const revoked = new Promise<string>((resolve) =>
      editorSession.on(SocketEvent.revoked, resolve),
    );
    const rotated = await fetch(`${one.http}/api/boards/${board.id}/rotate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${board.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ roles: ['editor'] }),
    });
    expect(rotated.status).toBe(200);
    await waitFor(() => closes.includes(4401), 'the editor on instance 2 closed with 4401');
    expect(await revoked).toMatch(/replaced/);
    // The viewer on instance 2 still follows the moderator on instance 1.
    const scenarioId = readBoard(moderatorOnOne.doc).scenarios[0]!.id;
    setAssumption(moderatorOnOne.doc, scenarioId, 'conversionRate', 6.5);
    await waitFor(
      () => readBoard(viewerOnTwo.doc).scenarios[0]!.values.conversionRate === 6.5,
      'the viewer on instance 2 sees the edit',
    );
    expect(viewerOnTwo.provider.wsconnected && viewerSession.connected).toBe(true);
  });

  it('roster, timer and polls work across instances', async () => {
    const [one, two] = await twoInstances();
    const board = await createBoard(one.http, { title: 'Session' });
    const moderator = await session(one, board.id, board.token, 'Mo');
    const editor = await session(two, board.id, board.tokens.editor, 'Edi');
    await waitFor(() => views.get(moderator)!.roster.length === 2, 'the moderator sees both');
    expect(
      views
        .get(moderator)!
        .roster.map((r) => r.name)
        .sort(),
    ).toEqual(['Edi', 'Mo']);
    const timer = new Promise<{ running: boolean }>((resolve) =>
      editor.once(SocketEvent.timerState, resolve),
    );
    await moderator.emitWithAck(SocketEvent.timerStart, { durationMs: 90_000 });
    expect((await timer).running).toBe(true);
    const opened = new Promise<{ id: string } | null>((resolve) =>
      editor.once(SocketEvent.pollState, resolve),
    );
    await moderator.emitWithAck(SocketEvent.pollOpen, {
      kind: 'choice',
      question: 'Recommend?',
      options: ['Baseline', 'Bold'],
    });
    const poll = (await opened)!;
    expect(await editor.emitWithAck(SocketEvent.pollVote, { pollId: poll.id, value: 1 })).toEqual({
      ok: true,
    });
    // The vote taken on instance 2 is in instance 1's replica when the moderator closes the poll.
    await waitFor(() => views.get(moderator)!.poll?.voters === 1, 'the moderator sees the vote');
    expect(views.get(moderator)!.poll?.options.map((o) => o.votes)).toEqual([0, 1]);
    // The editor's own answer came back to it from the other instance; results stay hidden.
    await waitFor(() => views.get(editor)!.poll?.myVote === 1, 'the editor sees its answer');
    expect(views.get(editor)!.poll?.options.map((o) => o.votes)).toEqual([0, 0]);
    expect(await moderator.emitWithAck(SocketEvent.pollClose, { pollId: poll.id })).toEqual({
      ok: true,
    });
    const saved = await one.server.hub.withBoard(
      board.id,
      (b) => b.doc.getMap('polls').get(poll.id) as { options: { votes: number }[] },
    );
    expect(saved!.options.map((o) => o.votes)).toEqual([0, 1]);
  });
});
