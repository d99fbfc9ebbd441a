/**
 * The facilitator decides what the room may touch (issue 13, item 1; rule T3 in
 * server/THREAT_MODEL.md). Every update is made by hand and sent over a real socket to a real
 * server on SQLite: each rule is refused for an editor, in plain words, and allowed for the
 * moderator.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { ROOT } from '../lib/board/layout';
import { addScenario, deleteScenario, setAssumption, updateScenario } from '../lib/board/scenarios';
import { readBoard } from '../lib/board/boardState';
import {
  readMeta,
  setBaselineOpen,
  setBaselineScenario,
  setEditPresentedOnly,
} from '../lib/board/meta';
import { setLock } from '../lib/board/locks';
import { setPresenterFocus } from '../lib/board/presenter';
import { createBoard, startServer, tempDir, type CreatedBoard, type TestServer } from './helpers';
import { attacker, handMade, serverChange } from './handMade';

let servers: TestServer[] = [];
let sockets: { ws: { close(): void } }[] = [];
afterEach(async () => {
  for (const s of sockets) s.ws.close();
  sockets = [];
  for (const s of servers) await s.close();
  servers = [];
});

/** A board as a moderator creates it (baseline kept as it is) with a second scenario. */
async function setup() {
  const s = await startServer({ DATA_DIR: tempDir(), REFUSALS_BURST: '1000' });
  servers.push(s);
  const board = await createBoard(s.http, { title: 'Workshop', baselineOpen: false });
  let other = '';
  await serverChange(s, board.id, (doc) => {
    other = addScenario(doc, { name: 'Skills-first' });
  });
  const baseline = await s.server.hub.withBoard(
    board.id,
    (b) => readMeta(b.doc).baselineScenarioId,
  );
  return { s, board, baseline: baseline!, other };
}

const client = (s: TestServer, board: CreatedBoard, role: 'editor' | 'moderator') =>
  attacker(s, board, role, (raw) => sockets.push(raw));

const valueOf = (s: TestServer, board: CreatedBoard, scenarioId: string) =>
  s.server.hub.withBoard(
    board.id,
    (b) => readBoard(b.doc).scenarios.find((x) => x.id === scenarioId)?.values.conversionRate,
  );

const setRate = (scenarioId: string, value: number) => (doc: Y.Doc) =>
  setAssumption(doc, scenarioId, 'conversionRate', value);

describe('the baseline is kept as it is unless the moderator opens it', () => {
  it('a board without the setting refuses editors every change to the baseline, and says why', async () => {
    const { s, board, baseline, other } = await setup();
    expect(
      await s.server.hub.withBoard(board.id, (b) => b.doc.getMap(ROOT.meta).has('baselineOpen')),
    ).toBe(false);
    const editor = await client(s, board, 'editor');
    const before = await valueOf(s, board, baseline);

    const edit = await editor.send(await handMade(s, board.id, setRate(baseline, 60)));
    expect(edit).toMatchObject({
      kind: 'forbidden',
      message: 'The baseline is kept as it is: the moderator can open it for editing.',
    });
    expect(await valueOf(s, board, baseline)).toBe(before);

    const rename = await editor.send(
      await handMade(s, board.id, (doc) => updateScenario(doc, baseline, { name: 'Mine' })),
    );
    expect(rename?.kind).toBe('forbidden');
    const removal = await editor.send(
      await handMade(s, board.id, (doc) => deleteScenario(doc, baseline)),
    );
    expect(removal?.kind).toBe('forbidden');
    const swap = await editor.send(
      await handMade(s, board.id, (doc) => setBaselineScenario(doc, other)),
    );
    expect(swap).toMatchObject({
      kind: 'forbidden',
      message: 'Only the moderator can change which scenario is the baseline.',
    });
    const open = await editor.send(
      await handMade(s, board.id, (doc) => setBaselineOpen(doc, true)),
    );
    expect(open).toMatchObject({
      kind: 'forbidden',
      message: 'Only the moderator can change whether the baseline is open for editing.',
    });

    // Other scenarios stay the room's.
    expect(await editor.send(await handMade(s, board.id, setRate(other, 4)))).toBeNull();
    expect(await valueOf(s, board, other)).toBe(4);
    const after = await s.server.hub.withBoard(board.id, (b) => readBoard(b.doc));
    expect(after!.meta).toMatchObject({ baselineScenarioId: baseline, baselineOpen: false });
    expect(after!.scenarios.map((x) => x.id)).toEqual([baseline, other]);
  });

  it('the moderator opens it; then editors edit it, but only the moderator deletes it or moves it', async () => {
    const { s, board, baseline, other } = await setup();
    const moderator = await client(s, board, 'moderator');
    const editor = await client(s, board, 'editor');
    expect(await moderator.send(await handMade(s, board.id, setRate(baseline, 2)))).toBeNull();
    expect(
      await moderator.send(await handMade(s, board.id, (doc) => setBaselineOpen(doc, true))),
    ).toBeNull();

    expect(await editor.send(await handMade(s, board.id, setRate(baseline, 3)))).toBeNull();
    expect(await valueOf(s, board, baseline)).toBe(3);
    const removal = await editor.send(
      await handMade(s, board.id, (doc) => deleteScenario(doc, baseline)),
    );
    expect(removal?.kind).toBe('forbidden');

    expect(
      await moderator.send(await handMade(s, board.id, (doc) => setBaselineScenario(doc, other))),
    ).toBeNull();
    expect(
      await moderator.send(await handMade(s, board.id, (doc) => deleteScenario(doc, baseline))),
    ).toBeNull();
    const after = await s.server.hub.withBoard(board.id, (b) => readBoard(b.doc));
    expect(after!.meta.baselineScenarioId).toBe(other);
    expect(after!.scenarios.map((x) => x.id)).toEqual([other]);
  });
});

