import { JOIN_CODE_LENGTH } from '../../lib/protocol';
import { randomId } from '../collab/ids';

/**
 * Join codes: 6 characters people read off a projector and type on a phone. No look-alikes
 * (0/O, 1/I/L, 5/S, 2/Z, 8/B are left out), upper case, ~30 bits: enough for live workshops,
 * and the code only grants the editor role, which the moderator can rotate.
 */
export const JOIN_CODE_ALPHABET = 'ACDEFGHJKMNPQRTUVWXY34679';
export const JOIN_CODE_PATTERN = new RegExp(`^[${JOIN_CODE_ALPHABET}]{${JOIN_CODE_LENGTH}}$`);

export const newJoinCode = () => randomId(JOIN_CODE_LENGTH, JOIN_CODE_ALPHABET);

/** Tolerant reading of what a participant typed: case, spaces and dashes do not matter. */
export function normalizeJoinCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '');
}
