/**
 * The presence relay for a crowd (issue 12): viewers' states are never relayed, echoes are
 * skipped without decoding, and the batch interval grows with the room.
 */
import { describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { PresenceRelay, presenceBatchMs, type PresenceOwner } from './presence';

const owner = (n: number, role: 'editor' | 'viewer'): PresenceOwner => ({
  participant: { id: `p${String(n).padStart(15, '0')}`, name: `P${n}`, color: '#123456' },
  role,
});

/** An awareness update as the stock client encodes it; `raw` states are sent as given bytes. */
function update(entries: { id: number; clock: number; state?: unknown; raw?: Uint8Array }[]) {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, entries.length);
  for (const x of entries) {
    encoding.writeVarUint(e, x.id);
    encoding.writeVarUint(e, x.clock);
    encoding.writeVarUint8Array(e, x.raw ?? new TextEncoder().encode(JSON.stringify(x.state)));
  }
  return encoding.toUint8Array(e);
}

const idsIn = (u: Uint8Array) => {
  const d = decoding.createDecoder(u);
  const n = decoding.readVarUint(d);
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(decoding.readVarUint(d));
    decoding.readVarUint(d);
    decoding.readVarString(d);
  }
  return ids;
};

describe('PresenceRelay for a crowd', () => {
  it('one connection with one, then two, then eight ids: all go when it leaves, a ninth is refused', () => {
    const sent: Uint8Array[] = [];
    const relay = new PresenceRelay(50, (u) => sent.push(u));
    const tab = owner(1, 'editor');
    // Ownership is kept as a single id until a second one comes (memory, issue 12).
    relay.receive(tab, update([{ id: 10, clock: 1, state: {} }]));
    relay.receive(tab, update([{ id: 10, clock: 2, state: {} }]));
    for (let id = 11; id <= 18; id++) relay.receive(tab, update([{ id, clock: 1, state: {} }]));
    relay.flush();
    expect(idsIn(relay.snapshot()!)).toEqual([10, 11, 12, 13, 14, 15, 16, 17]);
    sent.length = 0;
    relay.disconnect(tab);
    relay.flush();
    expect(sent.flatMap(idsIn).sort((a, b) => a - b)).toEqual([10, 11, 12, 13, 14, 15, 16, 17]);
    expect(relay.size).toBe(0);
    relay.destroy();
  });

  it('relays editors’ states, keeps viewers’ to themselves (the roster counts them)', () => {
    const sent: Uint8Array[] = [];
    const relay = new PresenceRelay(50, (u) => sent.push(u));
    const editor = owner(1, 'editor');
    const viewers = Array.from({ length: 20 }, (_, i) => owner(100 + i, 'viewer'));
    relay.receive(editor, update([{ id: 1, clock: 1, state: { scenarioId: 's1' } }]));
    viewers.forEach((v, i) =>
      relay.receive(v, update([{ id: 100 + i, clock: 1, state: { scenarioId: 's1' } }])),
    );
    relay.flush();
    expect(sent.flatMap(idsIn)).toEqual([1]);
    expect(idsIn(relay.snapshot()!)).toEqual([1]);
    // A viewer leaving is news to nobody.
    sent.length = 0;
    relay.disconnect(viewers[0]!);
    relay.flush();
    expect(sent).toEqual([]);
    // ...but the viewer itself, back, is told its tombstone (so the stock client resends).
    expect(idsIn(relay.snapshot(viewers[0]!.participant.id)!)).toEqual([1, 100]);
    relay.destroy();
  });

  it('skips the stock client’s echo of others’ states without decoding them (O(1) each)', () => {
    const relay = new PresenceRelay(50, () => {});
    const a = owner(1, 'editor');
    const b = owner(2, 'editor');
    relay.receive(a, update([{ id: 1, clock: 1, state: { scenarioId: 's1' } }]));
    // B echoes A's entry; the bytes are not even JSON: decoding them would count a refusal.
    const garbage = new Uint8Array(PRESENCE_LIMIT_PLUS_ONE).fill(0xff);
    const receipt = relay.receive(b, update([{ id: 1, clock: 2, raw: garbage }]));
    expect(receipt).toEqual({ accepted: 0, refused: 0, abusive: false });
    expect(relay.counters.refused).toBe(0);
    relay.destroy();
  });

  it('gathers presence longer as the room grows, within bounds', () => {
    expect(presenceBatchMs(100, 10)).toBe(105);
    expect(presenceBatchMs(100, 400)).toBe(300);
    expect(presenceBatchMs(100, 1000)).toBe(500);
    expect(presenceBatchMs(100, 100_000)).toBe(500);
  });

  it('a client back on a new connection takes its id over at the clock of its departure mark', () => {
    const sent: Uint8Array[] = [];
    const relay = new PresenceRelay(50, (u) => sent.push(u));
    const first = owner(1, 'editor');
    relay.receive(first, update([{ id: 7, clock: 5, state: { scenarioId: 's1' } }]));
    relay.disconnect(first); // the server marks id 7 gone: null at clock 6
    const second = { ...owner(1, 'editor') };
    // The client's next change carries clock 6, the same as the mark: it is taken.
    const taken = relay.receive(second, update([{ id: 7, clock: 6, state: { scenarioId: 's2' } }]));
    expect(taken.accepted).toBe(1);
    relay.flush();
    expect(idsIn(relay.snapshot()!)).toEqual([7]);
    // An echo of the mark itself (null at clock 6) from someone else changes nothing.
    const other = owner(2, 'editor');
    expect(relay.receive(other, update([{ id: 7, clock: 6, state: null }])).accepted).toBe(0);
    expect(idsIn(relay.snapshot()!)).toEqual([7]);
    relay.destroy();
  });

  it('a tab back on a new connection while its old one is still open (half-open) takes its id over', () => {
    const sent: Uint8Array[] = [];
    const relay = new PresenceRelay(50, (u) => sent.push(u));
    const stateOf = (clientId: number) => {
      const present = relay.snapshot();
      if (!present) return null;
      const d = decoding.createDecoder(present);
      const n = decoding.readVarUint(d);
      for (let i = 0; i < n; i++) {
        const id = decoding.readVarUint(d);
        const clock = decoding.readVarUint(d);
        const json = decoding.readVarString(d);
        if (id === clientId) return { clock, state: JSON.parse(json) as unknown };
      }
      return null;
    };
    const old = owner(1, 'editor');
    relay.receive(old, update([{ id: 7, clock: 5, state: { scenarioId: 's1' } }]));
    const back = { ...owner(1, 'editor') }; // the same person, a new connection
    // Its first message repeats the clock it had: as an echo would, so it changes nothing yet.
    expect(
      relay.receive(back, update([{ id: 7, clock: 5, state: { scenarioId: 's1' } }])).accepted,
    ).toBe(0);
    // Its next change (or the stock client's renewal within 15 s) is newer: the id moves over.
    expect(
      relay.receive(back, update([{ id: 7, clock: 6, state: { scenarioId: 's2' } }])).accepted,
    ).toBe(1);
    expect(stateOf(7)).toMatchObject({ clock: 6, state: { scenarioId: 's2' } });
    // Someone else's newer claim to the id is still an echo, never a takeover.
    const other = owner(2, 'editor');
    expect(
      relay.receive(other, update([{ id: 7, clock: 9, state: { scenarioId: 's3' } }])).accepted,
    ).toBe(0);
    // The old connection's heartbeat finally finds it dead: the id stays present, with the new one.
    relay.disconnect(old);
    expect(stateOf(7)).toMatchObject({ clock: 6, state: { scenarioId: 's2' } });
    relay.receive(back, update([{ id: 7, clock: 7, state: { scenarioId: 's4' } }]));
    expect(stateOf(7)).toMatchObject({ clock: 7, state: { scenarioId: 's4' } });
    // ... and it goes when the new connection goes.
    relay.disconnect(back);
    expect(stateOf(7)).toBeNull();
    relay.destroy();
  });
});

const PRESENCE_LIMIT_PLUS_ONE = 4097;
