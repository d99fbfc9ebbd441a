/**
 * Board access on this device: the capability token from a board link (`/b/<id>#t=<token>`), kept
 * per board in localStorage so a reload or a "Recent boards" click still works. (Who the person
 * is, on top of the link, is a participant credential the server issues: see identity.ts.)
 *
 * The token travels in the URL fragment, which browsers never send to the server; once read it is
 * removed from the address bar so a moderator who copies the URL does not hand out their role.
 * The Share dialog gives the right link for each role instead.
 */
import * as v from 'valibot';
import { participantIdentitySchema, type ParticipantIdentity, type Role } from '../protocol';
import { ID_MAX } from '../board/limits';
import { notArray } from '../notArray';
import { createLocalStore } from './localStore';

const tokensSchema = notArray(
  v.record(v.pipe(v.string(), v.maxLength(ID_MAX)), v.pipe(v.string(), v.maxLength(4096))),
);

const tokenStore = createLocalStore<Readonly<Record<string, string>>>(
  'scenario-board:tokens',
  (raw) => {
    const parsed = v.safeParse(tokensSchema, raw);
    return parsed.success ? parsed.output : null;
  },
  Object.freeze({}),
);

/** The token remembered for a board on this device. */
export function storedBoardToken(boardId: string): string | null {
  return tokenStore.get()[boardId] ?? null;
}

export function rememberBoardToken(boardId: string, token: string): void {
  if (tokenStore.get()[boardId] === token) return;
  tokenStore.set({ ...tokenStore.get(), [boardId]: token });
}

/** A token in the current URL's fragment (`#t=…`), if any. */
export function tokenFromLocation(location: Location = window.location): string | null {
  const hash = location.hash.startsWith('#') ? location.hash.slice(1) : location.hash;
  const token = new URLSearchParams(hash).get('t');
  return token && token.length <= 4096 ? token : null;
}

/**
 * The token to use for a board: a new one from the link wins (and is remembered, and removed from
 * the address bar), else the remembered one.
 */
export function takeBoardToken(boardId: string): string | null {
  const fromLink = tokenFromLocation();
  if (fromLink) {
    rememberBoardToken(boardId, fromLink);
    const url = new URL(window.location.href);
    url.hash = '';
    window.history.replaceState(window.history.state, '', url.pathname + url.search);
    return fromLink;
  }
  return storedBoardToken(boardId);
}

/** The link that grants `token`'s access to a board. */
export function boardLink(origin: string, boardId: string, token: string): string {
  return `${origin}/b/${encodeURIComponent(boardId)}#t=${token}`;
}

export const ROLE_LABEL: Record<Role, string> = {
  moderator: 'Moderator',
  editor: 'Editor',
  viewer: 'View only',
};

const ROLES: readonly Role[] = ['moderator', 'editor', 'viewer'];

/** What a link token or participant credential says, read without verifying it. */
export interface TokenClaims {
  role: Role;
  /** The board's link epoch it was issued under. */
  epoch: number;
  /** Set for a participant credential. */
  participant: ParticipantIdentity | null;
}

/**
 * The claims of a token, read without verifying it: for display and for choosing which stored
 * credential goes with which link. The server checks every token and enforces everything.
 */
export function tokenClaims(token: string | null): TokenClaims | null {
  const payload = token?.split('.')[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const claims = JSON.parse(json) as Record<string, unknown>;
    const role = ROLES.find((r) => r === claims.role);
    if (!role || typeof claims.ep !== 'number') return null;
    const participant =
      claims.kind === 'participant'
        ? v.safeParse(participantIdentitySchema, {
            id: claims.pid,
            name: claims.name,
            color: claims.color,
          })
        : null;
    return {
      role,
      epoch: claims.ep,
      participant: participant?.success ? participant.output : null,
    };
  } catch {
    return null;
  }
}

/** The role a token names (unverified): for display only (which controls to show). */
export function roleFromToken(token: string | null): Role | null {
  return tokenClaims(token)?.role ?? null;
}
