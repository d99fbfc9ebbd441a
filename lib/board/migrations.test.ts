/**
 * Document migrations (lib/board/migrations.ts), each on a board saved before it existed:
 * test/fixtures/legacy-v1 was written by the real server on 2 Dec 2026, before schema versions.
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { project } from '../model';
import {
  DOCUMENT_MIGRATIONS,
  SCHEMA_VERSION,
  migrateDocument,
  pendingMigrations,
  schemaVersionOf,
} from './migrations';
import { defineRoots } from './layout';
import { initBoard, readBoard } from './boardState';
import { readBands } from './bands';
import { readLocks } from './locks';
import { readMeta } from './meta';
import { SERVER_ACTOR } from './refusal';
import { checkTransaction } from './validate';

const fixtureDir = new URL('../../test/fixtures/legacy-v1/', import.meta.url);
const expected = JSON.parse(fs.readFileSync(new URL('board.json', fixtureDir), 'utf8')) as {
  id: string;
  totalsByScenario: Record<string, number[]>;
};

/** The fixture board's document as the server stores it. */
function legacyDoc(): Y.Doc {
  const db = new Database(new URL('boards.sqlite', fixtureDir).pathname, { readonly: true });
  const rows = db
    .prepare<[string], { data: Buffer }>(
      'SELECT data FROM board_updates WHERE board_id = ? ORDER BY seq',
    )
    .all(expected.id);
  db.close();
  const doc = new Y.Doc();
  defineRoots(doc);
  for (const r of rows) Y.applyUpdate(doc, r.data);
  return doc;
}

const totals = (doc: Y.Doc) =>
  Object.fromEntries(
    readBoard(doc).scenarios.map((s) => [s.id, project(s.values).years.map((y) => y.total)]),
  );

describe('document migrations', () => {
  it('are ordered, one step each, ending at SCHEMA_VERSION', () => {
    expect(DOCUMENT_MIGRATIONS.map((m) => m.to)).toEqual(
      Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1),
    );
  });

  it('the fixture board has no schema version and reads today’s numbers before migrating', () => {
    const doc = legacyDoc();
    expect(schemaVersionOf(doc)).toBe(0);
    expect(readMeta(doc).modelVersion).toBe(1);
    expect(totals(doc)).toEqual(expected.totalsByScenario);
  });

  it('1: migrates the fixture board; it reads the same numbers, locks and bands', () => {
    const doc = legacyDoc();
    const before = { locks: readLocks(doc), bands: readBands(doc), board: readBoard(doc) };
    expect(migrateDocument(doc)).toEqual({ from: 0, to: 1 });
    expect(doc.getMap('meta').get('schemaVersion')).toBe(1);
    expect(totals(doc)).toEqual(expected.totalsByScenario);
    expect(readBoard(doc)).toEqual({
      ...before.board,
      meta: { ...before.board.meta },
    });
    expect(readLocks(doc)).toEqual(before.locks);
    expect(readBands(doc)).toEqual(before.bands);
    expect(pendingMigrations(doc)).toEqual([]);
  });

  it('the migration is one update that passes validation as the server, and not as a moderator', () => {
    for (const [actor, refused] of [
      [SERVER_ACTOR, false],
      [{ role: 'moderator', participant: null }, true],
    ] as const) {
      const truth = legacyDoc();
      const probe = legacyDoc();
      let verdict: ReturnType<typeof checkTransaction> | null = null;
      let updates = 0;
      probe.on('update', () => updates++);
      probe.on('afterTransaction', (tr: Y.Transaction) => {
        verdict = checkTransaction(probe, truth, tr, actor);
      });
      migrateDocument(probe);
      expect(updates).toBe(1);
      expect(verdict!.refusal !== null).toBe(refused);
    }
  });

  it('a second run writes nothing; a new board needs none', () => {
    const doc = legacyDoc();
    migrateDocument(doc);
    let updates = 0;
    doc.on('update', () => updates++);
    expect(migrateDocument(doc)).toEqual({ from: 1, to: 1 });
    expect(updates).toBe(0);
    const fresh = new Y.Doc();
    initBoard(fresh, { title: 'New' });
    expect(schemaVersionOf(fresh)).toBe(SCHEMA_VERSION);
    expect(pendingMigrations(fresh)).toEqual([]);
  });
});
