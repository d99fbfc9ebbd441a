import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ROOT } from '../board/layout';
import { readLocks } from '../board/locks';
import { docValue } from './history';

const readNotes = (doc: Y.Doc) =>
  doc
    .getArray<string>('notes')
    .toArray()
    .map((text) => ({ text }));

describe('docValue (useDocValue outside React)', () => {
  it('keeps the same object while an update leaves the value equal, and a new one when it changes', () => {
    const doc = new Y.Doc();
    doc.getArray<string>('notes').push(['first']);
    const before = docValue(doc, readNotes);
    expect(before).toEqual([{ text: 'first' }]);

    doc.getMap('elsewhere').set('lever', 5); // an update that does not touch the notes
    expect(docValue(doc, readNotes)).toBe(before);

    doc.getArray<string>('notes').push(['second']);
    const after = docValue(doc, readNotes);
    expect(after).not.toBe(before);
    expect(after).toEqual([{ text: 'first' }, { text: 'second' }]);
  });
});

describe('docValue: readers of one root run again only when it changes', () => {
  it('follows its own root (local and remote changes), and skips changes elsewhere', () => {
    const doc = new Y.Doc();
    const locks = doc.getMap<unknown>(ROOT.locks);
    const stored = { by: 'Maria', at: 1 };
    locks.set('conversionRate', stored);
    expect(docValue(doc, readLocks)).toEqual({ conversionRate: { by: 'Maria', at: 1 } });

    // Changed behind Yjs's back (a test only): a reader that ran again would see it.
    stored.by = 'Changed in place';
    doc.getMap(ROOT.meta).set('title', 'Another part of the board');
    expect(docValue(doc, readLocks).conversionRate?.by).toBe('Maria');
    // A reader of the whole document still runs after any change.
    expect(docValue(doc, (d) => d.getMap(ROOT.meta).get('title'))).toBe(
      'Another part of the board',
    );

    // Its own root changed, locally or from another replica: read again.
    locks.set('trainingOutput', { by: 'Ali', at: 2 });
    expect(Object.keys(docValue(doc, readLocks)).sort()).toEqual([
      'conversionRate',
      'trainingOutput',
    ]);
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    other.getMap<unknown>(ROOT.locks).delete('trainingOutput');
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
    expect(Object.keys(docValue(doc, readLocks))).toEqual(['conversionRate']);
  });
});
