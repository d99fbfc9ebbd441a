/**
 * What the API routes are given (`ApiOptions`, from app.ts) and the board access every board
 * route uses: the caller's role and identity, the live document read and changed through the hub.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type * as Y from 'yjs';
import type { Role } from '../../../lib/protocol';
import { SERVER_ACTOR, type Actor } from '../../../lib/board/refusal';
import type { BoardHub } from '../../collab/hub';
import { RefusedChangeError } from '../../collab/liveBoard';
import type { Logger } from '../../logger';
import type { LinkEpochs } from '../../storage/types';
import type { TokenService } from '../../auth/tokens';
import type { AccessControl } from '../../auth/access';
import type { RateLimits } from '../rateLimits';
import { ApiError, type Credential } from '../apiKit';

export interface ApiOptions {
  hub: BoardHub;
  logger: Logger;
  tokens: TokenService;
  access: AccessControl;
  /**
   * Called after a board's new link epochs are stored, to disconnect holders of replaced links on
   * every instance; the rotate request answers once it resolves.
   */
  onLinksRotated: (boardId: string, epochs: LinkEpochs) => Promise<void> | void;
  /**
   * Whether this request may be issued a new participant id (a per-address limit: people are
   * cheap to identify, a script minting identities to stuff a poll is not). Asked only once the
   * token and body are valid, and not for renames (which keep their id). Default: always allowed.
   */
  allowIssue?: (req: IncomingMessage) => Promise<IssueDecision>;
  limits: RateLimits;
}

/** The answer of `allowIssue`: refused requests get 429 with `Retry-After`. */
export type IssueDecision = { ok: true } | { ok: false; retryAfterMs: number };

/** A route outside a board (`/api/health`, `/api/join`, `POST /api/boards`). */
export interface ApiRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'ALL';
  /** Full path, e.g. `/api/join`. */
  path: string;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void> | void;
}

/** What a board route is called with, once the board id and the caller's role are checked. */
export interface BoardCall {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** The board's id (checked against BOARD_ID_PATTERN). */
  id: string;
  /** Path parameters after the board id (`:vid`). */
  params: Record<string, string | undefined>;
  credential: Credential;
  /** The caller as checked against `role` (null for routes that check access themselves). */
  actor: (Actor & { role: Role }) | null;
}

/** A route under `/api/boards/:id`. */
export interface BoardRoute {
  method: 'GET' | 'POST' | 'PATCH';
  /** Path under the board, e.g. `/versions/:vid/restore` ('' for the board itself). */
  path: string;
  /** The least role the caller needs (checked before the handler), or null: the handler checks. */
  role: Role | null;
  /** Also opens with a download token (`?dl=`): what the browser fetches by URL. */
  download?: true;
  handle(call: BoardCall): Promise<void>;
}

/** The routes' view of the options: every one set. */
export type ApiContext = ApiOptions & { allowIssue: NonNullable<ApiOptions['allowIssue']> };

/** Reading and changing a board for an HTTP caller, and checking who the caller is. */
export function boardAccess({ hub, access }: ApiContext) {
  /** Read the live document of a board (loading it if needed); 404 for an unknown board. */
  async function readLive<T>(id: string, read: (doc: Y.Doc) => T): Promise<T> {
    const result = await hub.withBoard(id, (b) => ({ value: read(b.doc) }));
    if (!result) throw new ApiError(404, 'unknownBoard', `no board ${id}`);
    return result.value;
  }

  /**
   * A change to a board's document made for an HTTP caller (or by the server itself), judged by
   * the same validation and role rules as a client's update, then stored and relayed.
   */
  async function changeBoard(
    id: string,
    change: (doc: Y.Doc) => void,
    actor: Actor = SERVER_ACTOR,
  ): Promise<void> {
    try {
      // withBoard resolves once the change is stored and relayed (it returns applyServerChange's promise).
      const found = await hub.withBoard(id, (board) => board.applyServerChange(change, actor));
      if (found === null) throw new ApiError(404, 'unknownBoard', `no board ${id}`);
    } catch (err) {
      if (!(err instanceof RefusedChangeError)) throw err;
      const { kind, message, path } = err.refusal;
      const status = ['invalid', 'malformed', 'limit'].includes(kind) ? 400 : 403;
      throw new ApiError(status, 'refused', message, path || undefined, kind);
    }
  }

  async function requireRole(id: string, credential: Credential, role: Role): Promise<Role> {
    return (await requireAccess(id, credential, role)).role;
  }

  /** The caller as the board's rules see it: role, and participant when it sent a credential. */
  async function requireAccess(
    id: string,
    credential: Credential,
    role: Role,
  ): Promise<Actor & { role: Role }> {
    const result = await access.check(id, credential.token, role, credential.kind);
    if (!result.ok) throw new ApiError(result.status, result.reason, result.message);
    return { role: result.role, participant: result.participant };
  }

  return { readLive, changeBoard, requireRole, requireAccess };
}
