/**
 * Capability tokens for role links: HS256 JWTs (jose) naming the board, the role and the
 * board's link epoch. Rotating a board's links bumps its epoch, so every older token of that
 * board stops working at once, without a token blacklist.
 *
 * Download tokens (`typ: "download"`) carry the same claims, live about a minute and open only
 * download routes (`?dl=`), so a role token never has to appear in a URL. Each kind is refused
 * where the other is expected.
 */
import { SignJWT, jwtVerify, errors } from 'jose';
import type { Role } from '../../lib/protocol';

const ALG = 'HS256';
const ISSUER = 'scenario-board';
const ROLES: readonly Role[] = ['moderator', 'editor', 'viewer'];

export interface TokenClaims {
  boardId: string;
  role: Role;
  epoch: number;
}

/** Why a token was not accepted. Every kind maps to 401 / close 4401. */
export type TokenProblem = 'missing' | 'malformed' | 'forged' | 'expired' | 'wrong-kind';

/** A role link's token, or a short-lived download token. */
export type TokenKind = 'role' | 'download';
const DOWNLOAD_TYP = 'download';

/** How long a download token is valid. */
export const DOWNLOAD_TOKEN_SECONDS = 60;

export class TokenService {
  private readonly key: Uint8Array;

  /** `secret`: at least 32 bytes of entropy (see server/auth/secret.ts). */
  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  sign(claims: TokenClaims, expiresInSeconds?: number): Promise<string> {
    return this.signJwt({ role: claims.role, ep: claims.epoch }, claims.boardId, expiresInSeconds);
  }

  /** A download token for the holder of `claims` (negative lifetimes give expired tokens, for tests). */
  signDownload(claims: TokenClaims, expiresInSeconds = DOWNLOAD_TOKEN_SECONDS): Promise<string> {
    const payload = { typ: DOWNLOAD_TYP, role: claims.role, ep: claims.epoch };
    return this.signJwt(payload, claims.boardId, expiresInSeconds);
  }

  private signJwt(
    payload: Record<string, unknown>,
    boardId: string,
    expiresInSeconds: number | undefined,
  ): Promise<string> {
    const jwt = new SignJWT(payload)
      .setProtectedHeader({ alg: ALG })
      .setSubject(boardId)
      .setIssuer(ISSUER)
      .setIssuedAt();
    if (expiresInSeconds !== undefined)
      jwt.setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds);
    return jwt.sign(this.key);
  }

  /** Verify a token of the given kind (role tokens by default). */
  async verify(
    token: string | null | undefined,
    kind: TokenKind = 'role',
  ): Promise<{ ok: true; claims: TokenClaims } | { ok: false; problem: TokenProblem }> {
    if (!token) return { ok: false, problem: 'missing' };
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: [ALG] });
      // Role tokens have no `typ` (links shared before download tokens existed keep working).
      if (payload.typ !== (kind === 'download' ? DOWNLOAD_TYP : undefined))
        return { ok: false, problem: 'wrong-kind' };
      const role = payload.role as Role;
      if (
        typeof payload.sub !== 'string' ||
        !ROLES.includes(role) ||
        typeof payload.ep !== 'number'
      ) {
        return { ok: false, problem: 'malformed' };
      }
      return { ok: true, claims: { boardId: payload.sub, role, epoch: payload.ep } };
    } catch (err) {
      if (err instanceof errors.JWTExpired) return { ok: false, problem: 'expired' };
      if (err instanceof errors.JWSSignatureVerificationFailed)
        return { ok: false, problem: 'forged' };
      return { ok: false, problem: 'malformed' };
    }
  }
}
