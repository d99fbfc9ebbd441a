/**
 * The HTTP API (documented in the README). Handled by the custom server before Next, so every
 * request goes through the one BoardHub that owns the live documents.
 *
 *   GET  /api/health
 *   POST /api/boards                      { title, assumptions?, baselineOpen? } -> 201 { id, url, token, links, joinCode }
 *   POST /api/join                        { code } -> { boardId, token, path } (editor)
 *   POST /api/boards/<id>/downloads       -> 201 { token, expiresAt }: a download token (any role)
 *   GET  /api/boards/<id>                 metadata (any role)
 *   GET  /api/boards/<id>/projection      every scenario's yearly projection, in US dollars (any role)
 *   POST /api/boards/<id>/participants    { name, color } -> a personal participant credential (any role)
 *   GET  /api/boards/<id>/links           the three role links and the join code (moderator)
 *   POST /api/boards/<id>/rotate          { roles?: ["editor", …] } -> new links of those roles (default
 *                                         all; the editor's brings a new join code); older links of
 *                                         those roles stop working, other roles' keep working (moderator)
 *   GET  /api/boards/<id>/export.csv      projection of every scenario, every year, every segment (any role)
 *   GET  /api/boards/<id>/export.json     scenarios with assumptions and projections (any role)
 *   POST /api/boards/<id>/scenarios       import scenarios from an export or { name, assumptions } (editor)
 *   GET  /api/boards/<id>/log             the decision log (any role)
 *   POST /api/boards/<id>/decision        { scenarioId, reasons, pollIds?, typedPolls? } -> 201 the
 *                                         decision on record, signed and dated by the server (moderator credential)
 *   POST /api/boards/<id>/revert          { entryId } -> 200: put a logged edit's value back, logged as a revert (moderator credential)
 *   GET  /api/boards/<id>/upgrade         preview of an upgrade to the newest model version (any role)
 *   POST /api/boards/<id>/upgrade         upgrade the model version, undoable by a saved version (moderator)
 *   GET  /api/boards/<id>/versions        named versions, newest first (any role)
 *   POST /api/boards/<id>/versions        { name } -> 201 save the board as it is now (moderator)
 *   GET  /api/boards/<id>/versions/<vid>  a version's content; ?format=yjs for the encoded state (any role)
 *   POST /api/boards/<id>/versions/<vid>/restore
 *                                         { mode: "rollback" } or { mode: "scenario", scenarioId? } (moderator)
 *
 * Each resource's routes are a table in `routes/` (method, path, least role, download or not);
 * this file matches them with find-my-way and turns refusals into JSON answers.
 *
 * Board routes take the token only as `Authorization: Bearer <token>`: a role link or a
 * participant credential (which carries the role of the link it was issued from); a `?token=`
 * is refused. Downloads (exports, a version) also open with `?dl=<download token>`, valid about
 * a minute. Budgets per client address (board creation, wrong join codes, new participant ids):
 * server/http/rateLimits.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import { BOARD_ID_PATTERN } from '../collab/ids';
import { RateLimitedError } from './rateLimits';
import { API_CONTENT_SECURITY_POLICY } from './securityHeaders';
import type { ApiErrorBody } from '../../lib/protocol';
import { ApiError, credential, sendJson } from './apiKit';
import {
  boardAccess,
  type ApiContext,
  type ApiOptions,
  type ApiRoute,
  type BoardRoute,
  type IssueDecision,
} from './routes/context';
import { boardRoutes } from './routes/boards';
import { linkRoutes } from './routes/links';
import { versionRoutes } from './routes/versions';
import { exportRoutes } from './routes/exports';
import { decisionRoutes } from './routes/decision';
import { upgradeRoutes } from './routes/upgrade';

export { ApiError, sendJson } from './apiKit';
export type { ApiOptions, IssueDecision };

const allowAll = (): Promise<IssueDecision> => Promise.resolve({ ok: true });

/** What the router finds for a path: a route outside boards, or one under a board. */
type Found = { kind: 'api'; route: ApiRoute } | { kind: 'board'; route: BoardRoute };

/** Sub-paths of a board that exist with some method: another method is 405, not 404. */
const BOARD_RESOURCES =
  /^(rotate|projection|links|participants|downloads|export\.(csv|json)|scenarios|log|versions|decision|revert|upgrade)/;

