/**
 * Hostile clients against the Yjs endpoint (issue "Trust the board"; rules T1-T9 in
 * server/THREAT_MODEL.md). Every update here is made by hand, as an attacker with a role link
 * would make it, and sent over a real socket to a real server on SQLite. Each test checks the
 * board on the server, in storage and after a restart, and that the probe never drifts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode, type ServerNotice } from '../lib/protocol';
import { ROOT, defineRoots } from '../lib/board/layout';
import { addScenario } from '../lib/board/scenarios';
import { readBands } from '../lib/board/bands';
import { readBoard } from '../lib/board/boardState';
import { readMeta } from '../lib/board/meta';
import { SCENARIOS_MAX } from '../lib/board/limits';
import { createBoard, startServer, tempDir, type CreatedBoard, type TestServer } from './helpers';
import {
  attacker as attackerOf,
  handMade,
  serverChange,
  serverCopy,
  updateFrame,
} from './handMade';

let servers: TestServer[] = [];
let sockets: { ws: { close(): void } }[] = [];
afterEach(async () => {
  for (const s of sockets) s.ws.close();
  sockets = [];
  for (const s of servers) await s.close();
  servers = [];
});

async function setup(env: Record<string, string> = {}) {
  const dataDir = tempDir();
  // A generous refusal budget, so one connection can try many attacks (T4 tests the budget).
  const s = await startServer({ DATA_DIR: dataDir, REFUSALS_BURST: '1000', ...env });
  servers.push(s);
  const board = await createBoard(s.http, { title: 'Hostile' });
  // A moderator locks one value so lock rules are in play.
  await serverChange(s, board.id, (doc) =>
    doc.getMap(ROOT.locks).set('conversionRate', { by: 'Mo', at: 1 }),
  );
  return { s, board, dataDir };
}

const attacker = (s: TestServer, board: CreatedBoard, role: 'viewer' | 'editor') =>
  attackerOf(s, board, role, (raw) => sockets.push(raw));

/** What storage holds for a board: its content and its size in bytes. */
async function stored(s: TestServer, id: string) {
  const row = await s.server.hub.storage.loadDocument(id);
  const doc = new Y.Doc();
  defineRoots(doc);
  for (const u of row!.updates) Y.applyUpdate(doc, u);
  return {
    content: Object.values(ROOT).map((name) => doc.share.get(name)!.toJSON() as unknown),
    bytes: row!.updates.reduce((n, u) => n + u.length, 0),
  };
}

async function expectIntact(s: TestServer, id: string, before: { content: unknown[] }) {
  expect((await stored(s, id)).content).toEqual(before.content);
  expect(await s.server.hub.withBoard(id, (b) => b.probeMatchesDocument())).toBe(true);
}

