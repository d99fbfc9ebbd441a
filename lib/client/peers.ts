/**
 * Other tabs' Yjs awareness states as presence: validated (a state that does not parse is
 * skipped), never this tab's own.
 */
import type { Awareness } from 'y-protocols/awareness';
import { z } from 'zod';
import { participantSchema } from '../protocol';
import { isAssumptionId } from '../model';
import type { EditingTarget, PeerPresence } from './sessionState';
import { ID_MAX } from '../board/limits';

const editingSchema = z
  .object({ scenarioId: z.string().max(ID_MAX), assumptionId: z.string() })
  .nullable()
  .catch(null)
  .transform((e): EditingTarget | null =>
    e && isAssumptionId(e.assumptionId)
      ? { scenarioId: e.scenarioId, assumptionId: e.assumptionId }
      : null,
  );

const peerStateSchema = z.object({
  user: participantSchema,
  participantId: z.string().max(ID_MAX).nullable().optional().catch(null),
  editing: editingSchema.optional(),
  scenarioId: z.string().max(ID_MAX).nullable().optional().catch(null),
});

/** Every other tab's presence, in awareness order. */
export function peersOf(awareness: Awareness): PeerPresence[] {
  const peers: PeerPresence[] = [];
  for (const [clientId, state] of awareness.getStates()) {
    if (clientId === awareness.clientID) continue;
    const parsed = peerStateSchema.safeParse(state);
    if (!parsed.success) continue;
    peers.push({
      awarenessId: clientId,
      participantId: parsed.data.participantId ?? null,
      user: parsed.data.user,
      editing: parsed.data.editing ?? null,
      scenarioId: parsed.data.scenarioId ?? null,
    });
  }
  return peers;
}
