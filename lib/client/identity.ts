/**
 * Who this browser is on a board:
 *
 * - the display name and colour the person chose, once, remembered in localStorage (no accounts)
 *   and validated with the server's schema;
 * - per board, a participant credential the server issued for that name on top of the board link
 *   (a signed, server-chosen participant id): kept in localStorage per board, link role and link
 *   epoch, and presented on both transports (Yjs and the live session). A new name re-issues the
 *   credential with the credential itself, so the id stays the same.
 */
import { useSyncExternalStore } from 'react';
import * as v from 'valibot';
import {
  participantSchema,
  type Participant,
  type ParticipantIdentity,
  type Role,
} from '../protocol';
import { AUTHOR_NAME_MAX, ID_MAX } from '../board/limits';
import { notArray } from '../notArray';
import { createLocalStore } from './localStore';
import { issueParticipant } from './api';
import { ApiRequestError } from './apiClient';
import { tokenClaims } from './boardAccess';

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
    const parsed = v.safeParse(participantSchema, raw);
    return parsed.success ? parsed.output : null;
  },
  null,
);

/** Save (after validating) the identity; returns an error message for an invalid one. */
export function saveIdentity(input: { name: string; color: string }): string | null {
  const parsed = v.safeParse(participantSchema, { name: input.name.trim(), color: input.color });
  if (!parsed.success) {
    return input.name.trim() === ''
      ? 'Please enter a name.'
      : `Use at most ${AUTHOR_NAME_MAX} characters.`;
  }
  store.set(parsed.output);
  return null;
}

const getServerSnapshot = (): Participant | null => null;

/** The remembered identity, or null until the person has chosen one. */
export function useIdentity(): Participant | null {
  return useSyncExternalStore(store.subscribe, store.get, getServerSnapshot);
}

/** Initials for an avatar: "Curious Heron" -> "CH", "ada" -> "AD". */
export function initials(name: string): string {
  // Letters and digits only: "Ayesha (PSEB)" is "AP", not "A("; an emoji or a bracket is skipped.
  const words = name.match(/[\p{L}\p{N}][\p{L}\p{M}\p{N}]*/gu) ?? [];
  if (words.length === 0) return '?';
  if (words.length === 1)
    return Array.from(words[0] ?? '')
      .filter((c) => !/\p{M}/u.test(c))
      .slice(0, 2)
      .join('')
      .toUpperCase();
  const first = Array.from(words[0] ?? '')[0] ?? '';
  const last = Array.from(words[words.length - 1] ?? '')[0] ?? '';
  return (first + last).toUpperCase();
}

// --- participant credentials ---------------------------------------------------------------------

/** Credentials by board, then by the link they were issued from (`<role>@<epoch>`). */
const credentialsSchema = notArray(
  v.record(
    v.pipe(v.string(), v.maxLength(ID_MAX)),
    notArray(v.record(v.pipe(v.string(), v.maxLength(32)), v.pipe(v.string(), v.maxLength(4096)))),
  ),
);

const credentialStore = createLocalStore<Readonly<Record<string, Record<string, string>>>>(
  'scenario-board:credentials',
  (raw) => {
    const parsed = v.safeParse(credentialsSchema, raw);
    return parsed.success ? parsed.output : null;
  },
  Object.freeze({}),
);

/** A person on a board as the server issued them. */
export interface BoardParticipant extends ParticipantIdentity {
  role: Role;
}

export interface HeldCredential {
  credential: string;
  participant: BoardParticipant;
}

const linkKey = (role: Role, epoch: number) => `${role}@${epoch}`;

/** What a stored credential says about its holder (unverified; the server checks it). */
function held(credential: string): HeldCredential | null {
  const claims = tokenClaims(credential);
  if (!claims?.participant) return null;
  return { credential, participant: { ...claims.participant, role: claims.role } };
}

/** The credential this device holds for the board link `linkToken`, if any. */
export function storedCredential(boardId: string, linkToken: string | null): HeldCredential | null {
  const link = tokenClaims(linkToken);
  if (!link) return null;
  const stored = credentialStore.get()[boardId]?.[linkKey(link.role, link.epoch)];
  return stored ? held(stored) : null;
}

/**
 * Keep a credential for its board link; credentials of older epochs of the same role are dropped
 * (each role's link is replaced on its own, so other roles' epochs say nothing about this one).
 */
function rememberCredential(boardId: string, credential: string): void {
  const claims = tokenClaims(credential);
  if (!claims) return;
  const kept = Object.entries(credentialStore.get()[boardId] ?? {}).filter(([key]) => {
    const [role, epoch] = key.split('@');
    return role !== claims.role || Number(epoch) >= claims.epoch;
  });
  credentialStore.set({
    ...credentialStore.get(),
    [boardId]: { ...Object.fromEntries(kept), [linkKey(claims.role, claims.epoch)]: credential },
  });
}

/**
 * A credential for `wanted` on this board: the stored one if it already carries that name and
 * colour; else the stored one re-issued (a rename, same id); else a new one from the link.
 * Throws ApiRequestError (401 with the server's message when the link was replaced, 429 with
 * `retryAfterMs` when too many people joined from this address, 0 when offline).
 */
export function obtainCredential(
  boardId: string,
  linkToken: string,
  wanted: Participant,
): Promise<HeldCredential> {
  // Tabs opened together would each get a new id: one at a time per board, across tabs.
  const issue = () => issueOrReuse(boardId, linkToken, wanted);
  if (typeof navigator === 'undefined' || !('locks' in navigator)) return issue();
  return navigator.locks.request(`scenario-board:credential:${boardId}`, issue);
}

async function issueOrReuse(
  boardId: string,
  linkToken: string,
  wanted: Participant,
): Promise<HeldCredential> {
  const stored = storedCredential(boardId, linkToken);
  if (stored?.participant.name === wanted.name && stored.participant.color === wanted.color)
    return stored;
  let issued: HeldCredential | null = null;
  if (stored) {
    try {
      issued = await issueParticipant(boardId, stored.credential, wanted);
    } catch (err) {
      // A credential the server no longer takes (e.g. a new signing secret): start afresh below.
      if (!(err instanceof ApiRequestError) || (err.status !== 401 && err.status !== 403))
        throw err;
    }
  }
  issued ??= await issueParticipant(boardId, linkToken, wanted);
  rememberCredential(boardId, issued.credential);
  return issued;
}
