import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { fromBase64 } from 'lib0/buffer';
import { defineRoots, metaOf } from '../board/layout';
import { initBoard, readBoard } from '../board/boardState';
import { setAssumption } from '../board/scenarios';
import { parseScenarioImport } from '../board/exchange';
import { DOCUMENT_MIGRATIONS } from '../board/migrations';
import { SCHEMA_VERSION } from '../board/schemaVersion';
import {
  inspectStoredCopy,
  storedCopyVerdict,
  unsentEditsFile,
  type StoredCopyFacts,
} from './storedCopy';

const facts = (patch: Partial<StoredCopyFacts> = {}): StoredCopyFacts => ({
  holdsBoard: true,
  schemaVersion: SCHEMA_VERSION,
  codeSchemaVersion: SCHEMA_VERSION,
  migrationError: null,
  refusal: null,
  ...patch,
});

function board(): { doc: Y.Doc; baseline: string } {
  const doc = new Y.Doc();
  defineRoots(doc);
  const baseline = initBoard(doc, { title: 'Offline' });
  return { doc, baseline };
}

describe('storedCopyVerdict', () => {
  it('merges a copy of this layout, an older one that migrates, or nothing stored', () => {
    expect(storedCopyVerdict(facts())).toEqual({ action: 'merge' });
    expect(storedCopyVerdict(facts({ schemaVersion: 0 }))).toEqual({ action: 'merge' });
    expect(
      storedCopyVerdict(facts({ holdsBoard: false, schemaVersion: SCHEMA_VERSION + 5 })),
    ).toEqual({ action: 'merge' });
  });

  it('offers a download when the copy is newer than this code, its migration threw, or the board refused it', () => {
    const newer = storedCopyVerdict(facts({ schemaVersion: SCHEMA_VERSION + 1 }));
    expect(newer).toEqual({
      action: 'offerDownload',
      reason: 'they were saved by a newer version of Scenario Board than this page runs',
    });
    const broken = storedCopyVerdict(facts({ schemaVersion: 0, migrationError: 'boom' }));
    expect(broken).toEqual({
      action: 'offerDownload',
      reason: 'they could not be brought up to date (boom)',
    });
    const refused = storedCopyVerdict(facts({ refusal: 'Growth is locked by Maria.' }));
    expect(refused).toEqual({
      action: 'offerDownload',
      reason: 'the board did not accept them (Growth is locked by Maria)',
    });
  });
});

describe('inspectStoredCopy', () => {
  it('reads the copy’s layout version', () => {
    const { doc } = board();
    metaOf(doc).set('schemaVersion', SCHEMA_VERSION + 1);
    expect(inspectStoredCopy(doc, true, SCHEMA_VERSION)).toMatchObject({
      schemaVersion: SCHEMA_VERSION + 1,
      migrationError: null,
    });
  });

  it('reports a migration that throws, without touching the copy', () => {
    const { doc } = board();
    metaOf(doc).delete('schemaVersion');
    const before = Y.encodeStateAsUpdate(doc);
    const migration = DOCUMENT_MIGRATIONS[0]!;
    const original = migration.migrate;
    (migration as { migrate: (d: Y.Doc) => void }).migrate = () => {
      throw new Error('cannot read this copy');
    };
    try {
      expect(inspectStoredCopy(doc, true, SCHEMA_VERSION).migrationError).toBe(
        'cannot read this copy',
      );
    } finally {
      (migration as { migrate: (d: Y.Doc) => void }).migrate = original;
    }
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
    expect(inspectStoredCopy(doc, true, SCHEMA_VERSION).migrationError).toBeNull();
  });
});

describe('unsentEditsFile', () => {
  it('holds the scenarios that differ from the live board, importable, and the whole copy as a Yjs update', () => {
    const { doc: live, baseline } = board();
    const stored = new Y.Doc();
    defineRoots(stored);
    Y.applyUpdate(stored, Y.encodeStateAsUpdate(live));
    setAssumption(stored, baseline, 'trainingOutput', 120_000);
    metaOf(stored).set('schemaVersion', SCHEMA_VERSION + 1);

    const file = unsentEditsFile({ boardId: 'b1', stored, live, reason: 'newer' });
    expect(file.scenarios.map((s) => [s.name, s.assumptions.trainingOutput])).toEqual([
      ['Baseline (unsent)', 120_000],
    ]);
    expect(file.unsent).toMatchObject({ reason: 'newer', schemaVersion: SCHEMA_VERSION + 1 });
    const imported = parseScenarioImport(JSON.parse(JSON.stringify(file)));
    expect(imported[0]).toMatchObject({ name: 'Baseline (unsent)' });
    expect(imported[0]!.values.trainingOutput).toBe(120_000);

    const copy = new Y.Doc();
    defineRoots(copy);
    Y.applyUpdate(copy, fromBase64(file.unsent.yjsUpdate));
    expect(readBoard(copy).scenarios[0]!.values.trainingOutput).toBe(120_000);
  });

  it('a colour the board refused becomes a valid one, so the import still takes the file', () => {
    const { doc: stored, baseline } = board();
    const scenario = stored.getMap<Y.Map<unknown>>('scenarios').get(baseline)!;
    scenario.set('color', 'red');
    const file = unsentEditsFile({ boardId: 'b1', stored, live: null, reason: 'r' });
    expect(file.scenarios[0]!.color).toBe('#2563eb');
    expect(() => parseScenarioImport(JSON.parse(JSON.stringify(file)))).not.toThrow();
  });

  it('without a live board to compare with, holds every scenario of the copy', () => {
    const { doc: stored } = board();
    const file = unsentEditsFile({ boardId: 'b1', stored, live: null, reason: 'r' });
    expect(file.scenarios).toHaveLength(1);
  });
});
