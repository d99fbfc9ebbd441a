/** Uncertainty bands, one per assumption (root `bands`; moderators only). */
import type * as Y from 'yjs';
import * as v from 'valibot';
import { clampAssumption, isAssumptionId, type AssumptionId } from '../model';
import { ROOT } from './layout';

/**
 * An uncertainty band. `origin: 'poll'` marks a band set from a value poll's answers (shown as
 * "the room's estimate"); a band typed by the moderator has no origin.
 */
export const bandSchema = v.strictObject({
  low: v.pipe(v.number(), v.finite()),
  high: v.pipe(v.number(), v.finite()),
  origin: v.optional(v.literal('poll')),
});
export type Band = v.InferOutput<typeof bandSchema>;

/** A band as a write must leave it: low <= high (reading tolerates either order). */
export const storedBandSchema = v.pipe(
  bandSchema,
  v.check((b) => b.low <= b.high),
);

/** Moderator-set uncertainty bands, by assumption id (invalid entries ignored). */
export function readBands(doc: Y.Doc): Partial<Record<AssumptionId, Band>> {
  const out: Partial<Record<AssumptionId, Band>> = {};
  for (const [key, value] of doc.getMap<unknown>(ROOT.bands).entries()) {
    const band = v.safeParse(bandSchema, value);
    if (isAssumptionId(key) && band.success) out[key] = band.output;
  }
  return out;
}

/** Set (clamped into the assumption's range, low <= high) or clear a band. */
export function setBand(doc: Y.Doc, id: AssumptionId, band: Band | null): void {
  const bands = doc.getMap<unknown>(ROOT.bands);
  if (!band) {
    bands.delete(id);
    return;
  }
  const low = clampAssumption(id, Math.min(band.low, band.high));
  const high = clampAssumption(id, Math.max(band.low, band.high));
  bands.set(id, band.origin ? { low, high, origin: band.origin } : { low, high });
}
