import { randomInt } from 'node:crypto';
import type { ParticipantIdentity, Role } from '../../lib/protocol';

/** Alphabet without look-alikes (0/O, 1/l/I), so ids read well aloud and in URLs. */
const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** A random id of `length` characters from `alphabet` (uniform; 12 of ALPHABET ~ 60 bits). */
export function randomId(length = 12, alphabet = ALPHABET): string {
  let id = '';
  for (let i = 0; i < length; i++) id += alphabet[randomInt(alphabet.length)];
  return id;
}

export const newBoardId = () => randomId(12);

export { BOARD_ID_PATTERN } from '../../lib/protocol';

/** A server-issued participant id (see PARTICIPANT_ID_PATTERN in lib/protocol.ts). */
export const newParticipantId = () => `p${randomId(15)}`;

/** The identity of a connection opened with a bare role link: its own id, a generic name. */
export function anonymousParticipant(role: Role): ParticipantIdentity {
  return { id: newParticipantId(), name: `Anonymous ${role}`, color: '#64748b' };
}