describe('participants edit only the presented scenario', () => {
  it('while on and a scenario is presented, editors change only that one', async () => {
    const { s, board, baseline, other } = await setup();
    const moderator = await client(s, board, 'moderator');
    const editor = await client(s, board, 'editor');
    let third = '';
    await serverChange(s, board.id, (doc) => {
      setBaselineOpen(doc, true);
      third = addScenario(doc, { name: 'Status quo plus' });
    });
    // The setting alone changes nothing while nobody presents.
    expect(
      await moderator.send(await handMade(s, board.id, (doc) => setEditPresentedOnly(doc, true))),
    ).toBeNull();
    expect(await editor.send(await handMade(s, board.id, setRate(third, 5)))).toBeNull();

    await serverChange(s, board.id, (doc) =>
      setPresenterFocus(doc, { scenarioId: other, tab: 'outcomes', assumptionId: null, recall: 0 }),
    );
    const elsewhere = await editor.send(await handMade(s, board.id, setRate(third, 6)));
    expect(elsewhere).toMatchObject({
      kind: 'forbidden',
      message: 'For now the room changes only the presented scenario, "Skills-first".',
    });
    expect(await valueOf(s, board, third)).toBe(5);
    expect((await editor.send(await handMade(s, board.id, setRate(baseline, 6))))?.kind).toBe(
      'forbidden',
    );
    const added = await editor.send(
      await handMade(s, board.id, (doc) => addScenario(doc, { name: 'Sneaky' })),
    );
    expect(added?.kind).toBe('forbidden');
    const off = await editor.send(
      await handMade(s, board.id, (doc) => setEditPresentedOnly(doc, false)),
    );
    expect(off).toMatchObject({
      kind: 'forbidden',
      message: 'Only the moderator can change whether the room edits only the presented scenario.',
    });

    expect(await editor.send(await handMade(s, board.id, setRate(other, 7)))).toBeNull();
    expect(await valueOf(s, board, other)).toBe(7);
    expect(await moderator.send(await handMade(s, board.id, setRate(third, 8)))).toBeNull();
    expect(await valueOf(s, board, third)).toBe(8);

    // Switched off, the room may change every scenario again.
    expect(
      await moderator.send(await handMade(s, board.id, (doc) => setEditPresentedOnly(doc, false))),
    ).toBeNull();
    expect(await editor.send(await handMade(s, board.id, setRate(third, 9)))).toBeNull();
    expect(await valueOf(s, board, third)).toBe(9);
  });
});

describe('locks carry a reason', () => {
  it('the moderator locks with a reason (at most 200 characters); the room is told it when refused', async () => {
    const { s, board, other } = await setup();
    const moderator = await client(s, board, 'moderator');
    const editor = await client(s, board, 'editor');
    const reason = 'agreed in the morning session';
    const asEditor = await editor.send(
      await handMade(s, board.id, (doc) =>
        setLock(doc, 'conversionRate', { by: 'Bilal', at: 1, reason }),
      ),
    );
    expect(asEditor).toMatchObject({
      kind: 'forbidden',
      message: 'Only the moderator can change locks.',
    });
    const tooLong = await moderator.send(
      await handMade(s, board.id, (doc) =>
        setLock(doc, 'conversionRate', { by: 'Maria', at: 1, reason: 'x'.repeat(201) }),
      ),
    );
    expect(tooLong?.kind).toBe('invalid');
    const unknownKey = await moderator.send(
      await handMade(s, board.id, (doc) =>
        doc.getMap(ROOT.locks).set('conversionRate', { by: 'Maria', at: 1, why: reason }),
      ),
    );
    expect(unknownKey?.kind).toBe('invalid');
    expect(
      await moderator.send(
        await handMade(s, board.id, (doc) =>
          setLock(doc, 'conversionRate', { by: 'Maria', at: 1, reason }),
        ),
      ),
    ).toBeNull();
    const locked = await editor.send(await handMade(s, board.id, setRate(other, 9)));
    expect(locked).toMatchObject({
      kind: 'locked',
      message: `Freelancer conversion rate is locked by Maria: ${reason}.`,
    });
  });
});
