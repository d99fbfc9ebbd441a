/**
 * Capability tokens for role links: HS256 JWTs (jose) naming the board, the role and the
 * board's link epoch. Rotating a board's links bumps its epoch, so every older token of that
 * board stops working at once, without a token blacklist.
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
export type TokenProblem = 'missing' | 'malformed' | 'forged' | 'expired';

export class TokenService {
  private readonly key: Uint8Array;

  /** `secret`: at least 32 bytes of entropy (see server/auth/secret.ts). */
  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  sign(claims: TokenClaims, expiresInSeconds?: number): Promise<string> {
    const jwt = new SignJWT({ role: claims.role, ep: claims.epoch })
      .setProtectedHeader({ alg: ALG })
      .setSubject(claims.boardId)
      .setIssuer(ISSUER)
      .setIssuedAt();
    if (expiresInSeconds !== undefined)
      jwt.setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds);
    return jwt.sign(this.key);
  }

  async verify(
    token: string | null | undefined,
  ): Promise<{ ok: true; claims: TokenClaims } | { ok: false; problem: TokenProblem }> {
    if (!token) return { ok: false, problem: 'missing' };
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: [ALG] });
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
