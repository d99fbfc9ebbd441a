/**
 * Links and credentials: the role links and join code, replacing them per role, joining with a
 * code, personal participant credentials, short-lived download tokens.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as v from 'valibot';
import { JOIN_CODE_LENGTH, participantSchema, type Role } from '../../../lib/protocol';
import { notArray } from '../../../lib/notArray';
import { newParticipantId } from '../../collab/ids';
import { ROLES, type BoardRecord } from '../../storage/types';
import { AUTHOR_NAME_MAX } from '../../../lib/board/limits';
import { DOWNLOAD_TOKEN_SECONDS } from '../../auth/tokens';
import { JOIN_CODE_PATTERN, newJoinCode, normalizeJoinCode } from '../../auth/joinCodes';
import {
  ApiError,
  absoluteUrl,
  boardPath,
  readJson,
  readOptionalJson,
  sendJson,
  type Credential,
} from '../apiKit';
import type { ApiContext, ApiRoute, BoardRoute } from './context';
import { RateLimitedError } from '../rateLimits';

const joinSchema = v.object({ code: v.pipe(v.string(), v.maxLength(32)) });
/** Which links to replace; no body (or no `roles`) replaces every link, as before roles existed. */
const rotateSchema = v.optional(
  notArray(
    v.strictObject({
      roles: v.optional(
        v.pipe(
          v.array(v.picklist(['moderator', 'editor', 'viewer'])),
          v.minLength(1),
          v.maxLength(3),
        ),
      ),
    }),
  ),
);

