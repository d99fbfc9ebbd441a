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
 * Board routes take the token only as `Authorization: Bearer <token>`: a role link or a
 * participant credential (which carries the role of the link it was issued from); a `?token=`
 * is refused. Downloads (exports, a version) also open with `?dl=<download token>`, valid about
 * a minute. Budgets per client address (board creation, wrong join codes, new participant ids):
 * server/http/rateLimits.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBoard, readLog } from '../../lib/board/schema';
import { upgradePreview } from '../../lib/board/upgrade';
import { BOARD_ID_PATTERN } from '../collab/ids';
import { RateLimitedError } from './rateLimits';
import { API_CONTENT_SECURITY_POLICY } from './securityHeaders';
import { ApiError, credential, sendJson } from './apiKit';
import {
  boardAccess,
  type ApiContext,
  type ApiOptions,
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

/** Routes a download token (`?dl=`) opens: what the browser fetches by URL rather than with fetch(). */
const DOWNLOAD_ROUTES = new Set(['GET export.csv', 'GET export.json', 'GET versions/:vid']);

export function createApiHandler(options: ApiOptions) {
  const ctx: ApiContext = { ...options, allowIssue: options.allowIssue ?? allowAll };
  const { hub, logger } = ctx;
  const { readLive, requireRole, requireAccess } = boardAccess(ctx);
  const links = linkRoutes(ctx);
  const { issueParticipant, issueDownloadToken, sendLinks, rotate, join } = links;
  const { importScenarios, createBoard, boardMetadata, boardProjection } = boardRoutes(ctx, links);
  const versions = versionRoutes(ctx);
  const { saveVersion, changeVersion, sendVersion, restoreVersion } = versions;
  const { exportCsv, exportJson } = exportRoutes(ctx);
  const { recordDecision, revertEdit } = decisionRoutes(ctx);
  const { upgradeModel } = upgradeRoutes(ctx, versions);

  /** Returns false if the path is not an API path (the caller hands it to Next). */
  return async function handleApi(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith('/api/')) return false;
    res.setHeader('content-security-policy', API_CONTENT_SECURITY_POLICY);
    try {
      await route(req, res, url);
    } catch (err) {
      if (err instanceof RateLimitedError) {
        sendJson(
          res,
          429,
          { error: err.message, retryAfterSeconds: err.retryAfterSeconds },
          { 'retry-after': String(err.retryAfterSeconds) },
        );
      } else if (err instanceof ApiError) {
        sendJson(
          res,
          err.status,
          { error: err.message, ...(err.field ? { field: err.field } : {}) },
          err.headers,
        );
      } else {
        logger.error({ err, path: url.pathname }, 'API request failed');
        sendJson(res, 500, { error: 'internal error' });
      }
    }
    return true;
  };

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const parts = url.pathname.split('/').filter(Boolean); // ['api', ...]
    const method = req.method ?? 'GET';
    if (parts.length === 2 && parts[1] === 'health') {
      return sendJson(res, 200, { ok: true, ...hub.stats() });
    }
    if (parts.length === 2 && parts[1] === 'join') {
      if (method !== 'POST') throw new ApiError(405, 'use POST to join with a code');
      return join(req, res);
    }
    if (parts[1] !== 'boards') throw new ApiError(404, `no API route ${url.pathname}`);
    if (parts.length === 2) {
      if (method !== 'POST') throw new ApiError(405, 'use POST to create a board');
      return createBoard(req, res);
    }
    const id = parts[2] ?? '';
    if (!BOARD_ID_PATTERN.test(id)) throw new ApiError(404, `no board ${id}`);
    const sub = parts.slice(3).join('/');
    const route = `${method} ${sub.replace(/^versions\/[^/]+/, 'versions/:vid')}`;
    const cred = credential(req, url, DOWNLOAD_ROUTES.has(route));
    const versionId = sub.startsWith('versions/') ? (sub.split('/')[1] ?? '') : '';
    switch (route) {
      case 'POST rotate':
        await requireRole(id, cred, 'moderator');
        return rotate(req, res, id);
      case 'GET ':
        return boardMetadata(req, res, id, await requireRole(id, cred, 'viewer'));
      case 'GET projection':
        await requireRole(id, cred, 'viewer');
        return boardProjection(res, id);
      case 'POST participants':
        return issueParticipant(req, res, id, cred.kind === 'role' ? cred.token : null);
      case 'POST downloads':
        return issueDownloadToken(res, id, cred);
      case 'GET links':
        await requireRole(id, cred, 'moderator');
        return sendLinks(req, res, id);
      case 'GET export.csv':
        await requireRole(id, cred, 'viewer');
        return exportCsv(res, id);
      case 'GET export.json':
        await requireRole(id, cred, 'viewer');
        return exportJson(res, id);
      case 'POST scenarios':
        return importScenarios(req, res, id, await requireAccess(id, cred, 'editor'));
      case 'GET log':
        await requireRole(id, cred, 'viewer');
        return sendJson(res, 200, { entries: await readLive(id, (doc) => readLog(doc)) });
      case 'POST revert':
        return revertEdit(req, res, id, await requireAccess(id, cred, 'moderator'));
      case 'POST decision':
        return recordDecision(req, res, id, await requireAccess(id, cred, 'moderator'));
      case 'GET versions':
        await requireRole(id, cred, 'viewer');
        return sendJson(res, 200, { versions: await hub.storage.listVersions(id) });
      case 'POST versions':
        await requireRole(id, cred, 'moderator');
        return saveVersion(req, res, id);
      case 'GET versions/:vid':
        await requireRole(id, cred, 'viewer');
        return sendVersion(res, id, versionId, url.searchParams.get('format'));
      case 'PATCH versions/:vid':
        return changeVersion(req, res, id, versionId, await requireAccess(id, cred, 'moderator'));
      case 'POST versions/:vid/restore':
        await requireRole(id, cred, 'moderator');
        return restoreVersion(req, res, id, versionId);
      case 'GET upgrade':
        await requireRole(id, cred, 'viewer');
        return sendJson(res, 200, {
          preview: await readLive(id, (doc) => upgradePreview(readBoard(doc))),
        });
      case 'POST upgrade':
        return upgradeModel(id, res, await requireAccess(id, cred, 'moderator'));
      default:
        throw new ApiError(
          sub === '' ||
            /^(rotate|projection|links|participants|downloads|export\.(csv|json)|scenarios|log|versions|decision|revert|upgrade)/.test(
              sub,
            )
            ? 405
            : 404,
          `${method} /api/boards/<id>/${sub} is not supported`,
        );
    }
  }
}