describe('T1: validation fails closed', () => {
  it('a value JSON cannot represent is refused every time it is sent, from a viewer or an editor', async () => {
    const { s, board } = await setup();
    const before = await stored(s, board.id);
    const bigint = await handMade(s, board.id, (doc) =>
      doc.getMap(ROOT.meta).set('title', 10n as unknown as string),
    );
    // The old pipeline kept the first copy on its probe and took the second as "no change".
    const viewer = await attacker(s, board, 'viewer');
    expect((await viewer.send(bigint))?.kind).toBe('viewOnly');
    expect((await viewer.send(bigint))?.kind).toBe('viewOnly');
    const editor = await attacker(s, board, 'editor');
    expect((await editor.send(bigint))?.kind).toBe('invalid');
    // The second copy names structs the board now holds as tombstones: it changes nothing.
    expect(await editor.send(bigint)).toBeNull();
    await expectIntact(s, board.id, before);
    const binary = await handMade(s, board.id, (doc) =>
      doc.getMap(ROOT.meta).set('description', new Uint8Array([1, 2, 3]) as unknown as string),
    );
    // Binary content is a content type boards never use: refused before it is applied.
    expect((await editor.send(binary))?.kind).toBe('malformed');
    await expectIntact(s, board.id, before);
  });

  it('shapes no board has (text, XML, embedded documents, unknown roots, long keys) never reach the document', async () => {
    const { s, board } = await setup();
    const before = await stored(s, board.id);
    const editor = await attacker(s, board, 'editor');
    const attacks = [
      (doc: Y.Doc) => doc.getText('meta2').insert(0, 'x'),
      (doc: Y.Doc) => doc.getMap('evil').set('a', 1),
      (doc: Y.Doc) =>
        doc.getMap(ROOT.meta).set('description', new Y.Text('x') as unknown as string),
      (doc: Y.Doc) => doc.getMap(ROOT.meta).set('description', new Y.Doc() as unknown as string),
      (doc: Y.Doc) => doc.getMap(ROOT.comments).set('k'.repeat(5000), 1),
    ];
    for (const attack of attacks) {
      const notice = await editor.send(await handMade(s, board.id, attack));
      expect(notice?.kind).toBe('malformed');
    }
    await expectIntact(s, board.id, before);
    expect((await stored(s, board.id)).bytes).toBe(before.bytes);
  });

  it('an object whose prototype was swapped through "__proto__" cannot pass for someone else’s comment', async () => {
    const { s, board } = await setup();
    const before = await stored(s, board.id);
    const editor = await attacker(s, board, 'editor');
    // lib0 decodes {"__proto__": {...}} by setting the prototype: fields would be inherited.
    const forged = JSON.parse(
      `{"id":"c-1","__proto__":{"by":{"id":"pvictimvictimvic","name":"Victim","color":"#000000"}},` +
        `"target":{"kind":"assumption","id":"horizon"},"parentId":null,"at":1,"text":"hi","resolved":false}`,
    ) as object;
    const notice = await editor.send(
      await handMade(s, board.id, (doc) => doc.getMap(ROOT.comments).set('c-1', forged)),
    );
    expect(notice?.kind).toBe('invalid');
    await expectIntact(s, board.id, before);
  });
  it('a key set to undefined (present, yet reading as absent) is refused, not taken for no change', async () => {
    // Found by the property test (T9): such a key hid in the log, invisible to every reader.
    const { s, board } = await setup();
    const before = await stored(s, board.id);
    const editor = await attacker(s, board, 'editor');
    for (const root of [ROOT.log, ROOT.comments, ROOT.meta]) {
      const notice = await editor.send(
        await handMade(s, board.id, (doc) => doc.getMap(root).set('k-1', undefined)),
      );
      expect(notice, root).not.toBeNull();
    }
    await expectIntact(s, board.id, before);
    const keys = await s.server.hub.withBoard(board.id, (b) => [...b.doc.getMap(ROOT.log).keys()]);
    expect(keys).toEqual([]);
  });
});

describe('T2: a viewer changes nothing', () => {
  it('locked values, locks, freezing and the title: refused, and nothing of it is stored, even after a restart', async () => {
    const { s, board, dataDir } = await setup();
    const before = await stored(s, board.id);
    const viewer = await attacker(s, board, 'viewer');
    const attacks = [
      (doc: Y.Doc) => {
        const sid = readBoard(doc).scenarios[0]!.id;
        const scenario = doc.getMap<Y.Map<unknown>>(ROOT.scenarios).get(sid)!;
        (scenario.get('values') as Y.Map<number>).set('conversionRate', 9);
      },
      (doc: Y.Doc) => doc.getMap(ROOT.locks).delete('conversionRate'),
      (doc: Y.Doc) => doc.getMap(ROOT.meta).set('frozen', true),
      (doc: Y.Doc) => doc.getMap(ROOT.meta).set('title', 'Owned'),
    ];
    for (const attack of attacks) {
      const notice = await viewer.send(await handMade(s, board.id, attack));
      expect(notice).toMatchObject({ kind: 'viewOnly' });
    }
    await expectIntact(s, board.id, before);
    expect((await stored(s, board.id)).bytes).toBe(before.bytes);
    await servers.pop()!.close();
    const again = await startServer({ DATA_DIR: dataDir });
    servers.push(again);
    expect((await stored(again, board.id)).content).toEqual(before.content);
  });

  it('"insert then delete" (no visible change) stores nothing from a viewer and only a tombstone from an editor', async () => {
    const { s, board } = await setup();
    const before = await stored(s, board.id);
    const bulk = await handMade(s, board.id, (doc) => {
      doc.getMap(ROOT.meta).set('description', 'x'.repeat(900_000));
      doc.getMap(ROOT.meta).set('description', '');
    });
    expect(bulk.length).toBeGreaterThan(900_000);
    const viewer = await attacker(s, board, 'viewer');
    raiseNothing(await viewer.send(bulk));
    expect((await stored(s, board.id)).bytes).toBe(before.bytes);
    const editor = await attacker(s, board, 'editor');
    expect(await editor.send(bulk)).toBeNull(); // accepted: the description is '' as before
    const after = await stored(s, board.id);
    expect(after.bytes - before.bytes).toBeLessThan(200);
    expect(readMeta(await serverCopy(s, board.id)).description).toBe('');
  });
});