export function createApiHandler(options: ApiOptions) {
  const ctx: ApiContext = { ...options, allowIssue: options.allowIssue ?? allowAll };
  const { hub, logger } = ctx;
  const { requireAccess } = boardAccess(ctx);
  const links = linkRoutes(ctx);
  const boards = boardRoutes(ctx, links);
  const versions = versionRoutes(ctx);
  const publicRoutes: ApiRoute[] = [
    {
      method: 'ALL',
      path: '/api/health',
      handle: (_req, res) => sendJson(res, 200, { ok: true, ...hub.stats() }),
    },
    ...links.publicRoutes,
    ...boards.publicRoutes,
  ];
  const perBoard: BoardRoute[] = [
    ...boards.routes,
    ...links.routes,
    ...versions.routes,
    ...exportRoutes(ctx).routes,
    ...decisionRoutes(ctx).routes,
    ...upgradeRoutes(ctx, versions).routes,
  ];

  // `//` and a trailing `/` are the same path, as when paths were split on '/'.
  const router = FindMyWay<FindMyWay.HTTPVersion.V1>({
    ignoreTrailingSlash: true,
    ignoreDuplicateSlashes: true,
  });
  const noop = () => undefined;
  for (const route of publicRoutes) {
    const found: Found = { kind: 'api', route };
    if (route.method === 'ALL') router.all(route.path, noop, found);
    else router.on(route.method, route.path, noop, found);
  }
  for (const route of perBoard)
    router.on(route.method, `/api/boards/:id${route.path}`, noop, { kind: 'board', route });

  /** Returns false if the path is not an API path (the caller hands it to Next). */
  return async function handleApi(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith('/api/')) return false;
    res.setHeader('content-security-policy', API_CONTENT_SECURITY_POLICY);
    try {
      await dispatch(req, res, url);
    } catch (err) {
      if (err instanceof RateLimitedError) {
        sendJson(
          res,
          429,
          {
            error: err.message,
            code: 'rateLimited',
            retryAfterSeconds: err.retryAfterSeconds,
          } satisfies ApiErrorBody,
          { 'retry-after': String(err.retryAfterSeconds) },
        );
      } else if (err instanceof ApiError) {
        sendJson(res, err.status, {
          error: err.message,
          code: err.code,
          ...(err.field ? { field: err.field } : {}),
          ...(err.refusal ? { refusal: err.refusal } : {}),
        } satisfies ApiErrorBody);
      } else {
        logger.error({ err, path: url.pathname }, 'API request failed');
        sendJson(res, 500, { error: 'internal error', code: 'serverError' } satisfies ApiErrorBody);
      }
    }
    return true;
  };

  async function dispatch(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = (req.method ?? 'GET') as HTTPMethod;
    const match = router.find(method, url.pathname);
    if (!match) return refuseUnmatched(req, url, method);
    const found = match.store as Found;
    if (found.kind === 'api') return found.route.handle(req, res);
    const { route } = found;
    const id = match.params.id ?? '';
    if (!BOARD_ID_PATTERN.test(id)) throw new ApiError(404, 'unknownBoard', `no board ${id}`);
    const cred = credential(req, url, route.download === true);
    const actor = route.role ? await requireAccess(id, cred, route.role) : null;
    return route.handle({ req, res, url, id, params: match.params, credential: cred, actor });
  }

  /** No route: 405 for a path that exists with another method, 404 otherwise; refusals first. */
  function refuseUnmatched(req: IncomingMessage, url: URL, method: string): never {
    const parts = url.pathname.split('/').filter(Boolean); // ['api', ...]
    if (parts.length === 2 && parts[1] === 'join')
      throw new ApiError(405, 'wrongMethod', 'use POST to join with a code');
    if (parts[1] !== 'boards')
      throw new ApiError(404, 'unknownRoute', `no API route ${url.pathname}`);
    if (parts.length === 2) throw new ApiError(405, 'wrongMethod', 'use POST to create a board');
    const id = parts[2] ?? '';
    if (!BOARD_ID_PATTERN.test(id)) throw new ApiError(404, 'unknownBoard', `no board ${id}`);
    credential(req, url, false); // a token in the URL is refused here too (401)
    const sub = parts.slice(3).join('/');
    const known = sub === '' || BOARD_RESOURCES.test(sub);
    throw new ApiError(
      known ? 405 : 404,
      known ? 'wrongMethod' : 'unknownRoute',
      `${method} /api/boards/<id>/${sub} is not supported`,
    );
  }
}
