/**
 * Other tabs' Yjs awareness states as presence: validated (a state that does not parse is
 * skipped), never this tab's own.
 */
import type { Awareness } from 'y-protocols/awareness';
import * as v from 'valibot';
import { participantSchema } from '../protocol';
import { isAssumptionId } from '../model';
import type { EditingTarget, PeerPresence } from './sessionState';
import { ID_MAX } from '../board/limits';

const editingSchema = v.pipe(
  v.fallback(
    v.nullable(
      v.object({ scenarioId: v.pipe(v.string(), v.maxLength(ID_MAX)), assumptionId: v.string() }),
    ),
    null,
  ),
  v.transform((e): EditingTarget | null =>
    e && isAssumptionId(e.assumptionId)
      ? { scenarioId: e.scenarioId, assumptionId: e.assumptionId }
      : null,
  ),
);

const peerStateSchema = v.object({
  user: participantSchema,
  participantId: v.fallback(v.optional(v.nullable(v.pipe(v.string(), v.maxLength(ID_MAX)))), null),
  editing: v.optional(editingSchema),
  scenarioId: v.fallback(v.optional(v.nullable(v.pipe(v.string(), v.maxLength(ID_MAX)))), null),
});

/** Every other tab's presence, in awareness order. */
export function peersOf(awareness: Awareness): PeerPresence[] {
  const peers: PeerPresence[] = [];
  for (const [clientId, state] of awareness.getStates()) {
    if (clientId === awareness.clientID) continue;
    const parsed = v.safeParse(peerStateSchema, state);
    if (!parsed.success) continue;
    peers.push({
      awarenessId: clientId,
      participantId: parsed.output.participantId ?? null,
      user: parsed.output.user,
      editing: parsed.output.editing ?? null,
      scenarioId: parsed.output.scenarioId ?? null,
    });
  }
  return peers;
}
