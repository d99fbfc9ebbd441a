/**
 * One access check for every entry point (HTTP API, Yjs endpoint, socket.io): a token (a role
 * link or a participant credential) must be valid (else 401 / close 4401), for this board and the
 * current link epoch of its role (a replaced link, or a credential issued under one, is 401 with
 * its own message), and of a role that allows the action (else 403 / close 4403).
 */
import {
  LINK_REPLACED_MESSAGE,
  type AccessRefusal,
  type ParticipantIdentity,
  type Role,
} from '../../lib/protocol';
import type { BoardStorage } from '../storage/types';
import type { TokenKind, TokenProblem, TokenService } from './tokens';

const RANK: Record<Role, number> = { viewer: 0, editor: 1, moderator: 2 };

export type AccessResult =
  | {
      ok: true;
      role: Role;
      /** The link epoch the token was issued under (equal to the board's current one for its role). */
      epoch: number;
      /**
       * Who presented it, for a participant credential: the id is server-issued, the name and
       * colour were bound to it when the credential was signed. Null for a bare role link.
       */
      participant: ParticipantIdentity | null;
    }
  | { ok: false; status: 401 | 403 | 404; reason: AccessRefusal; message: string };

type AccessRefused = Extract<AccessResult, { ok: false }>;

/** Each refusal's HTTP status (its Yjs close code follows from it): one table, not one per return. */
const REFUSAL_STATUS: Record<AccessRefusal, AccessRefused['status']> = {
  unknownBoard: 404,
  otherBoard: 403,
  roleTooLow: 403,
  credentialMissing: 401,
  credentialExpired: 401,
  credentialInvalid: 401,
  credentialWrongKind: 401,
  linkReplaced: 401,
};

const refused = (reason: AccessRefusal, message: string): AccessRefused => ({
  ok: false,
  status: REFUSAL_STATUS[reason],
  reason,
  message,
});

const PROBLEM_REASON: Record<TokenProblem, AccessRefusal> = {
  missing: 'credentialMissing',
  expired: 'credentialExpired',
  'wrong-kind': 'credentialWrongKind',
  malformed: 'credentialInvalid',
  forged: 'credentialInvalid',
};

export class AccessControl {
  constructor(
    private readonly tokens: TokenService,
    private readonly storage: BoardStorage,
  ) {}

  /** Check `token` (a role token, or a download token) for `boardId`, requiring at least `minRole`. */
  async check(
    boardId: string,
    token: string | null | undefined,
    minRole: Role = 'viewer',
    kind: TokenKind = 'role',
  ): Promise<AccessResult> {
    // An unknown board is 404 whatever the token: ids are random (~60 bits), so saying that one
    // does not exist reveals nothing useful, and people with a mistyped link get the right page.
    const board = await this.storage.getBoard(boardId);
    if (!board) return refused('unknownBoard', `no board ${boardId}`);
    const verified = await this.tokens.verify(token, kind);
    if (!verified.ok)
      return refused(PROBLEM_REASON[verified.problem], problemMessage(verified.problem, kind));
    const { claims } = verified;
    if (claims.boardId !== boardId) return refused('otherBoard', 'this link is for another board');
    if (claims.epoch !== board.linkEpochs[claims.role])
      return refused('linkReplaced', LINK_REPLACED_MESSAGE);
    if (RANK[claims.role] < RANK[minRole])
      return refused('roleTooLow', `this needs a ${minRole} link; yours is a ${claims.role} link`);
    return {
      ok: true,
      role: claims.role,
      epoch: claims.epoch,
      participant: verified.participant,
    };
  }
}

function problemMessage(problem: TokenProblem, kind: TokenKind): string {
  if (kind === 'download') {
    if (problem === 'missing') return 'this download needs a download token (?dl=)';
    if (problem === 'expired') return 'this download link has expired: start the download again';
    if (problem === 'wrong-kind')
      return 'a role token cannot open a download: get a download token from POST /api/boards/<id>/downloads';
    return 'this download link is not valid';
  }
  if (problem === 'missing') return 'this board needs a link with an access token';
  if (problem === 'expired') return 'this link has expired: ask the moderator for a new one';
  if (problem === 'wrong-kind')
    return 'a download token only opens downloads: send the role token as Authorization: Bearer';
  return 'this link is not valid';
}
