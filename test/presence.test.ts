/**
 * Presence (Yjs awareness) against a real server with hand-made awareness frames:
 *   P1 a state over PRESENCE_STATE_MAX_BYTES is not relayed, and a connection that keeps sending
 *      refused states is closed (4423);
 *   P2 a state claiming someone else's identity is relayed with the sender's server-known one;
 *   P3 invalid shapes are refused, normal presence converges between stock clients;
 *   P4, P5 a tab that reconnects is seen again at once, also while its old connection is open.
 */
import { describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type WebSocket from 'ws';
import { CloseCode, PRESENCE_STATE_MAX_BYTES, YMessage } from '../lib/protocol';
import type { ParticipantIdentity } from '../lib/protocol';
import {
  connectClient,
  createBoard,
  issueCredential,
  rawSocket,
  startServer,
  waitFor,
  type TestClient,
} from './helpers';
import { closeAfterTest } from './teardown';

interface AwarenessEntry {
  clientId: number;
  clock: number;
  json: string;
}

/** A y-websocket awareness message, as the stock client encodes it. */
function awarenessFrame(entries: AwarenessEntry[]): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(inner, e.clientId);
    encoding.writeVarUint(inner, e.clock);
    encoding.writeVarString(inner, e.json);
  }
  const outer = encoding.createEncoder();
  encoding.writeVarUint(outer, YMessage.awareness);
  encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner));
  return encoding.toUint8Array(outer);
}

/** Every awareness entry in the messages a raw socket received. */
function awarenessEntries(messages: Uint8Array[]): AwarenessEntry[] {
  const out: AwarenessEntry[] = [];
  for (const m of messages) {
    const d = decoding.createDecoder(m);
    if (decoding.readVarUint(d) !== YMessage.awareness) continue;
    const inner = decoding.createDecoder(decoding.readVarUint8Array(d));
    const n = decoding.readVarUint(inner);
    for (let i = 0; i < n; i++) {
      out.push({
        clientId: decoding.readVarUint(inner),
        clock: decoding.readVarUint(inner),
        json: decoding.readVarString(inner),
      });
    }
  }
  return out;
}

