/**
 * Who this browser is on a board: a display name and a colour, chosen once and remembered in
 * localStorage (no accounts). Validated with the same schema the server applies to the handshake.
 */
import { useSyncExternalStore } from 'react';
import { participantSchema, type Participant } from '../protocol';
import { createLocalStore } from './localStore';

/** Avatar colours: saturated enough for white initials, distinct on a projector. */
export const IDENTITY_COLORS = [
  '#2563eb',
  '#c2410c',
  '#047857',
  '#7c3aed',
  '#be185d',
  '#0e7490',
  '#4d7c0f',
  '#b91c1c',
  '#a16207',
  '#4338ca',
] as const;

const ADJECTIVES = [
  'Curious',
  'Patient',
  'Bright',
  'Steady',
  'Bold',
  'Quiet',
  'Keen',
  'Calm',
  'Swift',
  'Wise',
];
const ANIMALS = [
  'Heron',
  'Falcon',
  'Otter',
  'Ibex',
  'Lynx',
  'Crane',
  'Marten',
  'Gazelle',
  'Kestrel',
  'Panda',
];

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;

/** A friendly suggestion for the name prompt, e.g. "Curious Heron". */
export function suggestName(): string {
  return `${pick(ADJECTIVES)} ${pick(ANIMALS)}`;
}

export function randomIdentityColor(): string {
  return pick(IDENTITY_COLORS);
}

const store = createLocalStore<Participant | null>(
  'scenario-board:identity',
  (raw) => {
    const parsed = participantSchema.safeParse(raw);
    return parsed.success ? parsed.data : null;
  },
  null,
);

/** Save (after validating) the identity; returns an error message for an invalid one. */
export function saveIdentity(input: { name: string; color: string }): string | null {
  const parsed = participantSchema.safeParse({ name: input.name.trim(), color: input.color });
  if (!parsed.success) {
    return input.name.trim() === '' ? 'Please enter a name.' : 'Use at most 40 characters.';
  }
  store.set(parsed.data);
  return null;
}

const getServerSnapshot = (): Participant | null => null;

/** The remembered identity, or null until the person has chosen one. */
export function useIdentity(): Participant | null {
  return useSyncExternalStore(store.subscribe, store.get, getServerSnapshot);
}

/** Initials for an avatar: "Curious Heron" -> "CH", "ada" -> "AD". */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  if (words.length === 1)
    return Array.from(words[0] ?? '')
      .slice(0, 2)
      .join('')
      .toUpperCase();
  const first = Array.from(words[0] ?? '')[0] ?? '';
  const last = Array.from(words[words.length - 1] ?? '')[0] ?? '';
  return (first + last).toUpperCase();
}
