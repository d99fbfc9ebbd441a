/**
 * T9: the update pipeline against arbitrary updates (fast-check, seeded on CI). 10,000 updates a
 * run, made from random operations on a copy of the board — known and unknown roots, keys and
 * values (BigInt, binary, NaN, nested objects, Yjs maps, arrays and text), deletions, "insert
 * then delete", updates that build on earlier (refused) ones, merged and replayed updates,
 * corrupted bytes — and sent over a real socket to a real server on SQLite, from a viewer or an
 * editor. After every update:
 *   - a viewer's update never changed the board, in memory or in storage;
 *   - an editor's never changed moderator-owned parts or broke an invariant;
 *   - the probe matches the document, and nothing the server did threw;
 * and the server still answers at the end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { YMessage } from '../lib/protocol';
import { ROOT, defineRoots } from '../lib/board/layout';
import { addScenario } from '../lib/board/scenarios';
import { readBoard } from '../lib/board/boardState';
import { invariantViolations } from '../lib/board/invariants';
import { ASSUMPTION_IDS } from '../lib/model';
import { createBoard, rawSocket, startServer, type CreatedBoard, type TestServer } from './helpers';

const VIEWER_RUNS = Number(process.env.PIPELINE_RUNS ?? 10_000) * 0.4;
const EDITOR_RUNS = Number(process.env.PIPELINE_RUNS ?? 10_000) * 0.6;

let s: TestServer;
let board: CreatedBoard;
const errors: unknown[] = [];

/** Each stretch of this many cases runs on a fresh board, so the harness stays fast. */
const CASES_PER_BOARD = 500;

async function freshBoard(): Promise<void> {
  board = await createBoard(s.http, { title: 'Property' });
  await s.server.hub.withBoard(board.id, (b) =>
    b.applyServerChange((doc) => {
      addScenario(doc, { name: 'Second' });
      doc.getMap(ROOT.locks).set('conversionRate', { by: 'Mo', at: 1 });
      doc.getMap(ROOT.bands).set('horizon', { low: 2030, high: 2035 });
      doc.getMap(ROOT.presenter).set('spotlight', 'horizon');
    }),
  );
}

beforeAll(async () => {
  s = await startServer({
    // Budgets high enough that one connection can be refused thousands of times.
    REFUSALS_BURST: '100000',
    RATE_LIMIT_BURST: '1000000',
    RATE_LIMIT_PER_SECOND: '100000',
  });
}, 30_000);
afterAll(async () => {
  await s.close();
});

// ---------------------------------------------------------------------------------------------
// Generators

const ROOTS = [...Object.values(ROOT), 'evil', '', 'meta2'];
const KEYS = [
  'title',
  'description',
  'frozen',
  'baselineScenarioId',
  'baselineOpen',
  'editPresentedOnly',
  'defaultLocale',
  'modelVersion',
  'createdAt',
  'name',
  'color',
  'notes',
  'values',
  'focus',
  'spotlight',
  ...ASSUMPTION_IDS.slice(0, 6),
  '__proto__',
  'x',
];

const plainValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(NaN, Infinity, -0, 1e308, 0.5),
  fc.string({ maxLength: 20 }),
  fc.constantFrom('x'.repeat(5000), '#2563eb', 'horizon'),
  fc.bigInt(),
  fc.uint8Array({ maxLength: 8 }),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 3 }),
  fc.constant(JSON.parse('{"__proto__":{"id":"pvictimvictimvic"},"by":{"name":"x"}}') as unknown),
);

type Op =
  | { kind: 'set'; root: string; key: string; value: unknown }
  | { kind: 'setNested'; scenario: number; field: string; value: unknown }
  | { kind: 'setType'; root: string; key: string; type: 'map' | 'array' | 'text' }
  | { kind: 'delete'; root: string; key: string }
  | { kind: 'deleteNested'; scenario: number; field: string }
  | { kind: 'order'; insert: boolean; value: unknown }
  | { kind: 'insertThenDelete'; root: string; key: string }
  | { kind: 'deleteScenario'; scenario: number }
  | { kind: 'newScenario'; id: string; withValues: boolean };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('set' as const),
    root: fc.constantFrom(...ROOTS),
    key: fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 8 })),
    value: plainValue,
  }),
  fc.record({
    kind: fc.constant('setNested' as const),
    scenario: fc.nat(3),
    field: fc.constantFrom(...KEYS),
    value: plainValue,
  }),
  fc.record({
    kind: fc.constant('setType' as const),
    root: fc.constantFrom(...ROOTS),
    key: fc.constantFrom(...KEYS),
    type: fc.constantFrom('map' as const, 'array' as const, 'text' as const),
  }),
  fc.record({
    kind: fc.constant('delete' as const),
    root: fc.constantFrom(...ROOTS),
    key: fc.constantFrom(...KEYS),
  }),
  fc.record({
    kind: fc.constant('deleteNested' as const),
    scenario: fc.nat(3),
    field: fc.constantFrom(...KEYS),
  }),
  fc.record({ kind: fc.constant('order' as const), insert: fc.boolean(), value: plainValue }),
  fc.record({
    kind: fc.constant('insertThenDelete' as const),
    root: fc.constantFrom(...ROOTS),
    key: fc.constantFrom(...KEYS),
  }),
  fc.record({ kind: fc.constant('deleteScenario' as const), scenario: fc.nat(3) }),
  fc.record({
    kind: fc.constant('newScenario' as const),
    id: fc.constantFrom('abcdef123456', 'x', 'ABC', '0123456789ab'),
    withValues: fc.boolean(),
  }),
);