async function setup() {
  const s = closeAfterTest(await startServer(), (s) => s.close());
  const board = await createBoard(s.http);
  const open = async (token = board.tokens.editor) => {
    const socket = await rawSocket(s.ws, board.id, token);
    closeAfterTest(socket.ws, (ws) => ws.terminate());
    return socket;
  };
  /** The participants the server knows for the board's connections. */
  const participants = async () =>
    (await s.server.hub.withBoard(board.id, (b) => [...b.peers].map((p) => p.participant))) ?? [];
  /** Wait until the server has attached `n` connections to the board; their participants. */
  const joined = async (n: number) => {
    const deadline = Date.now() + 5000;
    for (;;) {
      const list = await participants();
      if (list.length === n) return list;
      if (Date.now() > deadline) throw new Error(`expected ${n} connections, have ${list.length}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { s, board, open, participants, joined };
}

const send = (ws: WebSocket, frame: Uint8Array) =>
  new Promise<void>((resolve, reject) => ws.send(frame, (err) => (err ? reject(err) : resolve())));

describe('presence', () => {
  it('P1: a 900 KB state is not relayed, and a sender that keeps trying is closed (4423)', async () => {
    const { open } = await setup();
    const observer = await open();
    const attacker = await open();
    const big = JSON.stringify({ scenarioId: 'x'.repeat(900 * 1024) });
    const small = JSON.stringify({ scenarioId: 'sc1' });
    await send(attacker.ws, awarenessFrame([{ clientId: 77, clock: 1, json: big }]));
    // Presence is batched (100 ms): wait past a batch so the big state is not simply coalesced
    // away, then send a valid one; once that arrives the big one would have, had it been relayed.
    await new Promise((r) => setTimeout(r, 300));
    await send(attacker.ws, awarenessFrame([{ clientId: 77, clock: 2, json: small }]));
    await waitFor(
      () => awarenessEntries(observer.messages).some((e) => e.clientId === 77 && e.clock === 2),
      'the valid state to reach the observer',
    );
    const relayed = awarenessEntries(observer.messages).filter((e) => e.clientId === 77);
    expect(relayed.map((e) => e.clock)).toEqual([2]);
    expect(Math.max(...relayed.map((e) => e.json.length))).toBeLessThanOrEqual(
      PRESENCE_STATE_MAX_BYTES,
    );

    for (let clock = 3; clock <= 6 && attacker.ws.readyState === attacker.ws.OPEN; clock++)
      await send(attacker.ws, awarenessFrame([{ clientId: 77, clock, json: big }])).catch(() => {});
    const closed = await Promise.race([
      attacker.closed,
      new Promise<{ code: number; reason: string }>((r) =>
        setTimeout(() => r({ code: 0, reason: 'still open after 3 s' }), 3000),
      ),
    ]);
    expect(closed.code).toBe(CloseCode.invalidPresence);
    expect(closed.reason).toMatch(/presence/);
    // The observer is unaffected and never saw a big state.
    expect(observer.ws.readyState).toBe(observer.ws.OPEN);
    expect(awarenessEntries(observer.messages).every((e) => e.json.length <= 4096)).toBe(true);
  });

  it('P2: a state naming another participant is relayed with the sender’s server-known identity', async () => {
    const { open, joined } = await setup();
    const observer = await open();
    const before = new Set((await joined(1)).map((p) => p.id));
    const attacker = await open();
    const attackerIdentity = (await joined(2)).find((p) => !before.has(p.id))!;
    const victim: ParticipantIdentity = {
      id: 'pvictim000000000',
      name: 'Maria (moderator)',
      color: '#dc2626',
    };
    const forged = {
      user: victim,
      participantId: 'pvictimvictimvic',
      editing: { scenarioId: 'sc1', assumptionId: 'conversionRate' },
    };
    await send(
      attacker.ws,
      awarenessFrame([{ clientId: 91, clock: 1, json: JSON.stringify(forged) }]),
    );
    await waitFor(
      () => awarenessEntries(observer.messages).some((e) => e.clientId === 91),
      'the state to be relayed',
    );
    const state = JSON.parse(
      awarenessEntries(observer.messages).find((e) => e.clientId === 91)!.json,
    ) as Record<string, unknown>;
    expect(state.user).toEqual({
      id: attackerIdentity.id,
      name: attackerIdentity.name,
      color: attackerIdentity.color,
    });
    expect(state.participantId).toBe(attackerIdentity.id);
    expect(state.editing).toEqual(forged.editing); // the rest of the state is kept
    expect(JSON.stringify(observer.messages.map((m) => [...m]))).not.toContain('Maria');
  });

  it('P3: states of the wrong shape are refused; a valid one after them still goes through', async () => {
    const { open } = await setup();
    const observer = await open();
    const sender = await open();
    const invalid = ['{"scenarioId": 5}', '{"unknownKey": true}', 'not json'];
    for (const [i, json] of invalid.entries())
      await send(sender.ws, awarenessFrame([{ clientId: 50 + i, clock: 1, json }]));
    await send(
      sender.ws,
      awarenessFrame([{ clientId: 60, clock: 1, json: '{"scenarioId":"sc"}' }]),
    );
    await waitFor(
      () => awarenessEntries(observer.messages).some((e) => e.clientId === 60),
      'the valid state',
    );
    expect(awarenessEntries(observer.messages).filter((e) => e.clientId < 60)).toEqual([]);
    expect(sender.ws.readyState).toBe(sender.ws.OPEN); // three refusals are within the allowance
  });

  it('P3: stock clients see each other’s presence (editing, viewing) under server-known names', async () => {
    const { s, board, joined } = await setup();
    const a = connectClient(s.ws, board.id, board.tokens.editor);
    const b = connectClient(s.ws, board.id, board.tokens.editor);
    closeAfterTest(a, (c) => c.destroy());
    closeAfterTest(b, (c) => c.destroy());
    await Promise.all([a.synced, b.synced]);
    const editing = { scenarioId: 'sc1', assumptionId: 'conversionRate' };
    a.provider.awareness.setLocalStateField('user', { name: 'Ayesha', color: '#2563eb' });
    a.provider.awareness.setLocalStateField('editing', editing);
    b.provider.awareness.setLocalStateField('scenarioId', 'sc2');
    const stateOf = (seer: TestClient, of: TestClient) =>
      seer.provider.awareness.getStates().get(of.doc.clientID) as
        { user?: ParticipantIdentity; editing?: unknown; scenarioId?: unknown } | undefined;
    await waitFor(
      () => JSON.stringify(stateOf(b, a)?.editing) === JSON.stringify(editing),
      'B sees A',
    );
    await waitFor(() => stateOf(a, b)?.scenarioId === 'sc2', 'A sees B');
    const known = (await joined(2)).map((p) => p.id);
    expect(known).toContain(stateOf(b, a)!.user!.id);
    expect(known).toContain(stateOf(a, b)!.user!.id);
    expect(stateOf(b, a)!.user!.id).not.toBe(stateOf(a, b)!.user!.id);
  });

  it('P4: someone who reconnects (same awareness id and clock) is seen again at once', async () => {
    // A tab that reconnects keeps its awareness id and clock, one behind the tombstone its old
    // connection left: without being told of the tombstone its next state read as stale.
    const { s, board } = await setup();
    const { credential } = await issueCredential(s.http, board.id, board.tokens.editor, 'Bilal');
    const bilal = connectClient(s.ws, board.id, credential);
    const amina = connectClient(s.ws, board.id, board.tokens.editor);
    closeAfterTest(bilal, (c) => c.destroy());
    closeAfterTest(amina, (c) => c.destroy());
    await Promise.all([bilal.synced, amina.synced]);
    const seenBy = (c: TestClient) => c.provider.awareness.getStates().get(bilal.doc.clientID);
    bilal.provider.awareness.setLocalStateField('scenarioId', 'first');
    await waitFor(() => seenBy(amina)?.scenarioId === 'first', 'first state');
    bilal.provider.disconnect();
    await waitFor(() => seenBy(amina) === undefined, 'gone after the disconnect');
    bilal.provider.connect();
    await waitFor(() => bilal.provider.wsconnected, 'reconnected');
    bilal.provider.awareness.setLocalStateField('scenarioId', 'second');
    await waitFor(() => seenBy(amina)?.scenarioId === 'second', 'seen again after reconnecting');
    expect((seenBy(amina)?.user as { name?: string } | undefined)?.name).toBe('Bilal');
  });

  it('P5: a tab back on a new connection while its old one is still open moves its presence over', async () => {
    // After a venue's network drops, a phone's old connection stays open on the server (half-open)
    // until the heartbeat finds it, up to a minute; its new one must not be taken for an echo.
    const { s, board, open } = await setup();
    const { credential } = await issueCredential(s.http, board.id, board.tokens.editor, 'Bilal');
    const observer = await open();
    const seen = (clock: number) =>
      awarenessEntries(observer.messages).find((e) => e.clientId === 55 && e.clock === clock);
    const old = await open(credential);
    const state = (scenarioId: string) => JSON.stringify({ scenarioId });
    await send(old.ws, awarenessFrame([{ clientId: 55, clock: 1, json: state('first') }]));
    await waitFor(() => seen(1) !== undefined, 'the first state');
    const back = await open(credential);
    await send(back.ws, awarenessFrame([{ clientId: 55, clock: 2, json: state('second') }]));
    await waitFor(() => seen(2) !== undefined, 'the state sent on the new connection');
    expect(JSON.parse(seen(2)!.json)).toMatchObject({
      scenarioId: 'second',
      user: { name: 'Bilal' },
    });
    expect(old.ws.readyState).toBe(old.ws.OPEN);
    // Someone else cannot take the id over, however new their clock.
    const other = await open();
    await send(other.ws, awarenessFrame([{ clientId: 55, clock: 9, json: state('stolen') }]));
    await send(back.ws, awarenessFrame([{ clientId: 55, clock: 3, json: state('third') }]));
    await waitFor(() => seen(3) !== undefined, 'the next state');
    expect(seen(9)).toBeUndefined();
  });
});
