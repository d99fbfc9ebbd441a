/**
 * The storage contract: one suite run against every BoardStorage implementation
 * (memory, SQLite, PostgreSQL), so they cannot drift apart.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  ROLES,
  VERSION_EVENTS_MAX,
  sameEpochs,
  type BoardRecord,
  type BoardStorage,
} from './types';

const record = (id: string, updatedAt = 1000): BoardRecord => ({
  id,
  title: `Board ${id}`,
  modelId: 'pk-ict-exports',
  modelVersion: 1,
  createdAt: 1000,
  updatedAt,
  linkEpochs: sameEpochs(0),
  joinCode: `J${id}`.toUpperCase().slice(0, 6).padEnd(6, 'X'),
});

/** Yjs updates that build up a map, so loaded state can be checked for real. */
function updatesFor(n: number): { updates: Uint8Array[]; doc: Y.Doc } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (let i = 0; i < n; i++) doc.getMap('m').set(`k${i % 3}`, i);
  return { updates, doc };
}

function replay(updates: Uint8Array[]): Record<string, unknown> {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc.getMap('m').toJSON();
}

export function storageContract(name: string, make: () => Promise<BoardStorage>): void {
  describe(`storage contract: ${name}`, () => {
    let storage: BoardStorage;
    beforeEach(async () => {
      storage = await make();
    });
    afterEach(async () => {
      await storage.close();
    });

    it('creates a board and reads its record back', async () => {
      const initial = new Uint8Array([0, 0]);
      await storage.createBoard(record('b1'), initial);
      expect(await storage.getBoard('b1')).toEqual(record('b1'));
      expect(await storage.getBoard('nope')).toBeNull();
      expect(await storage.loadDocument('nope')).toBeNull();
      const stored = await storage.loadDocument('b1');
      expect(stored?.updates).toHaveLength(1);
      expect(Array.from(stored!.updates[0]!)).toEqual([0, 0]);
    });

    it('refuses a duplicate board id', async () => {
      await storage.createBoard(record('dup'), new Uint8Array([0, 0]));
      await expect(storage.createBoard(record('dup'), new Uint8Array([0, 0]))).rejects.toThrow();
    });

    it('appends updates in order and replays them to the same state', async () => {
      const { updates, doc } = updatesFor(10);
      await storage.createBoard(record('b2'), updates[0]!);
      const seqs: number[] = [];
      for (const u of updates.slice(1)) seqs.push(await storage.appendUpdate('b2', u));
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      const stored = (await storage.loadDocument('b2'))!;
      expect(stored.updates).toHaveLength(10);
      expect(stored.lastSeq).toBe(seqs.at(-1));
      expect(replay(stored.updates)).toEqual(doc.getMap('m').toJSON());
    });

    it('compacts into a snapshot without losing updates appended after it', async () => {
      const { updates, doc } = updatesFor(8);
      await storage.createBoard(record('b3'), updates[0]!);
      let through = 0;
      for (const u of updates.slice(1, 6)) through = await storage.appendUpdate('b3', u);
      const partial = new Y.Doc();
      for (const u of updates.slice(0, 6)) Y.applyUpdate(partial, u);
      for (const u of updates.slice(6)) await storage.appendUpdate('b3', u);
      await storage.compact('b3', Y.encodeStateAsUpdate(partial), through);
      const stored = (await storage.loadDocument('b3'))!;
      expect(stored.updates).toHaveLength(3);
      expect(await storage.countUpdates('b3')).toBe(3);
      expect(replay(stored.updates)).toEqual(doc.getMap('m').toJSON());
    });

    it('lists boards most recently updated first and updates listing fields', async () => {
      await storage.createBoard(record('old', 1000), new Uint8Array([0, 0]));
      await storage.createBoard(record('new', 2000), new Uint8Array([0, 0]));
      expect((await storage.listBoards(10)).map((b) => b.id)).toEqual(['new', 'old']);
      await storage.updateBoard('old', { title: 'Renamed', updatedAt: 3000 });
      const list = await storage.listBoards(1);
      expect(list).toEqual([{ ...record('old', 3000), title: 'Renamed' }]);
    });

    it('finds boards by join code and rotates links', async () => {
      await storage.createBoard({ ...record('jc1'), joinCode: 'ABC234' }, new Uint8Array([0, 0]));
      await storage.createBoard({ ...record('jc2'), joinCode: 'XYZ789' }, new Uint8Array([0, 0]));
      expect((await storage.findBoardByJoinCode('ABC234'))?.id).toBe('jc1');
      expect(await storage.findBoardByJoinCode('NOPE22')).toBeNull();
      await expect(
        storage.createBoard({ ...record('jc3'), joinCode: 'ABC234' }, new Uint8Array([0, 0])),
      ).rejects.toThrow();
      const rotated = await storage.rotateLinks('jc1', ROLES, 'NEW234');
      expect(rotated).toMatchObject({ id: 'jc1', linkEpochs: sameEpochs(1), joinCode: 'NEW234' });
      expect(await storage.findBoardByJoinCode('ABC234')).toBeNull();
      await expect(storage.rotateLinks('jc1', ROLES, 'XYZ789')).rejects.toThrow();
      // A refused rotation changed nothing (epochs and code are one update).
      expect(await storage.getBoard('jc1')).toMatchObject({
        linkEpochs: sameEpochs(1),
        joinCode: 'NEW234',
      });
      expect(await storage.rotateLinks('missing', ROLES, 'QQQ234')).toBeNull();
    });

    it('replaces links per role: only the roles named move, the join code only when given', async () => {
      await storage.createBoard(
        {
          ...record('pr1'),
          linkEpochs: { moderator: 4, editor: 2, viewer: 7 },
          joinCode: 'PER234',
        },
        new Uint8Array([0, 0]),
      );
      expect((await storage.getBoard('pr1'))?.linkEpochs).toEqual({
        moderator: 4,
        editor: 2,
        viewer: 7,
      });
      expect(await storage.rotateLinks('pr1', ['editor'], 'EDI234')).toMatchObject({
        linkEpochs: { moderator: 4, editor: 3, viewer: 7 },
        joinCode: 'EDI234',
      });
      expect(await storage.rotateLinks('pr1', ['viewer'])).toMatchObject({
        linkEpochs: { moderator: 4, editor: 3, viewer: 8 },
        joinCode: 'EDI234',
      });
      expect(await storage.rotateLinks('pr1', ['moderator', 'viewer'])).toMatchObject({
        linkEpochs: { moderator: 5, editor: 3, viewer: 9 },
      });
      // Stored, not only answered; listed and found by code the same way.
      const stored = await storage.getBoard('pr1');
      expect(stored).toMatchObject({
        linkEpochs: { moderator: 5, editor: 3, viewer: 9 },
        joinCode: 'EDI234',
      });
      expect(await storage.findBoardByJoinCode('EDI234')).toEqual(stored);
      expect((await storage.listBoards(10)).find((b) => b.id === 'pr1')).toEqual(stored);
      expect(await storage.findBoardByJoinCode('PER234')).toBeNull();
    });

    it('saves named versions byte for byte and lists them newest first', async () => {
      await storage.createBoard(record('ver'), new Uint8Array([0, 0]));
      const state = new Uint8Array(300).map((_, i) => (i * 7) % 256);
      const v = (id: string, createdAt: number) => ({
        id,
        boardId: 'ver',
        name: `Version ${id}`,
        author: 'Mo',
        createdAt,
        size: state.length,
        archivedAt: null,
        events: [],
      });
      await storage.saveVersion(v('v1', 10), state);
      await storage.saveVersion(v('v2', 20), state.slice(0, 10));
      expect((await storage.listVersions('ver')).map((x) => x.id)).toEqual(['v2', 'v1']);
      expect((await storage.listVersions('ver'))[1]).toEqual(v('v1', 10));
      const got = await storage.getVersion('ver', 'v1');
      expect(got?.record.name).toBe('Version v1');
      expect(Array.from(got!.state)).toEqual(Array.from(state));
      expect(await storage.getVersion('ver', 'nope')).toBeNull();
      expect(await storage.getVersion('other', 'v1')).toBeNull();
      await expect(
        storage.saveVersion({ ...v('v3', 30), boardId: 'missing' }, state),
      ).rejects.toThrow();
    });

    it('renames a version and records who renamed it, from what, to what', async () => {
      await storage.createBoard(record('ren'), new Uint8Array([0, 0]));
      const state = new Uint8Array([1, 2, 3]);
      const base = { boardId: 'ren', author: 'Mo', size: 3, archivedAt: null, events: [] };
      await storage.saveVersion({ ...base, id: 'v1', name: 'Draft', createdAt: 10 }, state);
      await storage.saveVersion({ ...base, id: 'v2', name: 'Other', createdAt: 20 }, state);
      const renamed = await storage.renameVersion('ren', 'v1', 'Agreed: Skills-first', {
        at: 30,
        by: 'Maria',
      });
      const event = {
        kind: 'renamed',
        at: 30,
        by: 'Maria',
        from: 'Draft',
        to: 'Agreed: Skills-first',
      };
      expect(renamed).toMatchObject({ id: 'v1', name: 'Agreed: Skills-first', events: [event] });
      // The same name again changes nothing and records nothing.
      await storage.renameVersion('ren', 'v1', 'Agreed: Skills-first', { at: 40, by: 'Maria' });
      const listed = await storage.listVersions('ren');
      expect(listed.find((x) => x.id === 'v1')).toEqual({ ...renamed, createdAt: 10 });
      expect(listed.find((x) => x.id === 'v2')?.name).toBe('Other');
      expect((await storage.getVersion('ren', 'v1'))?.record.events).toEqual([event]);
      // The state is untouched; unknown versions and boards are null.
      expect(Array.from((await storage.getVersion('ren', 'v1'))!.state)).toEqual([1, 2, 3]);
      expect(await storage.renameVersion('ren', 'nope', 'X', { at: 1, by: 'M' })).toBeNull();
      expect(await storage.renameVersion('other', 'v1', 'X', { at: 1, by: 'M' })).toBeNull();
    });

    it('archives a version (kept, listed with its date) and restores it', async () => {
      await storage.createBoard(record('arc'), new Uint8Array([0, 0]));
      const state = new Uint8Array([4, 5, 6]);
      const base = { boardId: 'arc', author: 'Mo', size: 3, archivedAt: null, events: [] };
      await storage.saveVersion({ ...base, id: 'v1', name: 'Old', createdAt: 10 }, state);
      const archived = await storage.setVersionArchived('arc', 'v1', true, { at: 50, by: 'Maria' });
      expect(archived).toMatchObject({
        archivedAt: 50,
        events: [{ kind: 'archived', at: 50, by: 'Maria' }],
      });
      // Archiving twice keeps the first date and adds no event.
      await storage.setVersionArchived('arc', 'v1', true, { at: 60, by: 'Maria' });
      const listed = (await storage.listVersions('arc'))[0]!;
      expect(listed.archivedAt).toBe(50);
      expect(listed.events).toHaveLength(1);
      expect(Array.from((await storage.getVersion('arc', 'v1'))!.state)).toEqual([4, 5, 6]);
      const restored = await storage.setVersionArchived('arc', 'v1', false, { at: 70, by: 'Omar' });
      expect(restored?.archivedAt).toBeNull();
      expect(restored?.events.map((e) => e.kind)).toEqual(['archived', 'unarchived']);
      expect((await storage.listVersions('arc'))[0]).toEqual(restored);
      expect(await storage.setVersionArchived('arc', 'nope', true, { at: 1, by: 'M' })).toBeNull();
      // A version saved archived (an imported one) keeps its date and history.
      const events = [{ kind: 'archived' as const, at: 5, by: 'Mo' }];
      await storage.saveVersion(
        { ...base, id: 'v2', name: 'Imported', createdAt: 1, archivedAt: 5, events },
        state,
      );
      expect((await storage.getVersion('arc', 'v2'))?.record).toMatchObject({
        archivedAt: 5,
        events,
      });
    });

    it(`keeps the last ${VERSION_EVENTS_MAX} events of a version`, async () => {
      await storage.createBoard(record('evs'), new Uint8Array([0, 0]));
      const base = { boardId: 'evs', author: 'Mo', size: 1, archivedAt: null, events: [] };
      await storage.saveVersion(
        { ...base, id: 'v1', name: 'n0', createdAt: 1 },
        new Uint8Array([1]),
      );
      for (let i = 1; i <= VERSION_EVENTS_MAX + 3; i++)
        await storage.renameVersion('evs', 'v1', `n${i}`, { at: i, by: 'M' });
      const events = (await storage.getVersion('evs', 'v1'))!.record.events;
      expect(events).toHaveLength(VERSION_EVENTS_MAX);
      expect(events.at(-1)).toMatchObject({
        from: `n${VERSION_EVENTS_MAX + 2}`,
        to: `n${VERSION_EVENTS_MAX + 3}`,
      });
      expect(events[0]).toMatchObject({ at: 4 });
    });

    it('keeps binary updates byte for byte', async () => {
      const bytes = new Uint8Array(256).map((_, i) => i);
      await storage.createBoard(record('bin'), bytes);
      await storage.appendUpdate('bin', bytes.slice(100));
      const stored = (await storage.loadDocument('bin'))!;
      expect(Array.from(stored.updates[0]!)).toEqual(Array.from(bytes));
      expect(Array.from(stored.updates[1]!)).toEqual(Array.from(bytes.slice(100)));
    });

    it("saves, replaces and deletes a board's live session, per board", async () => {
      await storage.createBoard(record('ls1'), new Uint8Array([0, 0]));
      await storage.createBoard(record('ls2'), new Uint8Array([0, 0]));
      expect(await storage.loadLiveSession('ls1')).toBeNull();
      await storage.saveLiveSession('ls1', '{"v":1}', 5);
      await storage.saveLiveSession('ls1', '{"v":2}', 7);
      await storage.saveLiveSession('ls2', 'x', 9);
      expect(await storage.loadLiveSession('ls1')).toEqual({ state: '{"v":2}', savedAt: 7 });
      await storage.saveLiveSession('ls1', null, 8);
      expect(await storage.loadLiveSession('ls1')).toBeNull();
      expect(await storage.loadLiveSession('ls2')).toEqual({ state: 'x', savedAt: 9 });
      // Deleting what is not there is not an error.
      await expect(storage.saveLiveSession('ls1', null, 10)).resolves.toBeUndefined();
    });

    it('answers ping while open (readiness)', async () => {
      await expect(storage.ping()).resolves.toBeUndefined();
    });
  });
}
