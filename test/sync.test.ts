/**
 * The Yjs endpoint against a real server on port 0 with real y-websocket clients.
 * Rules proved here (numbered as in server/README.md):
 *   S1 clients converge; S2 a late joiner gets the full state; S3 a restart keeps every stored
 *   edit; S4 bad frames close only the offending connection; S5 out-of-range or non-finite values
 *   are refused, never relayed, and the sender is corrected back.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { readBoard } from '../lib/board/boardState';
import { readLog } from '../lib/board/decisionLog';
import { readScenario, setAssumption } from '../lib/board/scenarios';
import { CloseCode } from '../lib/protocol';
import { MemoryStorage } from '../server/storage/memory';
import { RELAY_MERGE_MIN_PEERS } from '../server/collab/liveBoard';
import type { BoardStorage } from '../server/storage/types';
import {
  connectClient,
  createBoard,
  rawSocket,
  startServer,
  tempDir,
  waitFor,
  type TestServer,
} from './helpers';
import { closeAfterTest } from './teardown';

async function start(env: Record<string, string> = {}) {
  return closeAfterTest(await startServer(env), (s) => s.close());
}
/** Tokens by board id, so tests read like before: client(server, boardId). */
const tokens = new Map<string, string>();
async function board(s: TestServer, body?: Record<string, unknown>) {
  const created = await createBoard(s.http, body);
  tokens.set(created.id, created.tokens.editor);
  return created;
}
function client(s: TestServer, boardId: string) {
  const c = connectClient(s.ws, boardId, tokens.get(boardId) ?? '');
  return closeAfterTest(c, (c) => c.destroy());
}
const baselineId = (doc: Y.Doc) => readBoard(doc).scenarios[0]!.id;
const conversion = (doc: Y.Doc) => readBoard(doc).scenarios[0]!.values.conversionRate;

