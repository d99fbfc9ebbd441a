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

/** The decision log, oldest first. */
export function readLog(doc: Y.Doc): LogEntry[] {
  const out: LogEntry[] = [];
  for (const value of doc.getMap<unknown>(ROOT.log).values()) {
    const entry = v.safeParse(logEntrySchema, value);
    if (entry.success) out.push(entry.output);
  }
  return out.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
}

/** Whether the decision log has room for `more` entries. */
export function logHasRoom(doc: Y.Doc, more: number): boolean {
  return doc.getMap(ROOT.log).size + more <= LOG_ENTRIES_MAX;
}
