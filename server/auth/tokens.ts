/**
 * Signed tokens (HS256 JWTs, jose), of three kinds, all naming the board, the role and the
 * link epoch of that role on that board:
 *
 * - **role links**: shared by everyone the moderator sends a link to (or who joins by code);
 * - **participant credentials**: personal, issued by the server to one person on top of a role
 *   link (`POST /api/boards/<id>/participants`). They add a server-generated participant id and
 *   the display name and colour bound to it, so nothing attributed to a person can be claimed by
 *   another client. They open everything their role link opens;
 * - **download tokens** (`typ: "download"`): live about a minute and open only download routes
 *   (`?dl=`), so a role token never has to appear in a URL. Refused everywhere else, and no
 *   other kind is accepted where a download token is expected.
 *
 * Replacing a role's link bumps that role's epoch, so every older token of that board and role,
 * of any kind, stops working at once, without a token blacklist; other roles' tokens keep working.
 */
import { SignJWT, jwtVerify, errors, type JWTPayload } from 'jose';
import * as v from 'valibot';
import { participantIdentitySchema, type ParticipantIdentity, type Role } from '../../lib/protocol';

const ALG = 'HS256';
const ISSUER = 'scenario-board';
const ROLES: readonly Role[] = ['moderator', 'editor', 'viewer'];
/** `kind` claim of a participant credential; role links carry none. */
const PARTICIPANT_KIND = 'participant';
/** `typ` claim of a download token. */
const DOWNLOAD_TYP = 'download';

/** How long a download token is valid. */
export const DOWNLOAD_TOKEN_SECONDS = 60;

export interface TokenClaims {
  boardId: string;
  role: Role;
  epoch: number;
}

export interface ParticipantClaims extends TokenClaims {
  participant: ParticipantIdentity;
}

/** Why a token was not accepted. Every kind maps to 401 / close 4401. */
export type TokenProblem = 'missing' | 'malformed' | 'forged' | 'expired' | 'wrong-kind';

/** What a caller expects: a role link or credential (the default), or a download token. */
export type TokenKind = 'role' | 'download';

export type VerifiedToken =
  | {
      ok: true;
      claims: TokenClaims;
      /** Set for a participant credential, null for a role link or a download token. */
      participant: ParticipantIdentity | null;
    }
  | { ok: false; problem: TokenProblem };

export class TokenService {
  private readonly key: Uint8Array;

  /** `secret`: at least 32 bytes of entropy (see server/auth/secret.ts). */
  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  /** A role link token. */
  sign(claims: TokenClaims, expiresInSeconds?: number): Promise<string> {
    return this.signPayload(claims, { role: claims.role, ep: claims.epoch }, expiresInSeconds);
  }

  /** A participant credential: a role link's claims plus who the person is. */
  signParticipant(claims: ParticipantClaims): Promise<string> {
    const { participant } = claims;
    return this.signPayload(claims, {
      kind: PARTICIPANT_KIND,
      role: claims.role,
      ep: claims.epoch,
      pid: participant.id,
      name: participant.name,
      color: participant.color,
    });
  }

  /** A download token for the holder of `claims` (negative lifetimes give expired tokens, for tests). */
  signDownload(claims: TokenClaims, expiresInSeconds = DOWNLOAD_TOKEN_SECONDS): Promise<string> {
    const payload = { typ: DOWNLOAD_TYP, role: claims.role, ep: claims.epoch };
    return this.signPayload(claims, payload, expiresInSeconds);
  }

  private signPayload(
    claims: TokenClaims,
    payload: JWTPayload,
    expiresInSeconds?: number,
  ): Promise<string> {
    const jwt = new SignJWT(payload)
      .setProtectedHeader({ alg: ALG })
      .setSubject(claims.boardId)
      .setIssuer(ISSUER)
      .setIssuedAt();
    if (expiresInSeconds !== undefined)
      jwt.setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds);
    return jwt.sign(this.key);
  }

  /** Verify a token of the given kind (role links and participant credentials by default). */
  async verify(token: string | null | undefined, kind: TokenKind = 'role'): Promise<VerifiedToken> {
    if (!token) return { ok: false, problem: 'missing' };
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: [ALG] }));
    } catch (err) {
      if (err instanceof errors.JWTExpired) return { ok: false, problem: 'expired' };
      if (err instanceof errors.JWSSignatureVerificationFailed)
        return { ok: false, problem: 'forged' };
      return { ok: false, problem: 'malformed' };
    }
    // Role links have no `typ` (links shared before download tokens existed keep working).
    if (payload.typ !== (kind === 'download' ? DOWNLOAD_TYP : undefined))
      return { ok: false, problem: 'wrong-kind' };
    const role = payload.role as Role;
    if (typeof payload.sub !== 'string' || !ROLES.includes(role) || typeof payload.ep !== 'number')
      return { ok: false, problem: 'malformed' };
    const claims: TokenClaims = { boardId: payload.sub, role, epoch: payload.ep };
    if (payload.kind === undefined) return { ok: true, claims, participant: null };
    if (kind === 'download' || payload.kind !== PARTICIPANT_KIND)
      return { ok: false, problem: 'malformed' };
    // Signed by us, but checked anyway: a credential is only as good as what it carries.
    const participant = v.safeParse(participantIdentitySchema, {
      id: payload.pid,
      name: payload.name,
      color: payload.color,
    });
    if (!participant.success) return { ok: false, problem: 'malformed' };
    return { ok: true, claims, participant: participant.output };
  }
}