/** A viewer's write is refused or ignored, never accepted. */
function raiseNothing(notice: ServerNotice | null) {
  if (notice) expect(notice.kind).toBe('viewOnly');
}

describe('T3: editors cannot damage structure', () => {
  it('deleting the last scenario, a scenario’s values, required fields, or pointing at missing scenarios is refused', async () => {
    const { s, board } = await setup();
    const before = await stored(s, board.id);
    const editor = await attacker(s, board, 'editor');
    const sid = readBoard(await serverCopy(s, board.id)).scenarios[0]!.id;
    const scenario = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>(ROOT.scenarios).get(sid)!;
    const attacks: [string, (doc: Y.Doc) => void][] = [
      [
        'last scenario',
        (doc) => {
          doc.getMap(ROOT.scenarios).delete(sid);
          doc.getArray(ROOT.scenarioOrder).delete(0, 1);
        },
      ],
      ['values map', (doc) => scenario(doc).delete('values')],
      ['one value', (doc) => (scenario(doc).get('values') as Y.Map<number>).delete('horizon')],
      ['scenario name', (doc) => scenario(doc).delete('name')],
      ['title', (doc) => doc.getMap(ROOT.meta).delete('title')],
      ['model', (doc) => doc.getMap(ROOT.meta).set('modelVersion', 7)],
      ['baseline', (doc) => doc.getMap(ROOT.meta).set('baselineScenarioId', 'abcdef123456')],
      ['order', (doc) => doc.getArray(ROOT.scenarioOrder).push(['abcdef123456'])],
      ['order twice', (doc) => doc.getArray(ROOT.scenarioOrder).push([sid])],
      ['created at', (doc) => scenario(doc).set('createdAt', 5)],
      ['log', (doc) => doc.getMap(ROOT.log).set('x', 1)],
      ['poll result', (doc) => doc.getMap(ROOT.polls).set('p1', { id: 'p1' })],
      ['lock', (doc) => doc.getMap(ROOT.locks).delete('conversionRate')],
      ['band', (doc) => doc.getMap(ROOT.bands).set('horizon', { low: 2030, high: 2035 })],
      [
        "a band labelled as the room's",
        (doc) => doc.getMap(ROOT.bands).set('conversionRate', { low: 2, high: 3, origin: 'poll' }),
      ],
      ['presenter', (doc) => doc.getMap(ROOT.presenter).set('spotlight', 'horizon')],
      ['freeze', (doc) => doc.getMap(ROOT.meta).set('frozen', true)],
    ];
    for (const [what, attack] of attacks) {
      const notice = await editor.send(await handMade(s, board.id, attack));
      expect(notice, what).not.toBeNull();
      expect(['invalid', 'forbidden', 'locked'], what).toContain(notice!.kind);
    }
    await expectIntact(s, board.id, before);
  });

  it("a moderator may label a band as the room's estimate, with no other origin or key", async () => {
    const { s, board } = await setup();
    const moderator = await attackerOf(s, board, 'moderator', (raw) => sockets.push(raw));
    const band = (value: unknown) =>
      handMade(s, board.id, (doc) => doc.getMap(ROOT.bands).set('conversionRate', value));
    for (const bad of [
      { low: 2, high: 3, origin: 'gut' },
      { low: 2, high: 3, origin: 'poll', pollId: 'p1' },
    ]) {
      expect((await moderator.send(await band(bad)))?.kind).toBe('invalid');
    }
    expect(await moderator.send(await band({ low: 2, high: 3, origin: 'poll' }))).toBeNull();
    expect(readBands(await serverCopy(s, board.id)).conversionRate).toEqual({
      low: 2,
      high: 3,
      origin: 'poll',
    });
  });

  it(`more than ${SCENARIOS_MAX} scenarios in one frame are refused with a message naming the limit`, async () => {
    const { s, board } = await setup();
    const before = await stored(s, board.id);
    const editor = await attacker(s, board, 'editor');
    const bulk = await handMade(s, board.id, (doc) => {
      const base = readBoard(doc).scenarios[0]!;
      doc.transact(() => {
        for (let i = 0; i < 1200; i++) {
          const id = `s${i.toString().padStart(11, '0')}`;
          const scenario = new Y.Map<unknown>();
          const values = new Y.Map<number>();
          for (const [k, v] of Object.entries(base.values)) values.set(k, v);
          scenario.set('name', `S${i}`);
          scenario.set('color', '#2563eb');
          scenario.set('notes', '');
          scenario.set('createdAt', 1);
          scenario.set('values', values);
          doc.getMap(ROOT.scenarios).set(id, scenario);
          doc.getArray(ROOT.scenarioOrder).push([id]);
        }
      });
    });
    // 1,200 at once is refused before it is applied (too many items for one update)...
    const notice = await editor.send(bulk);
    expect(notice).toMatchObject({ kind: 'limit' });
    await expectIntact(s, board.id, before);
    // ...and the 31st scenario, added alone, by the board's scenario limit.
    for (let i = 0; i < SCENARIOS_MAX; i++) {
      const one = await handMade(s, board.id, (doc) => addScenario(doc, { name: `S${i}` }));
      const verdict = await editor.send(one);
      if (i < SCENARIOS_MAX - 1) expect(verdict).toBeNull();
      else expect(verdict?.message).toContain(String(SCENARIOS_MAX));
    }
    expect(readBoard(await serverCopy(s, board.id)).scenarios).toHaveLength(SCENARIOS_MAX);
    expect(await s.server.hub.withBoard(board.id, (b) => b.probeMatchesDocument())).toBe(true);
  });

  it('an update that builds on changes the server never had is refused whole', async () => {
    const { s, board } = await setup();
    const before = await stored(s, board.id);
    const editor = await attacker(s, board, 'editor');
    const doc = await serverCopy(s, board.id);
    doc.getMap(ROOT.meta).set('title', 'First');
    const sv = Y.encodeStateVector(doc);
    doc.getMap(ROOT.meta).set('title', 'Second, built on First');
    // Only the second change: it depends on the first, which the server never received.
    const notice = await editor.send(Y.encodeStateAsUpdate(doc, sv));
    expect(notice?.kind).toBe('malformed');
    await expectIntact(s, board.id, before);
  });
});

