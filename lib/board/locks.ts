/** A moderator's lock on one assumption, in every scenario (root `locks`; moderators only). */
import type * as Y from 'yjs';
import * as v from 'valibot';
import { isAssumptionId, type AssumptionId } from '../model';
import { AUTHOR_NAME_MAX, LOCK_REASON_MAX } from './limits';
import { ROOT } from './layout';

export const lockSchema = v.strictObject({
  by: v.pipe(v.string(), v.maxLength(AUTHOR_NAME_MAX)),
  at: v.pipe(v.number(), v.finite()),
  /** Why, in the moderator's words ("agreed in the morning session"); shown to the room. */
  reason: v.optional(v.pipe(v.string(), v.maxLength(LOCK_REASON_MAX))),
});
export type Lock = v.InferOutput<typeof lockSchema>;

/** Locks by assumption id (invalid entries ignored). */
export function readLocks(doc: Y.Doc): Partial<Record<AssumptionId, Lock>> {
  const out: Partial<Record<AssumptionId, Lock>> = {};
  for (const [key, value] of doc.getMap<unknown>(ROOT.locks).entries()) {
    const lock = v.safeParse(lockSchema, value);
    if (isAssumptionId(key) && lock.success) out[key] = lock.output;
  }
  return out;
}

/** How a lock reads to the room: "Locked by Maria: agreed in the morning session". */
export function lockText(lock: Lock): string {
  return lock.reason ? `Locked by ${lock.by}: ${lock.reason}` : `Locked by ${lock.by}`;
}

/** Set or clear a lock (moderators; the server refuses it from anyone else). */
export function setLock(doc: Y.Doc, id: AssumptionId, lock: Lock | null): void {
  const locks = doc.getMap<unknown>(ROOT.locks);
  doc.transact(() => (lock ? locks.set(id, lock) : locks.delete(id)));
}
