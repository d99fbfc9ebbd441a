import { randomBytes } from 'node:crypto';

/** Alphabet without look-alikes (0/O, 1/l/I), so ids read well aloud and in URLs. */
const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** A random id of `length` characters from ALPHABET (about 5 bits each; 12 chars ~ 60 bits). */
export function randomId(length = 12, alphabet = ALPHABET): string {
  const bytes = randomBytes(length);
  let id = '';
  for (const b of bytes) id += alphabet[b % alphabet.length];
  return id;
}

export const newBoardId = () => randomId(12);

/** Board ids as accepted in URLs: anything else is a 404 without touching storage. */
export const BOARD_ID_PATTERN = /^[a-z0-9]{4,64}$/;
