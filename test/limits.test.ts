/**
 * Memory and connection limits against a real server:
 *   L1 the server-wide budget of unsent bytes (MAX_BUFFERED_BYTES_TOTAL) closes the connection
 *      holding the most unsent data when it is exceeded, and nobody else: a fast reader on the
 *      same board keeps receiving edits;
 *      The same budget covers socket.io connections (engine.io's write buffer and ws's), and a
 *      connection may ask for the whole board only a few times (4429 after that); a connection
 *      that is behind gets no presence backlog, only the latest states once it catches up; a
 *      socket.io socket that is behind gets no backlog of live-session batches (roster, counts),
 *      only a snapshot of the latest state once it catches up;
 *   L2 MAX_CONNECTIONS_PER_ADDRESS counts Yjs and socket.io connections together: connection N+1
 *      gets HTTP 429 (Yjs) or a connect_error saying why (socket.io), and one is admitted again
 *      after another closes.
 */
import { describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo, Socket as NetSocket } from 'node:net';
import { Server as SocketIoServer } from 'socket.io';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { io as ioClient, type Socket } from 'socket.io-client';
import * as decoding from 'lib0/decoding';
import { NOTES_MAX } from '../lib/board/limits';
import { addScenario, setAssumption, updateScenario } from '../lib/board/scenarios';
import { readBoard } from '../lib/board/boardState';
import { CloseCode, YMessage } from '../lib/protocol';
import { PRESENCE_BEHIND_BYTES } from '../server/collab/liveBoard';
import { OutboundBudget } from '../server/outboundBudget';
import { ConnectionLimiter, socketAddress } from '../server/connectionLimits';
import { guardSocketIo, unsentBytes } from '../server/socketIoGuards';
import { SESSION_BEHIND_BYTES } from '../server/live/session';
import {
  connectClient,
  connectSession,
  createBoard,
  followSession,
  issueCredential,
  rawSocket,
  startServer,
  waitFor,
  type TestServer,
} from './helpers';
import { closeAfterTest } from './teardown';

async function start(env: Record<string, string>) {
  return closeAfterTest(await startServer(env), (s) => s.close());
}

/** Sync step 1 with an empty state vector: the server answers with the whole board. */
const wholeBoardRequest = (() => {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, YMessage.sync);
  syncProtocol.writeSyncStep1(encoder, new Y.Doc());
  return encoding.toUint8Array(encoder);
})();

/** The TCP socket under a ws client (to stop reading, as a client that never reads would). */
const tcpOf = (ws: WebSocket) => (ws as unknown as { _socket: NetSocket })._socket;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The states in a Yjs awareness message (none for any other message). */
function presenceStatesIn(message: Uint8Array): unknown[] {
  const decoder = decoding.createDecoder(message);
  if (decoding.readVarUint(decoder) !== YMessage.awareness) return [];
  const update = decoding.createDecoder(decoding.readVarUint8Array(decoder));
  const states: unknown[] = [];
  for (let i = decoding.readVarUint(update); i > 0; i--) {
    decoding.readVarUint(update); // client id
    decoding.readVarUint(update); // clock
    states.push(JSON.parse(decoding.readVarString(update)));
  }
  return states;
}

/**
 * A board with an editor whose every round rewrites the notes of 5 scenarios (about 20 KB
 * relayed to every other connection), a fast stock reader, and readers that can stop reading.
 */
async function busyBoard(env: Record<string, string>) {
  const s = await start({ RATE_LIMIT_PER_SECOND: '100000', RATE_LIMIT_BURST: '100000', ...env });
  const board = await createBoard(s.http);
  const editor = connectClient(s.ws, board.id, board.tokens.editor);
  const fast = connectClient(s.ws, board.id, board.tokens.viewer);
  closeAfterTest(editor, (c) => c.destroy());
  closeAfterTest(fast, (c) => c.destroy());
  await Promise.all([editor.synced, fast.synced]);
  for (let i = 0; i < 4; i++) addScenario(editor.doc, { name: `S${i}` });
  const scenarioIds = () => readBoard(editor.doc).scenarios.map((sc) => sc.id);
  await waitFor(() => readBoard(fast.doc).scenarios.length === 5, 'the scenarios to sync');
  const peers = async () => (await s.server.hub.withBoard(board.id, (b) => b.peers.size)) ?? 0;
  let round = 0;
  /** Edit until `done` (checked every 10 rounds) or the server evicts someone. */
  const editUntil = async (done: () => boolean | Promise<boolean>) => {
    for (let i = 0; i < 5000 && !s.server.outbound.evictions; i++) {
      if (i % 10 === 0 && (await done())) break;
      round++;
      editor.doc.transact(() => {
        for (const id of scenarioIds())
          updateScenario(editor.doc, id, { notes: `${round} ${id} `.padEnd(NOTES_MAX, 'notes ') });
      });
      await sleep(2);
    }
    await sleep(50);
  };
  /** Until the server holds `bytes` unsent in total (kernel buffers fill first). */
  const holding = (bytes: number) => () => s.server.outbound.unsentBytes >= bytes;
  /** A raw connection that has joined the board and can stop reading. */
  const reader = async () => {
    const before = await peers();
    const r = await rawSocket(s.ws, board.id, board.tokens.viewer);
    closeAfterTest(r.ws, (ws) => ws.terminate());
    while ((await peers()) === before) await sleep(10);
    return r;
  };
  return { s, board, editor, fast, peers, editUntil, holding, reader };
}