describe('T4: refusals are bounded', () => {
  it('a connection that keeps sending refused updates is closed with 4422 and told why', async () => {
    const { s, board } = await setup({ REFUSALS_PER_SECOND: '0.1', REFUSALS_BURST: '3' });
    const viewer = await attacker(s, board, 'viewer');
    const update = await handMade(s, board.id, (doc) => doc.getMap(ROOT.meta).set('title', 'x'));
    for (let i = 0; i < 5; i++) viewer.ws.send(updateFrame(update));
    const closed = await viewer.closed;
    expect(closed.code).toBe(CloseCode.refusedTooOften);
    expect(closed.reason).toMatch(/refused/);
    // The board carries on for everyone else.
    const editor = await attacker(s, board, 'editor');
    const ok = await editor.send(
      await handMade(s, board.id, (doc) => doc.getMap(ROOT.meta).set('title', 'Fine')),
    );
    expect(ok).toBeNull();
    expect(readMeta(await serverCopy(s, board.id)).title).toBe('Fine');
  });

  it('a refused editor update is undone for its sender, who keeps editing afterwards', async () => {
    const { s, board } = await setup();
    const editor = await attacker(s, board, 'editor');
    const refused = await editor.send(
      await handMade(s, board.id, (doc) => doc.getMap(ROOT.meta).set('title', 'y'.repeat(500))),
    );
    expect(refused).toMatchObject({ kind: 'invalid', path: 'meta.title' });
    expect(await s.server.hub.withBoard(board.id, (b) => b.probeMatchesDocument())).toBe(true);
    expect(readMeta(await serverCopy(s, board.id)).title).toBe('Hostile');
  });
});
