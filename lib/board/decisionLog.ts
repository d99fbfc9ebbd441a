/**
 * The decision log (root `log`): who changed which assumption of which scenario, from what, to
 * what. Written only by the server, for edits it accepted, attributed to the connection's
 * participant.
 */
import type * as Y from 'yjs';
import * as v from 'valibot';
import { ID_MAX, KEY_MAX, LOG_ENTRIES_MAX } from './limits';
import { ROOT } from './layout';
import { authorSchema } from './author';

/** One line of the decision log: an assumption of a scenario went from `from` to `to`. */
export const logEntrySchema = v.strictObject({
  id: v.pipe(v.string(), v.maxLength(KEY_MAX)),
  by: authorSchema,
  at: v.pipe(v.number(), v.finite()),
  scenarioId: v.pipe(v.string(), v.maxLength(ID_MAX)),
  assumptionId: v.pipe(v.string(), v.maxLength(ID_MAX)),
  from: v.nullable(v.pipe(v.number(), v.finite())),
  to: v.pipe(v.number(), v.finite()),
  /** Set when a moderator reverted the entry with this id (lib/board/activity.ts). */
  revertOf: v.optional(v.pipe(v.string(), v.maxLength(KEY_MAX))),
});
export type LogEntry = v.InferOutput<typeof logEntrySchema>;

/** A slider drag is one decision: edits by the same person to the same field this close together merge. */
export const LOG_MERGE_MS = 10_000;

const byTime = (a: LogEntry, b: LogEntry) => a.at - b.at || a.id.localeCompare(b.id);

function parseEntry(value: unknown): LogEntry | null {
  const parsed = v.safeParse(logEntrySchema, value);
  return parsed.success ? parsed.output : null;
}

/**
 * The log of one document, kept in order as it changes. A page reads the log again after every
 * change to the board (every remote edit) and it holds up to LOG_ENTRIES_MAX entries: parsing
 * and sorting them all each time cost 8 ms at 5,000 and 29 ms at 20,000 here, several times
 * that on a phone. Here an edit costs the entries it touched (and a copy of the list), and
 * entries that did not change keep their identity, so two reads compare quickly (useDocValue).
 */
class LogIndex {
  private byKey = new Map<string, LogEntry>();
  private sorted: LogEntry[];
  /** Keys changed since the list was last brought up to date. */
  private changed = new Set<string>();

  constructor(private readonly log: Y.Map<unknown>) {
    for (const [key, value] of log.entries()) {
      const entry = parseEntry(value);
      if (entry) this.byKey.set(key, entry);
    }
    this.sorted = [...this.byKey.values()].sort(byTime);
    // Before any observer of the transaction runs (one may read the log): its changed keys.
    log.doc!.on('beforeObserverCalls', (transaction: Y.Transaction) => {
      type Changed = Parameters<typeof transaction.changed.get>[0];
      const keys = transaction.changed.get(log as unknown as Changed);
      for (const key of keys ?? []) if (key !== null) this.changed.add(key);
    });
  }

  read(): LogEntry[] {
    if (this.changed.size === 0) return this.sorted;
    const gone = new Set<LogEntry>();
    const added: LogEntry[] = [];
    for (const key of this.changed) {
      const before = this.byKey.get(key);
      if (before) gone.add(before);
      const entry = this.log.has(key) ? parseEntry(this.log.get(key)) : null;
      if (entry) {
        this.byKey.set(key, entry);
        added.push(entry);
      } else this.byKey.delete(key);
    }
    this.changed.clear();
    const next = gone.size > 0 ? this.sorted.filter((e) => !gone.has(e)) : [...this.sorted];
    for (const entry of added.sort(byTime)) next.splice(insertionIndex(next, entry), 0, entry);
    return (this.sorted = next);
  }
}

/** Where `entry` goes in a list sorted by time (after equals: binary search). */
function insertionIndex(list: readonly LogEntry[], entry: LogEntry): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (byTime(list[mid]!, entry) <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

const indexes = new WeakMap<Y.Map<unknown>, LogIndex>();

/**
 * The decision log, oldest first, read whole: for the server's occasional reads (an export, a
 * revert, a decision's contributors), which should not keep an index alive with the board.
 */
export function readLogOnce(doc: Y.Doc): LogEntry[] {
  return [...doc.getMap<unknown>(ROOT.log).values()]
    .map(parseEntry)
    .filter((e) => e !== null)
    .sort(byTime);
}

/**
 * The decision log, oldest first, from an index kept with the document: for a page, which reads
 * it again after every change (useDocValue). The same array until the log changes: do not
 * modify it.
 */
export function readLog(doc: Y.Doc): readonly LogEntry[] {
  // Inside a transaction the index has not heard of its changes yet: read the map itself.
  if (doc._transaction !== null) return readLogOnce(doc);
  const log = doc.getMap<unknown>(ROOT.log);
  let index = indexes.get(log);
  if (!index) indexes.set(log, (index = new LogIndex(log)));
  return index.read();
}

/** Whether the decision log has room for `more` entries. */
export function logHasRoom(doc: Y.Doc, more: number): boolean {
  return doc.getMap(ROOT.log).size + more <= LOG_ENTRIES_MAX;
}
