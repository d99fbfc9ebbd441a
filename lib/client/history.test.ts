import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
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