describe('Yjs endpoint', () => {
  it('S1: two clients converge on each other’s edits', async () => {
    const s = await start();
    const { id } = await board(s);
    const a = client(s, id);
    const b = client(s, id);
    await Promise.all([a.synced, b.synced]);
    expect(readBoard(a.doc).scenarios).toHaveLength(1);
    setAssumption(a.doc, baselineId(a.doc), 'conversionRate', 5);
    setAssumption(b.doc, baselineId(b.doc), 'trainingOutput', 120000);
    await waitFor(() => conversion(b.doc) === 5, 'B to see A’s edit');
    await waitFor(
      () => readBoard(a.doc).scenarios[0]!.values.trainingOutput === 120000,
      'A to see B’s edit',
    );
    // The server's decision-log entries follow each edit: wait until both hold everything.
    const same = () =>
      Buffer.from(Y.encodeStateAsUpdate(a.doc)).equals(Buffer.from(Y.encodeStateAsUpdate(b.doc)));
    await waitFor(same, 'identical documents');
    expect(readLog(a.doc)).toHaveLength(2);
  });

  it('S2: joiners with nothing get the whole board, and the copy they share is refreshed when it changes', async () => {
    const s = await start();
    const { id } = await board(s);
    /** The sync step 2 a raw client gets for an empty state vector, decoded into a doc. */
    const join = async () => {
      const raw = await rawSocket(s.ws, id, tokens.get(id));
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0); // sync
      encoding.writeVarUint(encoder, 0); // step 1
      encoding.writeVarUint8Array(encoder, Y.encodeStateVector(new Y.Doc()));
      raw.ws.send(encoding.toUint8Array(encoder));
      const isStep2 = (m: Uint8Array) => m[0] === 0 && m[1] === 1;
      await waitFor(() => raw.messages.some(isStep2), 'sync step 2');
      raw.ws.close();
      return raw.messages.find(isStep2)!;
    };
    const first = await join();
    expect(Buffer.from(await join()).equals(Buffer.from(first))).toBe(true);
    const a = client(s, id);
    await a.synced;
    setAssumption(a.doc, baselineId(a.doc), 'conversionRate', 6);
    await waitFor(() => s.server.hub.isLoaded(id), 'loaded');
    let after = first;
    const deadline = Date.now() + 5000;
    while (Buffer.from(after).equals(Buffer.from(first)) && Date.now() < deadline)
      after = await join();
    const doc = new Y.Doc();
    const decoder = decoding.createDecoder(after);
    decoding.readVarUint(decoder);
    decoding.readVarUint(decoder);
    Y.applyUpdate(doc, decoding.readVarUint8Array(decoder));
    expect(conversion(doc)).toBe(6);
  });

  it('S2: a joiner is sent the whole board before it asks; its sync step 1 is answered with only what changed since', async () => {
    const s = await start();
    const { id } = await board(s, { title: 'Greeted' });
    const raw = await rawSocket(s.ws, id, tokens.get(id));
    const isStep2 = (m: Uint8Array) => m[0] === 0 && m[1] === 1;
    const payload = (m: Uint8Array) => {
      const decoder = decoding.createDecoder(m);
      decoding.readVarUint(decoder);
      decoding.readVarUint(decoder);
      return decoding.readVarUint8Array(decoder);
    };
    await waitFor(() => raw.messages.some(isStep2), 'the board, unasked');
    const greeting = raw.messages.find(isStep2)!;
    const doc = new Y.Doc();
    Y.applyUpdate(doc, payload(greeting));
    expect(readBoard(doc).meta.title).toBe('Greeted');

    // Someone edits; then the raw client asks with an empty state vector, as a stock client's
    // first message does (sent when the socket opens, before it read anything).
    const a = client(s, id);
    await a.synced;
    setAssumption(a.doc, baselineId(a.doc), 'conversionRate', 7);
    await waitFor(() => raw.messages.some((m) => m[0] === 0 && m[1] === 2), 'the edit relayed');
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0); // sync
    encoding.writeVarUint(encoder, 0); // step 1
    encoding.writeVarUint8Array(encoder, Y.encodeStateVector(new Y.Doc()));
    raw.ws.send(encoding.toUint8Array(encoder));
    await waitFor(() => raw.messages.filter(isStep2).length === 2, 'the answer');
    const answer = raw.messages.filter(isStep2)[1]!;
    raw.ws.close();
    // The answer holds the edit, not the board again: with the greeting it is the whole board.
    expect(answer.length).toBeLessThan(greeting.length / 2);
    Y.applyUpdate(doc, payload(answer));
    expect(conversion(doc)).toBe(7);
    expect(readBoard(doc).meta.title).toBe('Greeted');
  });

  it('S2: a client that joins late receives the full state', async () => {
    const s = await start();
    const { id } = await board(s, { title: 'Late joiner' });
    const a = client(s, id);
    await a.synced;
    for (let i = 1; i <= 20; i++) setAssumption(a.doc, baselineId(a.doc), 'conversionRate', i);
    await waitFor(() => s.server.hub.isLoaded(id), 'board loaded');
    const late = client(s, id);
    await late.synced;
    await waitFor(() => conversion(late.doc) === 20, 'late joiner to have the last value');
    expect(readBoard(late.doc).meta.title).toBe('Late joiner');
  });

  it('S3: a restart keeps every edit that was stored', async () => {
    const dataDir = tempDir();
    const s1 = await start({ DATA_DIR: dataDir, COMPACT_AFTER_UPDATES: '5' });
    const { id } = await board(s1);
    const a = client(s1, id);
    const b = client(s1, id);
    await Promise.all([a.synced, b.synced]);
    for (let i = 1; i <= 12; i++)
      setAssumption(a.doc, baselineId(a.doc), 'trainingOutput', i * 1000);
    await waitFor(
      () => readBoard(b.doc).scenarios[0]!.values.trainingOutput === 12000,
      'B sees the edits',
    );
    a.destroy();
    b.destroy();
    await s1.close();
    const s2 = await start({ DATA_DIR: dataDir });
    const c = client(s2, id);
    await c.synced;
    await waitFor(
      () => readBoard(c.doc).scenarios[0]!.values.trainingOutput === 12000,
      'state after restart',
    );
  });

  it('S4: a truncated frame closes only that connection; the board carries on', async () => {
    const s = await start();
    const { id } = await board(s);
    const a = client(s, id);
    const b = client(s, id);
    await Promise.all([a.synced, b.synced]);
    const bad = await rawSocket(s.ws, id, tokens.get(id));
    // sync message, "update" step, then a length prefix promising 200 bytes that never come
    bad.ws.send(new Uint8Array([0, 2, 200, 1, 1, 2]));
    expect((await bad.closed).code).toBe(CloseCode.malformed);
    setAssumption(a.doc, baselineId(a.doc), 'conversionRate', 7);
    await waitFor(() => conversion(b.doc) === 7, 'B still receives A’s edits');
  });

  it('S4: unknown message types and text frames close with 4400', async () => {
    const s = await start();
    const { id } = await board(s);
    const unknownType = await rawSocket(s.ws, id, tokens.get(id));
    unknownType.ws.send(new Uint8Array([42, 0]));
    expect((await unknownType.closed).code).toBe(CloseCode.malformed);
    const text = await rawSocket(s.ws, id, tokens.get(id));
    text.ws.send('hello');
    expect((await text.closed).code).toBe(CloseCode.malformed);
  });

  it('S4: a message over the size limit closes with 1009; others are unaffected', async () => {
    const s = await start({ MAX_MESSAGE_BYTES: '4096' });
    const { id } = await board(s);
    const a = client(s, id);
    const b = client(s, id);
    await Promise.all([a.synced, b.synced]);
    const big = await rawSocket(s.ws, id, tokens.get(id));
    big.ws.send(new Uint8Array(10_000));
    expect((await big.closed).code).toBe(CloseCode.messageTooBig);
    setAssumption(a.doc, baselineId(a.doc), 'conversionRate', 3);
    await waitFor(() => conversion(b.doc) === 3, 'B still receives A’s edits');
  });

  it('S4: a flood closes with 4429', async () => {
    const s = await start({ RATE_LIMIT_PER_SECOND: '10', RATE_LIMIT_BURST: '20' });
    const { id } = await board(s);
    const flood = await rawSocket(s.ws, id, tokens.get(id));
    const queryAwareness = new Uint8Array([3]);
    for (let i = 0; i < 100; i++) flood.ws.send(queryAwareness);
    expect((await flood.closed).code).toBe(CloseCode.rateLimited);
  });

  it('S4: an unknown board closes with 4404', async () => {
    const s = await start();
    const { token } = await board(s);
    const sock = await rawSocket(s.ws, 'doesnotexist1', token);
    expect((await sock.closed).code).toBe(CloseCode.boardNotFound);
  });

  it('S5: an out-of-range value from a hand-made client is refused, not relayed, and corrected', async () => {
    const s = await start();
    const { id } = await board(s);
    const honest = client(s, id);
    const rogue = client(s, id);
    await Promise.all([honest.synced, rogue.synced]);
    const before = conversion(honest.doc);
    // Bypass setAssumption's clamping: write the raw map as a hand-made client would.
    const values = rogue.doc
      .getMap<Y.Map<unknown>>('scenarios')
      .get(baselineId(rogue.doc))!
      .get('values') as Y.Map<number>;
    values.set('conversionRate', 999);
    // The rogue is brought back to the true state...
    await waitFor(
      () => conversion(rogue.doc) === before && values.get('conversionRate') === before,
      'correction',
    );
    // ...and a later valid edit from the same client still goes through.
    setAssumption(rogue.doc, baselineId(rogue.doc), 'conversionRate', 4);
    await waitFor(() => conversion(honest.doc) === 4, 'valid edit after a refusal');
    expect(values.get('conversionRate')).toBe(4);
    const honestValues = readScenario(honest.doc, baselineId(honest.doc))!.values;
    expect(honestValues.conversionRate).toBe(4);
    // The refused value never reached the server's document or storage.
    const stored = await s.server.hub.withBoard(id, (b) => b.counters);
    expect(stored!.refused).toBeGreaterThanOrEqual(1);
  });

  it('S5: non-finite numbers and unknown fields are refused', async () => {
    const s = await start();
    const { id } = await board(s);
    const watcher = client(s, id);
    const rogue = client(s, id);
    await Promise.all([watcher.synced, rogue.synced]);
    const scenario = rogue.doc.getMap<Y.Map<unknown>>('scenarios').get(baselineId(rogue.doc))!;
    const values = scenario.get('values') as Y.Map<number>;
    let relayedBad = false;
    watcher.doc.on('update', () => {
      const v = readScenario(watcher.doc, baselineId(watcher.doc));
      const raw = (
        watcher.doc.getMap<Y.Map<unknown>>('scenarios').get(v!.id)!.get('values') as Y.Map<unknown>
      ).get('trainingOutput');
      if (typeof raw !== 'number' || !Number.isFinite(raw)) relayedBad = true;
    });
    values.set('trainingOutput', Number.NaN);
    values.set('trainingOutput', Number.POSITIVE_INFINITY);
    scenario.set('hack', 'x');
    rogue.doc.getMap('unexpected').set('a', 1);
    await waitFor(() => (s.server.hub.isLoaded(id) ? true : false), 'loaded');
    const refused = async () => (await s.server.hub.withBoard(id, (b) => b.counters.refused)) ?? 0;
    const start2 = Date.now();
    while ((await refused()) < 3 && Date.now() - start2 < 5000)
      await new Promise((r) => setTimeout(r, 20));
    expect(await refused()).toBeGreaterThanOrEqual(3);
    await waitFor(() => Number.isFinite(values.get('trainingOutput')), 'rogue corrected');
    expect(relayedBad).toBe(false);
    const serverState = await s.server.hub.withBoard(id, (b) => readBoard(b.doc));
    expect(serverState!.scenarios[0]!.values.trainingOutput).toBe(40000);
  });

  it('in a large room, updates committed in one turn of the server are relayed as one merged message, to the sender too (it lacks the decision log written with them)', async () => {
    const s = await start();
    const { id } = await board(s);
    const watcher = client(s, id);
    await watcher.synced;
    // A plenary-sized room: small rooms are relayed update by update.
    const room = await Promise.all(
      Array.from({ length: RELAY_MERGE_MIN_PEERS }, () => rawSocket(s.ws, id, tokens.get(id))),
    );
    // The watcher's own socket: count the document updates the server relays to it.
    const relayed: Uint8Array[] = [];
    const socket = (
      watcher.provider as unknown as { ws: { addEventListener: WebSocket['addEventListener'] } }
    ).ws;
    socket.addEventListener('message', (event: MessageEvent) => {
      const m = new Uint8Array(event.data as ArrayBuffer);
      if (m[0] === 0 && m[1] === 2) relayed.push(m);
    });
    // A hand-made editor sends 20 edits in one go (one write each, in one tick of its loop).
    const sender = await rawSocket(s.ws, id, tokens.get(id));
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(watcher.doc));
    const frames: Uint8Array[] = [];
    copy.on('update', (update: Uint8Array) => {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0);
      encoding.writeVarUint(encoder, 2);
      encoding.writeVarUint8Array(encoder, update);
      frames.push(encoding.toUint8Array(encoder));
    });
    for (let i = 1; i <= 20; i++) setAssumption(copy, baselineId(copy), 'trainingOutput', 1000 * i);
    const before = sender.messages.length;
    for (const frame of frames) sender.ws.send(frame);
    await waitFor(
      () => readBoard(watcher.doc).scenarios[0]!.values.trainingOutput === 20_000,
      'the last edit',
    );
    // Fewer messages than edits: the server merged what arrived together. Nothing was lost: the
    // watcher holds every one of the sender's 20 changes.
    expect(relayed.length).toBeGreaterThan(0);
    expect(relayed.length).toBeLessThan(20);
    expect(Y.decodeStateVector(Y.encodeStateVector(watcher.doc)).get(copy.clientID)).toBe(
      Y.decodeStateVector(Y.encodeStateVector(copy)).get(copy.clientID),
    );
    // The sender got the decision log's entries (server-written, stored with each edit as one
    // update), merged like everyone's: fewer messages than edits, and the log's structs in them.
    const backToSender = sender.messages.slice(before).filter((m) => m[0] === 0 && m[1] === 2);
    expect(backToSender.length).toBeGreaterThan(0);
    expect(backToSender.length).toBeLessThan(20);
    const writers = new Set<number>();
    for (const m of backToSender) {
      const decoder = decoding.createDecoder(m);
      decoding.readVarUint(decoder);
      decoding.readVarUint(decoder);
      const { structs } = Y.decodeUpdate(decoding.readVarUint8Array(decoder));
      for (const struct of structs) writers.add(struct.id.client);
    }
    expect([...writers].some((client) => client !== copy.clientID)).toBe(true);
    sender.ws.close();
    for (const r of room) r.ws.close();
  });

  it('presence: awareness states reach the other client and leave with it', async () => {
    const s = await start();
    const { id } = await board(s);
    const a = client(s, id);
    const b = client(s, id);
    await Promise.all([a.synced, b.synced]);
    // `user` is set by the server (test/presence.test.ts); the rest is the client's.
    a.provider.awareness.setLocalStateField('scenarioId', 'viewed-by-ayesha');
    await waitFor(
      () =>
        [...b.provider.awareness.getStates().values()].some(
          (st) => st.scenarioId === 'viewed-by-ayesha',
        ),
      'B to see A’s presence',
    );
    const aId = a.doc.clientID;
    a.destroy();
    await waitFor(() => !b.provider.awareness.getStates().has(aId), 'A’s presence to go');
  });

  it('a board unloads from memory after its last client leaves, and reloads intact', async () => {
    const s = await start({ IDLE_UNLOAD_MS: '50' });
    const { id } = await board(s);
    const a = client(s, id);
    await a.synced;
    setAssumption(a.doc, baselineId(a.doc), 'servicesShare', 55);
    await waitFor(() => s.server.hub.isLoaded(id), 'loaded');
    await new Promise((r) => setTimeout(r, 50));
    a.destroy();
    await waitFor(() => !s.server.hub.isLoaded(id), 'unloaded');
    const b = client(s, id);
    await b.synced;
    await waitFor(
      () => readBoard(b.doc).scenarios[0]?.values.servicesShare === 55,
      'state after reload',
    );
  });

  it('messages sent while the board loads are queued, not lost; concurrent loads share one', async () => {
    // Storage whose loads take 300 ms, so the first messages surely arrive mid-load.
    let loads = 0;
    class SlowStorage extends MemoryStorage {
      override async loadDocument(boardId: string) {
        loads++;
        await new Promise((r) => setTimeout(r, 300));
        return super.loadDocument(boardId);
      }
    }
    const memory = new SlowStorage();
    const slow: BoardStorage = memory;
    const s = await startServer({ IDLE_UNLOAD_MS: '60000' }, slow);
    closeAfterTest(s, (s) => s.close());
    const { id } = await board(s);
    const stored = (await MemoryStorage.prototype.loadDocument.call(memory, id))!;
    const copy = new Y.Doc();
    for (const u of stored.updates) Y.applyUpdate(copy, u);
    const sv = Y.encodeStateVector(copy);
    setAssumption(copy, baselineId(copy), 'placementRate', 77);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    encoding.writeVarUint(encoder, 2);
    encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(copy, sv));
    const [raw, watcher] = await Promise.all([
      rawSocket(s.ws, id, tokens.get(id)),
      Promise.resolve(client(s, id)),
    ]);
    raw.ws.send(encoding.toUint8Array(encoder));
    expect(s.server.hub.isLoaded(id)).toBe(false);
    await watcher.synced;
    await waitFor(
      () => readBoard(watcher.doc).scenarios[0]?.values.placementRate === 77,
      'queued update applied',
    );
    expect(loads).toBe(1);
    raw.ws.close();
  });
});
