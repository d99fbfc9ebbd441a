/**
 * Other tabs' Yjs awareness states as presence: validated (a state that does not parse is
 * skipped), never this tab's own.
 */
import type { Awareness } from 'y-protocols/awareness';
import * as z from 'zod/mini';
import { participantSchema } from '../protocol';
import { isAssumptionId } from '../model';
import type { EditingTarget, PeerPresence } from './sessionState';
import { ID_MAX } from '../board/limits';

const editingSchema = z.pipe(
  z.catch(
    z.nullable(
      z.object({ scenarioId: z.string().check(z.maxLength(ID_MAX)), assumptionId: z.string() }),
    ),
    null,
  ),
  z.transform((e): EditingTarget | null =>
    e && isAssumptionId(e.assumptionId)
      ? { scenarioId: e.scenarioId, assumptionId: e.assumptionId }
      : null,
  ),
);

const peerStateSchema = z.object({
  user: participantSchema,
  participantId: z.catch(z.optional(z.nullable(z.string().check(z.maxLength(ID_MAX)))), null),
  editing: z.optional(editingSchema),
  scenarioId: z.catch(z.optional(z.nullable(z.string().check(z.maxLength(ID_MAX)))), null),
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
