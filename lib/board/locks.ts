/** A moderator's lock on one assumption, in every scenario (root `locks`; moderators only). */
import type * as Y from 'yjs';
import * as z from 'zod/mini';
import { isAssumptionId, type AssumptionId } from '../model';
import { AUTHOR_NAME_MAX, LOCK_REASON_MAX } from './limits';
import { ROOT } from './layout';

export const lockSchema = z.strictObject({
  by: z.string().check(z.maxLength(AUTHOR_NAME_MAX)),
  at: z.number(),
  /** Why, in the moderator's words ("agreed in the morning session"); shown to the room. */
  reason: z.optional(z.string().check(z.maxLength(LOCK_REASON_MAX))),
});
export type Lock = z.infer<typeof lockSchema>;

/** Locks by assumption id (invalid entries ignored). */
export function readLocks(doc: Y.Doc): Partial<Record<AssumptionId, Lock>> {
  const out: Partial<Record<AssumptionId, Lock>> = {};
  for (const [key, value] of doc.getMap<unknown>(ROOT.locks).entries()) {
    const lock = lockSchema.safeParse(value);
    if (isAssumptionId(key) && lock.success) out[key] = lock.data;
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
