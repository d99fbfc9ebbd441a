import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import * as Y from 'yjs';
import { logEntrySchema, readLog, readLogOnce, type LogEntry } from './decisionLog';
import { ROOT } from './layout';

const entry = (id: string, at: number, to = 1): LogEntry => ({
  id,
  by: { id: 'p1', name: 'Ayesha', color: '#0f766e' },
  at,
  scenarioId: 's1',
  assumptionId: 'conversionRate',
  from: null,
  to,
});

/** What readLog must return: every valid stored entry, oldest first (ties by id). */
function reference(doc: Y.Doc): LogEntry[] {
  return [...doc.getMap<unknown>(ROOT.log).values()]
    .map((value) => v.safeParse(logEntrySchema, value))
    .filter((r) => r.success)
    .map((r) => r.output)
    .sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
}

describe('readLog (kept up to date as the log changes)', () => {
  it('matches a full read through adds, merges, deletes, ties and invalid entries', () => {
    const doc = new Y.Doc();
    const log = doc.getMap<unknown>(ROOT.log);
    let seed = 7;
    const random = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    for (let step = 0; step < 400; step++) {
      doc.transact(() => {
        for (let k = 1 + random(3); k > 0; k--) {
          const key = `e${random(40)}`;
          const roll = random(10);
          if (roll < 6) log.set(key, entry(key, random(50), random(100)));
          else if (roll < 8) log.delete(key);
          else log.set(key, { id: key, at: 'not a number' }); // crafted: skipped
        }
      });
      expect(readLog(doc)).toEqual(reference(doc));
      expect(readLogOnce(doc)).toEqual(reference(doc));
    }
  });

  it('returns the same list until the log changes, and keeps unchanged entries', () => {
    const doc = new Y.Doc();
    const log = doc.getMap<unknown>(ROOT.log);
    log.set('a', entry('a', 1));
    log.set('b', entry('b', 2));
    const first = readLog(doc);
    doc.getMap(ROOT.meta).set('title', 'Elsewhere'); // another part of the board
    expect(readLog(doc)).toBe(first);
    log.set('c', entry('c', 3));
    const second = readLog(doc);
    expect(second.map((e) => e.id)).toEqual(['a', 'b', 'c']);
    expect(second[0]).toBe(first[0]);
    expect(first.map((e) => e.id)).toEqual(['a', 'b']); // an earlier read is not modified
  });

  it('is current inside a transaction and in any observer of it', () => {
    const doc = new Y.Doc();
    const log = doc.getMap<unknown>(ROOT.log);
    log.set('a', entry('a', 1));
    readLog(doc);
    const seenByObserver: string[][] = [];
    // Another part of the board changed in the same transaction: its observer reads the log.
    doc.getMap(ROOT.meta).observe(() => seenByObserver.push(readLog(doc).map((e) => e.id)));
    doc.transact(() => {
      doc.getMap(ROOT.meta).set('title', 'x');
      log.set('b', entry('b', 2));
      expect(readLog(doc).map((e) => e.id)).toEqual(['a', 'b']);
    });
    expect(seenByObserver).toEqual([['a', 'b']]);
  });
});