export function linkRoutes(ctx: ApiContext) {
  const { hub, tokens, access, limits, onLinksRotated, allowIssue } = ctx;

  /**
   * Issue a personal participant credential. With a role link: a new participant id (rate-limited
   * per address through `allowIssue`), 201. With a participant credential of this board: the same
   * id and role under the new name and colour (a rename), 200. Either way the token must be of the
   * board's current link epoch.
   */
  async function issueParticipant(
    req: IncomingMessage,
    res: ServerResponse,
    id: string,
    token: string | null,
  ): Promise<void> {
    const result = await access.check(id, token, 'viewer');
    if (!result.ok) throw new ApiError(result.status, result.reason, result.message);
    const parsed = v.safeParse(participantSchema, await readJson(req));
    if (!parsed.success) {
      const key = parsed.issues[0].path?.[0]?.key;
      const field = typeof key === 'string' ? key : 'name';
      throw new ApiError(
        400,
        'invalidRequest',
        field === 'color'
          ? 'color must be a hex colour like #2563eb'
          : `name must be 1 to ${AUTHOR_NAME_MAX} characters`,
        field,
      );
    }
    const existing = result.participant;
    if (!existing) {
      const decision = await allowIssue(req);
      if (!decision.ok) {
        const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
        throw new RateLimitedError(
          `too many people joined from this network just now: try again in ${seconds} s`,
          seconds,
        );
      }
    }
    const participant = { id: existing?.id ?? newParticipantId(), ...parsed.output };
    const credential = await tokens.signParticipant({
      boardId: id,
      role: result.role,
      epoch: result.epoch,
      participant,
    });
    sendJson(res, existing ? 200 : 201, {
      participant: { ...participant, role: result.role },
      credential,
    });
  }

  /** A download token for the caller's role, so the browser can open a download by URL. */
  async function issueDownloadToken(
    res: ServerResponse,
    id: string,
    credential: Credential,
  ): Promise<void> {
    const result = await access.check(id, credential.token, 'viewer', credential.kind);
    if (!result.ok) throw new ApiError(result.status, result.reason, result.message);
    const token = await tokens.signDownload({
      boardId: id,
      role: result.role,
      epoch: result.epoch,
    });
    sendJson(res, 201, { token, expiresAt: Date.now() + DOWNLOAD_TOKEN_SECONDS * 1000 });
  }

  /** The three role links of a board at their current epochs. */
  async function linksFor(req: IncomingMessage, record: BoardRecord) {
    const sign = (role: Role) =>
      tokens.sign({ boardId: record.id, role, epoch: record.linkEpochs[role] });
    const [moderator, editor, viewer] = await Promise.all([
      sign('moderator'),
      sign('editor'),
      sign('viewer'),
    ]);
    const link = (t: string) => absoluteUrl(req, `${boardPath(record.id)}#t=${t}`);
    return {
      token: moderator,
      joinCode: record.joinCode,
      joinUrl: absoluteUrl(req, `/join?code=${record.joinCode}`),
      links: { moderator: link(moderator), editor: link(editor), viewer: link(viewer) },
      tokens: { moderator, editor, viewer },
    };
  }

  async function sendLinks(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const record = await hub.storage.getBoard(id);
    if (!record) throw new ApiError(404, 'unknownBoard', `no board ${id}`);
    const { token: _moderatorToken, ...links } = await linksFor(req, record);
    sendJson(res, 200, links);
  }

  /**
   * Replace the links of the roles asked for (default all). The join code leads to the editor
   * role, so it is replaced with the editor link. Answers the new links of those roles only (and
   * `token`, the new moderator token, when the moderator link was replaced).
   */
  async function rotate(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const parsed = v.safeParse(rotateSchema, await readOptionalJson(req));
    if (!parsed.success)
      throw new ApiError(
        400,
        'invalidRequest',
        'send { "roles": ["editor"] }: roles are moderator, editor and viewer',
        'roles',
      );
    const asked = new Set<Role>(parsed.output?.roles ?? ROLES);
    const roles = ROLES.filter((r) => asked.has(r));
    let record: BoardRecord | null = null;
    for (let attempt = 0; !record; attempt++) {
      try {
        record = await hub.storage.rotateLinks(
          id,
          roles,
          asked.has('editor') ? newJoinCode() : undefined,
        );
        if (!record) throw new ApiError(404, 'unknownBoard', `no board ${id}`);
      } catch (err) {
        if (err instanceof ApiError || attempt >= 4) throw err;
      }
    }
    // The new epochs are stored above, before anyone is revoked: a connection that joins after
    // the revocation ran re-reads its role's epoch and sees the new one (see BoardHub.connect).
    await onLinksRotated(id, record.linkEpochs);
    const all = await linksFor(req, record);
    const pick = <T>(byRole: Record<Role, T>) =>
      Object.fromEntries(roles.map((r) => [r, byRole[r]])) as Partial<Record<Role, T>>;
    sendJson(res, 200, {
      roles,
      ...(asked.has('moderator') ? { token: all.token } : {}),
      ...(asked.has('editor') ? { joinCode: all.joinCode, joinUrl: all.joinUrl } : {}),
      links: pick(all.links),
      tokens: pick(all.tokens),
    });
  }

  /**
   * Only wrong codes spend a budget (rateLimits.ts). While one is spent, a join is refused whether
   * or not the code is right, unless someone at the same address already joined that board.
   */
  async function join(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parsed = v.safeParse(joinSchema, await readJson(req));
    if (!parsed.success)
      throw new ApiError(400, 'badJoinCode', 'send { "code": "ABC234" }', 'code');
    const code = normalizeJoinCode(parsed.output.code);
    if (!JOIN_CODE_PATTERN.test(code)) {
      throw new ApiError(
        400,
        'badJoinCode',
        `a join code is ${JOIN_CODE_LENGTH} letters and digits`,
        'code',
      );
    }
    const address = limits.clientAddress(req);
    const [refusal, record] = await Promise.all([
      limits.join.refusal(address, code),
      hub.storage.findBoardByJoinCode(code),
    ]);
    if (refusal && !(record && (await limits.join.hasJoined(address, record.id)))) throw refusal;
    if (!record) {
      await limits.join.recordFailure(address, code);
      throw new ApiError(
        404,
        'unknownJoinCode',
        `no board has the code ${code}: check it on the screen`,
        'code',
      );
    }
    await limits.join.recordJoin(address, record.id);
    const token = await tokens.sign({
      boardId: record.id,
      role: 'editor',
      epoch: record.linkEpochs.editor,
    });
    sendJson(res, 200, {
      boardId: record.id,
      title: record.title,
      role: 'editor',
      token,
      path: boardPath(record.id),
    });
  }

  const publicRoutes: ApiRoute[] = [
    { method: 'POST', path: '/api/join', handle: (req, res) => join(req, res) },
  ];
  const routes: BoardRoute[] = [
    {
      method: 'POST',
      path: '/participants',
      role: null, // a link issues a new id, a credential renames: both checked in the handler
      handle: ({ req, res, id, credential }) =>
        issueParticipant(req, res, id, credential.kind === 'role' ? credential.token : null),
    },
    {
      method: 'POST',
      path: '/downloads',
      role: null, // any role, with the caller's role token only
      handle: ({ res, id, credential }) => issueDownloadToken(res, id, credential),
    },
    {
      method: 'GET',
      path: '/links',
      role: 'moderator',
      handle: ({ req, res, id }) => sendLinks(req, res, id),
    },
    {
      method: 'POST',
      path: '/rotate',
      role: 'moderator',
      handle: ({ req, res, id }) => rotate(req, res, id),
    },
  ];
  return { routes, publicRoutes, linksFor };
}