describe('outbound budget', () => {
  it('L1: over the server-wide budget, the connection holding most is closed; others carry on', async () => {
    const budget = 1024 * 1024;
    const { s, editor, fast, peers, editUntil, holding, reader } = await busyBoard({
      MAX_BUFFERED_BYTES_TOTAL: String(budget),
      // Only the server-wide budget is under test: one connection alone may hold more.
      MAX_BUFFERED_BYTES_PER_CONNECTION: String(256 * 1024 * 1024),
    });
    const heavy = await reader();
    const light = await reader();
    // The heavy reader stops reading first and falls behind by more than half the budget.
    tcpOf(heavy.ws).pause();
    await editUntil(holding(0.6 * budget));
    expect(s.server.outbound.unsentBytes).toBeGreaterThan(0.6 * budget);
    expect(s.server.outbound.evictions).toBe(0);
    // Then the light one stops too: together they pass the budget, the heavy one holds most.
    tcpOf(light.ws).pause();
    await editUntil(holding(budget + 1));
    await waitFor(() => s.server.outbound.evictions === 1, 'one eviction');
    expect(s.server.outbound.unsentBytes).toBeLessThanOrEqual(budget);
    expect(await peers()).toBe(3);

    // The fast reader still gets edits.
    const scenarioId = readBoard(editor.doc).scenarios[0]!.id;
    setAssumption(editor.doc, scenarioId, 'conversionRate', 7);
    await waitFor(
      () => readBoard(fast.doc).scenarios[0]!.values.conversionRate === 7,
      'the fast reader to see the edit',
    );

    // Reading again, the heavy reader finds its connection gone; the light one is still open.
    tcpOf(heavy.ws).resume();
    tcpOf(light.ws).resume();
    const closed = await heavy.closed;
    expect(closed.code).toBe(1006); // dropped without a close frame: it was not reading
    await sleep(100);
    expect(light.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('L1: a reader over MAX_BUFFERED_BYTES_PER_CONNECTION is dropped on its own', async () => {
    const { s, fast, peers, editUntil, reader } = await busyBoard({
      MAX_BUFFERED_BYTES_PER_CONNECTION: String(256 * 1024),
    });
    const slow = await reader();
    tcpOf(slow.ws).pause();
    await editUntil(async () => (await peers()) < 3);
    expect(await peers()).toBe(2);
    expect(s.server.outbound.unsentBytes).toBeLessThan(256 * 1024);
    expect(fast.provider.wsconnected).toBe(true);
  });

  it('L1b: a reader that falls behind gets no presence backlog, then the latest presence once', async () => {
    const { s, board, editor, editUntil, reader } = await busyBoard({
      // Nobody is evicted here: only the presence rule for a connection that is behind.
      MAX_BUFFERED_BYTES_PER_CONNECTION: String(256 * 1024 * 1024),
      MAX_BUFFERED_BYTES_TOTAL: String(512 * 1024 * 1024),
    });
    const slow = await reader();
    const skipped = async () =>
      (await s.server.hub.withBoard(board.id, (b) => b.presenceBatchesSkipped)) ?? 0;
    tcpOf(slow.ws).pause();
    await editUntil(() => s.server.outbound.unsentBytes > 4 * PRESENCE_BEHIND_BYTES);
    // The editor looks at one scenario after another: 20 presence batches while the reader is behind.
    const scenarioIds = readBoard(editor.doc).scenarios.map((sc) => sc.id);
    for (let i = 0; i < 20; i++) {
      editor.provider.awareness.setLocalStateField('scenarioId', `${scenarioIds[i % 5]}`);
      editor.provider.awareness.setLocalStateField('editing', {
        scenarioId: scenarioIds[0]!,
        assumptionId: `step${i}`,
      });
      await sleep(150);
    }
    expect(await skipped()).toBeGreaterThanOrEqual(10);
    const before = slow.messages.length;
    tcpOf(slow.ws).resume();
    // Caught up, it holds the editor's latest state, and none of the intermediate ones that
    // were skipped reached it.
    const editorSteps = () =>
      slow.messages
        .slice(before)
        .flatMap(presenceStatesIn)
        .map((state) => (state as { editing?: { assumptionId?: string } }).editing?.assumptionId)
        .filter((step): step is string => typeof step === 'string');
    await waitFor(() => editorSteps().includes('step19'), 'the latest presence', 10_000);
    expect(editorSteps().filter((step) => step !== 'step19').length).toBeLessThan(10);
  });

  it('L1c: a live-session socket that falls behind gets no batch backlog, then one snapshot', async () => {
    const s = await start({
      // Nobody is evicted here: only the coalescing rule for a socket that is behind.
      MAX_BUFFERED_BYTES_PER_CONNECTION: String(256 * 1024 * 1024),
      MAX_BUFFERED_BYTES_TOTAL: String(512 * 1024 * 1024),
    });
    const board = await createBoard(s.http);
    const join = async (name: string) => {
      const { credential } = await issueCredential(s.http, board.id, board.tokens.viewer, name);
      const socket = connectSession(s.http, board.id, credential);
      closeAfterTest(socket, (s) => s.disconnect());
      const view = followSession(socket);
      await new Promise((r) => socket.once('session:snapshot', r));
      return { socket, view };
    };
    const slow = await join('Slow');
    await sleep(500); // the batch announcing its own join has arrived
    const events: string[] = [];
    slow.socket.onAny((event: string) => events.push(event));
    // A real reader that stops reading: its TCP socket is paused. Then its connection is filled
    // (4 MB of kernel buffers first) until the server holds more than the threshold for it.
    const tcp = tcpOf((slow.socket.io.engine.transport as unknown as { ws: WebSocket }).ws);
    tcp.pause();
    const onServer = s.server.liveSession.io.of('/').sockets.get(slow.socket.id!)!;
    const filler = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 400 && unsentBytes(onServer.conn) <= 4 * SESSION_BEHIND_BYTES; i++) {
      (onServer as unknown as { emit(e: string, d: string): void }).emit('filler', filler);
      await sleep(5);
    }
    expect(unsentBytes(onServer.conn)).toBeGreaterThan(4 * SESSION_BEHIND_BYTES);
    // Six people come (and two go) while it is behind: one batch of roster changes each.
    const others = [];
    for (let i = 0; i < 6; i++) {
      others.push(await join(`P${i}`));
      await sleep(300);
    }
    others[0]!.socket.disconnect();
    await sleep(300);
    others[1]!.socket.disconnect();
    await sleep(300);
    const seen = events.length;
    tcp.resume();
    const expected = others.slice(2).length + 1;
    await waitFor(() => slow.view.roster.length === expected, 'the latest roster', 15_000);
    // What came after the pause: the filler, then one snapshot and no backlog of batches.
    const after = events.slice(seen).filter((e) => e !== 'filler');
    expect(after[0]).toBe('session:snapshot');
    expect(after.filter((e) => e === 'session:changes').length).toBe(0);
    expect(slow.view.roster.map((e) => e.name).sort()).toEqual(['P2', 'P3', 'P4', 'P5', 'Slow']);
  });

  it('L1: a connection asking for the whole board over and over is closed (4429)', async () => {
    const s = await start({});
    const board = await createBoard(s.http);
    const asker = await rawSocket(s.ws, board.id, board.tokens.viewer);
    closeAfterTest(asker.ws, (ws) => ws.terminate());
    for (let i = 0; i < 10 && asker.ws.readyState === WebSocket.OPEN; i++) {
      asker.ws.send(wholeBoardRequest);
      await sleep(20);
    }
    const closed = await Promise.race([asker.closed, sleep(2000).then(() => null)]);
    expect(closed?.code).toBe(CloseCode.rateLimited);
    // The board sent on joining, then at most three answers before the close.
    const answers = asker.messages.filter((m) => m[0] === YMessage.sync && m[1] === 1).length;
    expect(answers).toBeLessThanOrEqual(4);
  });

  it('L1: socket.io connections count against the same budget', async () => {
    // The guard on a bare socket.io server whose only job is to send a lot to each client.
    const budget = new OutboundBudget({ total: 1024 * 1024, perConnection: 256 * 1024 * 1024 });
    const httpServer = http.createServer();
    const ioServer = new SocketIoServer(httpServer);
    guardSocketIo(ioServer, {
      outbound: budget,
      connectionLimits: new ConnectionLimiter(100),
      addressOf: socketAddress,
    });
    const chunk = 'x'.repeat(16 * 1024);
    ioServer.on('connection', (socket) => {
      socket.on('flood', (n: number) => {
        for (let i = 0; i < n; i++) socket.emit('chunk', chunk);
      });
    });
    await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
    try {
      const connect = async () => {
        const socket = ioClient(url, { transports: ['websocket'], reconnection: false });
        closeAfterTest(socket, (s) => s.disconnect());
        await new Promise<void>((r) => socket.once('connect', () => r()));
        return socket;
      };
      const fast = await connect();
      const slow = await connect();
      let fastReceived = 0;
      fast.on('chunk', () => fastReceived++);
      const slowTcp = tcpOf((slow.io.engine.transport as unknown as { ws: WebSocket }).ws);
      slowTcp.pause();
      for (let i = 0; i < 100 && budget.evictions === 0; i++) {
        slow.emit('flood', 20);
        await sleep(5);
      }
      expect(budget.evictions).toBe(1);
      expect(budget.unsentBytes).toBeLessThanOrEqual(1024 * 1024);
      fast.emit('flood', 50);
      await waitFor(() => fastReceived === 50, 'the fast client to get everything');
      expect(fast.connected).toBe(true);
      slowTcp.resume();
      await waitFor(() => !slow.connected, 'the slow client to find itself disconnected');
    } finally {
      await new Promise<void>((r) => void ioServer.close(() => r()));
    }
  });
});

describe('connections per address', () => {
  type Attempt = { ok: true; ws: WebSocket } | { ok: false; status: number; body: string };
  /** Open a Yjs WebSocket; a refused upgrade resolves with its HTTP status and body. */
  const openYjs = (s: TestServer, boardId: string, token: string) =>
    new Promise<Attempt>((resolve, reject) => {
      const ws = new WebSocket(`${s.ws}/${boardId}?token=${token}`);
      ws.once('open', () => {
        closeAfterTest(ws, (ws) => ws.terminate());
        resolve({ ok: true, ws });
      });
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ ok: false, status: res.statusCode ?? 0, body }));
      });
      ws.once('error', reject);
    });
  const openSession = (s: TestServer, boardId: string, token: string) =>
    new Promise<{ ok: true; socket: Socket } | { ok: false; message: string; status?: number }>(
      (resolve) => {
        const socket = ioClient(s.http, {
          path: '/socket.io',
          transports: ['websocket'],
          auth: { boardId, token },
          reconnection: false,
        });
        closeAfterTest(socket, (s) => s.disconnect());
        socket.once('connect', () => resolve({ ok: true, socket }));
        socket.once('connect_error', (err: Error & { data?: { status?: number } }) =>
          resolve({ ok: false, message: err.message, status: err.data?.status }),
        );
      },
    );

  it('L2: connection N+1 from one address is refused on both transports, and admitted after one closes', async () => {
    const s = await start({ MAX_CONNECTIONS_PER_ADDRESS: '3' });
    const board = await createBoard(s.http);
    // The live session needs a participant credential (it opens Yjs too).
    const { credential: token } = await issueCredential(s.http, board.id, board.tokens.editor);
    const first = await openYjs(s, board.id, token);
    const second = await openYjs(s, board.id, token);
    const session = await openSession(s, board.id, token);
    expect([first.ok, second.ok, session.ok]).toEqual([true, true, true]);

    const refusedYjs = await openYjs(s, board.id, token);
    expect(refusedYjs).toMatchObject({ ok: false, status: 429 });
    expect(refusedYjs.ok === false && refusedYjs.body).toMatch(/too many connections/i);
    const refusedSession = await openSession(s, board.id, token);
    expect(refusedSession).toMatchObject({ ok: false, status: 429 });
    expect(refusedSession.ok === false && refusedSession.message).toMatch(/too many connections/i);

    // One closes: a Yjs connection fits again, then a socket.io one after another closes.
    if (first.ok) first.ws.close();
    await waitFor(() => s.server.connectionLimits.count('127.0.0.1') === 2, 'slot released');
    expect((await openYjs(s, board.id, token)).ok).toBe(true);
    if (session.ok) session.socket.disconnect();
    await waitFor(() => s.server.connectionLimits.count('127.0.0.1') === 2, 'slot released');
    expect((await openSession(s, board.id, token)).ok).toBe(true);
  });
});