/** How the update is made from the operations. */
const mode = fc.constantFrom(
  'fresh',
  'fresh',
  'fresh',
  'continued',
  'merged',
  'replayed',
  'corrupted',
);

const rootOf = (doc: Y.Doc, name: string) =>
  name === ROOT.scenarioOrder ? doc.getArray(name) : doc.getMap(name);

/** Apply one operation; one that Yjs itself rejects on the client (e.g. undefined in a list) is skipped. */
function apply(doc: Y.Doc, o: Op): void {
  try {
    applyOp(doc, o);
  } catch {
    // not an update anyone could send
  }
}

function applyOp(doc: Y.Doc, o: Op): void {
  const scenarioIds = [...doc.getMap(ROOT.scenarios).keys()];
  const scenario = (i: number) =>
    doc.getMap<Y.Map<unknown>>(ROOT.scenarios).get(scenarioIds[i % scenarioIds.length] ?? '');
  switch (o.kind) {
    case 'set': {
      const root = rootOf(doc, o.root);
      if (root instanceof Y.Map) root.set(o.key, o.value);
      else root.insert(0, [o.value]);
      return;
    }
    case 'setNested': {
      const target = scenario(o.scenario);
      const values = target?.get('values');
      if (o.field !== 'values' && values instanceof Y.Map && o.scenario % 2 === 0)
        values.set(o.field, o.value);
      else target?.set(o.field, o.value);
      return;
    }
    case 'setType': {
      const type =
        o.type === 'map' ? new Y.Map() : o.type === 'array' ? new Y.Array() : new Y.Text('t');
      const root = rootOf(doc, o.root);
      if (root instanceof Y.Map) root.set(o.key, type);
      else root.insert(0, [type]);
      return;
    }
    case 'delete': {
      const root = rootOf(doc, o.root);
      if (root instanceof Y.Map) root.delete(o.key);
      else if (root.length > 0) root.delete(0, 1);
      return;
    }
    case 'deleteNested': {
      const target = scenario(o.scenario);
      const values = target?.get('values');
      if (values instanceof Y.Map && o.scenario % 2 === 0) values.delete(o.field);
      else target?.delete(o.field);
      return;
    }
    case 'order': {
      const order = doc.getArray(ROOT.scenarioOrder);
      if (o.insert) order.insert(0, [o.value]);
      else if (order.length > 0) order.delete(0, 1);
      return;
    }
    case 'insertThenDelete': {
      const root = rootOf(doc, o.root);
      if (root instanceof Y.Map) {
        root.set(o.key, 'y'.repeat(2000));
        root.delete(o.key);
      }
      return;
    }
    case 'deleteScenario': {
      const id = scenarioIds[o.scenario % scenarioIds.length];
      if (id) doc.getMap(ROOT.scenarios).delete(id);
      return;
    }
    case 'newScenario': {
      const map = new Y.Map<unknown>();
      map.set('name', 'New');
      map.set('color', '#2563eb');
      map.set('createdAt', 1);
      if (o.withValues) map.set('values', new Y.Map());
      doc.getMap(ROOT.scenarios).set(o.id, map);
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The harness

async function serverState(): Promise<Uint8Array> {
  return (await s.server.hub.withBoard(board.id, (b) => Y.encodeStateAsUpdate(b.doc)))!;
}

function copyOf(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc({ gc: false });
  defineRoots(doc);
  Y.applyUpdate(doc, state);
  return doc;
}

/** Board content by root, as plain JSON (BigInt-safe: it must never hold one anyway). */
async function content() {
  return (await s.server.hub.withBoard(board.id, (b) =>
    Object.fromEntries(
      Object.values(ROOT).map((n) => [n, b.doc.share.get(n)!.toJSON() as unknown]),
    ),
  ))!;
}

async function storedBytes(): Promise<number> {
  const row = await s.server.hub.storage.loadDocument(board.id);
  return row!.updates.reduce((n, u) => n + u.length, 0);
}

function frame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, YMessage.sync);
  encoding.writeVarUint(encoder, 2);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

async function received(): Promise<number> {
  return (await s.server.hub.withBoard(board.id, (b) => b.counters.received))!;
}

/** Everyone may look, only the server writes these (moderator-owned, or the record). */
const MODERATOR_OWNED = (c: Record<string, unknown>) => {
  const meta = c[ROOT.meta] as Record<string, unknown>;
  return {
    locks: c[ROOT.locks],
    bands: c[ROOT.bands],
    presenter: c[ROOT.presenter],
    polls: c[ROOT.polls],
    frozen: meta.frozen,
    baselineScenarioId: meta.baselineScenarioId,
    baselineOpen: meta.baselineOpen,
    editPresentedOnly: meta.editPresentedOnly,
    defaultLocale: meta.defaultLocale,
    modelId: meta.modelId,
    modelVersion: meta.modelVersion,
    createdAt: meta.createdAt,
  };
};

function makeHarness(role: 'viewer' | 'editor') {
  let socket: Awaited<ReturnType<typeof rawSocket>> | null = null;
  const sent: Uint8Array[] = [];
  /** A client doc that lives across cases, so updates build on earlier, maybe refused, ones. */
  let continued: Y.Doc | null = null;
  let continuedSv: Uint8Array | null = null;
  let expected = 0;

  async function connect() {
    if (socket && socket.ws.readyState === 1) return socket;
    socket = await rawSocket(s.ws, board.id, board.tokens[role]);
    socket.ws.on('error', (err) => errors.push(err));
    // 4400 (a corrupt frame) is a fair answer; a server error (4500) never is.
    socket.ws.on('close', (code) => code === 4500 && errors.push(new Error('server error 4500')));
    return socket;
  }

  async function build(ops: Op[], how: string): Promise<Uint8Array> {
    if (how === 'replayed' && sent.length > 0) return sent[ops.length % sent.length]!;
    if (how === 'continued') {
      continued ??= copyOf(await serverState());
      Y.applyUpdate(continued, await serverState());
      continuedSv ??= Y.encodeStateVector(continued);
      for (const o of ops) continued.transact(() => apply(continued!, o));
      const update = Y.encodeStateAsUpdate(continued, continuedSv);
      continuedSv = Y.encodeStateVector(continued);
      return update;
    }
    const doc = copyOf(await serverState());
    const sv = Y.encodeStateVector(doc);
    const parts: Uint8Array[] = [];
    for (const o of ops) {
      const before = Y.encodeStateVector(doc);
      doc.transact(() => apply(doc, o));
      parts.push(Y.encodeStateAsUpdate(doc, before));
    }
    if (how === 'merged' && parts.length > 1) return Y.mergeUpdates(parts);
    const update = Y.encodeStateAsUpdate(doc, sv);
    if (how === 'corrupted' && update.length > 4) {
      const bad = update.slice();
      bad[ops.length % bad.length]! ^= 0x5a;
      bad[(ops.length * 7) % bad.length]! ^= 0xff;
      return bad;
    }
    return update;
  }

  let cases = 0;
  return async (ops: Op[], how: string): Promise<void> => {
    if (cases++ % CASES_PER_BOARD === 0) {
      await freshBoard();
      socket?.ws.close();
      socket = null;
      continued = null;
      continuedSv = null;
      sent.length = 0;
    }
    const update = await build(ops, how);
    sent.push(update);
    if (sent.length > 50) sent.shift();
    const before = await content();
    const bytesBefore = role === 'viewer' ? await storedBytes() : 0;
    const raw = await connect();
    expected = (await received()) + 1;
    raw.ws.send(frame(update));
    // A corrupt frame may close the connection (4400) before the board sees it.
    const deadline = Date.now() + 5000;
    while ((await received()) < expected && raw.ws.readyState === 1) {
      if (Date.now() > deadline) throw new Error('update never processed');
      await new Promise((r) => setImmediate(r));
    }
    const after = await content();
    expect(await s.server.hub.withBoard(board.id, (b) => b.probeMatchesDocument())).toBe(true);
    if (role === 'viewer') {
      expect(after).toEqual(before);
      expect(await storedBytes()).toBe(bytesBefore);
    } else {
      expect(MODERATOR_OWNED(after)).toEqual(MODERATOR_OWNED(before));
      const broken = await s.server.hub.withBoard(board.id, (b) => ({
        invariants: invariantViolations(b.doc),
        scenarios: readBoard(b.doc).scenarios.length,
      }));
      expect(broken).toMatchObject({ invariants: [] });
      // The log only ever grows by the server's own entries for this editor's edits.
      for (const [key, entry] of Object.entries(after[ROOT.log] as Record<string, unknown>)) {
        if (key in (before[ROOT.log] as object)) continue;
        expect((entry as { by: { name: string } }).by.name).toBe('Anonymous editor');
      }
      expect(broken!.scenarios).toBeGreaterThan(0);
    }
  };
}

describe('T9: arbitrary updates (property)', () => {
  it(`${VIEWER_RUNS} arbitrary updates from a viewer never change the board`, async () => {
    const run = makeHarness('viewer');
    await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 4 }), mode, run), {
      numRuns: VIEWER_RUNS,
    });
    expect(errors).toEqual([]);
  }, 240_000);

  it(`${EDITOR_RUNS} arbitrary updates from an editor never touch moderator parts or break the board`, async () => {
    const run = makeHarness('editor');
    await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 4 }), mode, run), {
      numRuns: EDITOR_RUNS,
    });
    expect(errors).toEqual([]);
    const health = await fetch(`${s.http}/api/health`);
    expect(health.status).toBe(200);
  }, 240_000);
});
