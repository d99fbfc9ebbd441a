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
import { z } from 'zod';
import {
  ASSUMPTION_IDS,
  MODEL_ID,
  checkAssumptionValue,
  getModel,
  isAssumptionId,
  listModels,
  modelForBoard,
  plausibilityWarnings,
  project,
  type AssumptionId,
} from '../../lib/model';
import * as Y from 'yjs';
import {
  AUTHOR_NAME_MAX,
  ID_MAX,
  KEY_MAX,
  SCENARIO_NAME_MAX,
  TITLE_MAX,
  VERSION_NAME_MAX,
} from '../../lib/board/limits';
import { addScenario } from '../../lib/board/scenarios';
import { docFromState } from '../../lib/board/layout';
import { readBoard, scenarioOrBaseline } from '../../lib/board/boardState';
import { readLocks } from '../../lib/board/locks';
import { readLog } from '../../lib/board/decisionLog';
import { restoreContent } from '../../lib/board/restore';
import {
  ImportError,
  boardJson,
  modelValues,
  parseScenarioImport,
  projectionCsv,
  segmentRows,
  type ImportedScenario,
} from '../../lib/board/exchange';
import {
  DecisionRequestError,
  composeDecision,
  currentDecision,
  decisionRequestSchema,
  saveDecision,
  type DecisionRecord,
} from '../../lib/board/decision';
import { applyRevert, checkRevert, type RevertCheck } from '../../lib/board/activity';
import { newParticipantId, randomId } from '../collab/ids';
import { RefusedChangeError } from '../collab/liveBoard';
import { SERVER_ACTOR, type Actor } from '../../lib/board/refusal';
import { upgradeBoard, upgradePreview } from '../../lib/board/upgrade';
import type { BoardHub } from '../collab/hub';
import { BOARD_ID_PATTERN } from '../collab/ids';
import type { Logger } from '../logger';
import { participantSchema, type Role } from '../../lib/protocol';
import { ROLES, type BoardRecord, type LinkEpochs, type VersionRecord } from '../storage/types';
import { DOWNLOAD_TOKEN_SECONDS, type TokenKind, type TokenService } from '../auth/tokens';
import type { AccessControl } from '../auth/access';
import {
  JOIN_CODE_LENGTH,
  JOIN_CODE_PATTERN,
  newJoinCode,
  normalizeJoinCode,
} from '../auth/joinCodes';
import { RateLimitedError, type RateLimits } from './rateLimits';
import { API_CONTENT_SECURITY_POLICY } from './securityHeaders';

/** A request the API refuses, with the HTTP status and a message for the caller. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
    /** Extra response headers (e.g. Retry-After with a 429). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

const MAX_BODY_BYTES = 64 * 1024;

const createBoardSchema = z.object({
  title: z
    .string()
    .trim()
    .min(1, 'title must not be empty')
    .max(TITLE_MAX, `title must be at most ${TITLE_MAX} characters`),
  assumptions: z.record(z.string(), z.unknown()).optional(),
  /** The creator (the moderator) may let the room edit the baseline from the start. */
  baselineOpen: z.boolean().optional(),
  /** The model version (default: the newest). An older one reproduces boards made with it. */
  modelVersion: z
    .number()
    .int('modelVersion must be a whole number')
    .refine((v) => getModel(MODEL_ID, v) !== null, {
      message: `modelVersion must be one of ${listModels()
        .map((m) => m.version)
        .join(', ')}`,
    })
    .optional(),
});

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

const allowAll = (): Promise<IssueDecision> => Promise.resolve({ ok: true });

const joinSchema = z.object({ code: z.string().max(32) });
const versionSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'name the version')
    .max(VERSION_NAME_MAX, `a version name is at most ${VERSION_NAME_MAX} characters`),
  author: z.string().trim().max(AUTHOR_NAME_MAX).optional(),
});
/** Which links to replace; no body (or no `roles`) replaces every link, as before roles existed. */
const rotateSchema = z
  .strictObject({
    roles: z
      .array(z.enum(['moderator', 'editor', 'viewer']))
      .min(1)
      .max(3)
      .optional(),
  })
  .optional();
/** A moderator's change to a version's listing: a new name, archived or back in the list. */
const versionChangeSchema = z
  .strictObject({ name: versionSchema.shape.name.optional(), archived: z.boolean().optional() })
  .refine((b) => b.name !== undefined || b.archived !== undefined, {
    message: 'send { "name": "..." } and/or { "archived": true | false }',
  });
const restoreSchema = z.object({
  mode: z.enum(['rollback', 'scenario']),
  scenarioId: z.string().max(ID_MAX).optional(),
});

/** Routes a download token (`?dl=`) opens: what the browser fetches by URL rather than with fetch(). */
const DOWNLOAD_ROUTES = new Set(['GET export.csv', 'GET export.json', 'GET versions/:vid']);

/** The credential of a board request: the Bearer token, or a download token. */
interface Credential {
  token: string | null;
  kind: TokenKind;
}

export function createApiHandler({
  hub,
  logger,
  tokens,
  access,
  onLinksRotated,
  allowIssue = allowAll,
  limits,
}: ApiOptions) {
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

  /** Read the live document of a board (loading it if needed); 404 for an unknown board. */
  async function readLive<T>(id: string, read: (doc: Y.Doc) => T): Promise<T> {
    const result = await hub.withBoard(id, (b) => ({ value: read(b.doc) }));
    if (!result) throw new ApiError(404, `no board ${id}`);
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
      if (found === null) throw new ApiError(404, `no board ${id}`);
    } catch (err) {
      if (!(err instanceof RefusedChangeError)) throw err;
      const { kind, message, path } = err.refusal;
      const status = ['invalid', 'malformed', 'limit'].includes(kind) ? 400 : 403;
      throw new ApiError(status, message, path || undefined);
    }
  }

  async function exportCsv(res: ServerResponse, id: string): Promise<void> {
    const [board, decision] = await readLive(
      id,
      (doc) => [readBoard(doc), currentDecision(doc)] as const,
    );
    sendFile(
      res,
      projectionCsv(board, decision),
      'text/csv; charset=utf-8',
      `${fileName(board.meta.title)}-projection.csv`,
    );
  }

  async function exportJson(res: ServerResponse, id: string): Promise<void> {
    const [board, decision] = await readLive(
      id,
      (doc) => [readBoard(doc), currentDecision(doc)] as const,
    );
    sendFile(
      res,
      JSON.stringify(boardJson(id, board, new Date(), decision), null, 2),
      'application/json; charset=utf-8',
      `${fileName(board.meta.title)}-scenarios.json`,
    );
  }

  async function importScenarios(
    req: IncomingMessage,
    res: ServerResponse,
    id: string,
    actor: Actor,
  ): Promise<void> {
    const body = await readJson(req);
    let scenarios: ImportedScenario[];
    try {
      scenarios = parseScenarioImport(body);
    } catch (err) {
      if (err instanceof ImportError) throw new ApiError(400, err.message, err.field);
      throw err;
    }
    const ids: string[] = [];
    // The rules of the Yjs endpoint hold here too (the same pipeline judges the change).
    await changeBoard(
      id,
      (doc) => {
        const locked = lockedValues(doc);
        for (const s of scenarios) {
          // An assumption left out takes the baseline's value; for a locked one that is the
          // only value an editor may bring in.
          const values = { ...locked, ...s.values };
          ids.push(addScenario(doc, { name: s.name, color: s.color, notes: s.notes, values }));
        }
      },
      actor,
    );
    sendJson(res, 201, { scenarioIds: ids });
  }

  /**
   * The decision on record: the moderator says what was agreed and why; the server signs it with
   * the caller's participant identity, dates it, snapshots the scenario and the cited polls and
   * counts who is here, then writes it as its own change (nobody else may write that part).
   */
  async function recordDecision(
    req: IncomingMessage,
    res: ServerResponse,
    id: string,
    actor: Actor,
  ): Promise<void> {
    if (!actor.participant)
      throw new ApiError(
        403,
        'A decision is recorded under your name: open the board and pick a display name first.',
      );
    const parsed = decisionRequestSchema.safeParse(await readJson(req));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new ApiError(400, issue.message, String(issue.path[0] ?? ''));
    }
    const present = await hub.withBoard(id, (board) => countPresent(board.peers));
    if (!present) throw new ApiError(404, `no board ${id}`);
    let record: DecisionRecord;
    try {
      record = await readLive(id, (doc) =>
        composeDecision(doc, parsed.data, {
          id: `d-${Date.now().toString(36)}-${randomId(6)}`,
          by: actor.participant!,
          present,
          now: Date.now(),
        }),
      );
    } catch (err) {
      if (err instanceof DecisionRequestError) throw new ApiError(400, err.message, err.field);
      throw err;
    }
    await changeBoard(id, (doc) => saveDecision(doc, record));
    sendJson(res, 201, { decision: record });
  }

  /**
   * One-click revert from the activity feed: the value goes back to what it was before the
   * logged edit, as a logged change by the moderator. Checked again inside the write queue, so
   * a newer change made meanwhile is never overwritten (409).
   */
  async function revertEdit(
    req: IncomingMessage,
    res: ServerResponse,
    id: string,
    actor: Actor,
  ): Promise<void> {
    if (!actor.participant)
      throw new ApiError(
        403,
        'A revert is logged under your name: open the board and pick a display name first.',
      );
    const parsed = z
      .strictObject({ entryId: z.string().min(1).max(KEY_MAX) })
      .safeParse(await readJson(req));
    if (!parsed.success) throw new ApiError(400, 'send { "entryId": "..." }', 'entryId');
    const by = actor.participant;
    let outcome: RevertCheck = { ok: false, status: 404, message: 'not checked' };
    let key = '';
    await changeBoard(id, (doc) => {
      outcome = checkRevert(doc, parsed.data.entryId);
      if (!outcome.ok) return;
      key = `r-${Date.now().toString(36)}-${randomId(6)}`;
      applyRevert(doc, outcome.entry, by, Date.now(), key);
    });
    const result = outcome as RevertCheck;
    if (!result.ok) throw new ApiError(result.status, result.message, 'entryId');
    sendJson(res, 200, { reverted: result.entry.id, entryId: key });
  }

  async function saveVersion(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const parsed = versionSchema.safeParse(await readJson(req));
    if (!parsed.success) throw new ApiError(400, parsed.error.issues[0]!.message, 'name');
    const version = await snapshotVersion(id, parsed.data.name, parsed.data.author ?? 'Moderator');
    sendJson(res, 201, version);
  }

  /** Store the board's current state as a named version. */
  async function snapshotVersion(id: string, name: string, author: string): Promise<VersionRecord> {
    const state = await readLive(id, (doc) => Y.encodeStateAsUpdate(doc));
    const version: VersionRecord = {
      id: randomId(10),
      boardId: id,
      name,
      author,
      createdAt: Date.now(),
      size: state.length,
      archivedAt: null,
      events: [],
    };
    await hub.storage.saveVersion(version, state);
    return version;
  }

  /** Rename, archive or unarchive a version (never deletes it); logged with who and when. */
  async function changeVersion(
    req: IncomingMessage,
    res: ServerResponse,
    id: string,
    versionId: string,
    actor: Actor,
  ): Promise<void> {
    const parsed = versionChangeSchema.safeParse(await readJson(req));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new ApiError(400, issue.message, String(issue.path[0] ?? 'name'));
    }
    const change = { at: Date.now(), by: actor.participant?.name ?? 'Moderator' };
    let record = await hub.storage.getVersion(id, versionId).then((v) => v?.record ?? null);
    if (record && parsed.data.name !== undefined)
      record = await hub.storage.renameVersion(id, versionId, parsed.data.name, change);
    if (record && parsed.data.archived !== undefined)
      record = await hub.storage.setVersionArchived(id, versionId, parsed.data.archived, change);
    if (!record) throw new ApiError(404, `no version ${versionId} of board ${id}`);
    sendJson(res, 200, record);
  }

  async function sendVersion(
    res: ServerResponse,
    id: string,
    versionId: string,
    format: string | null,
  ): Promise<void> {
    const version = await hub.storage.getVersion(id, versionId);
    if (!version) throw new ApiError(404, `no version ${versionId} of board ${id}`);
    if (format === 'yjs')
      return sendFile(
        res,
        Buffer.from(version.state),
        'application/octet-stream',
        `${versionId}.yjs`,
      );
    const doc = docFromState(version.state);
    try {
      const board = readBoard(doc);
      sendJson(res, 200, {
        version: version.record,
        board,
        locks: readLocks(doc),
        scenarios: board.scenarios.map((s) => ({
          id: s.id,
          name: s.name,
          totals: project(s.values, board.actuals).years.map((y) => ({
            year: y.year,
            total: y.total,
          })),
        })),
      });
    } finally {
      doc.destroy();
    }
  }

  /**
   * Upgrade the board to the newest version of its model, as the moderator asked: first keep
   * today's state as a version (restoring it undoes the upgrade), then change the model version
   * and add the new assumptions, judged like any of the moderator's edits.
   */
  async function upgradeModel(id: string, res: ServerResponse, actor: Actor): Promise<void> {
    const preview = await readLive(id, (doc) => upgradePreview(readBoard(doc)));
    if (!preview) throw new ApiError(409, 'This board already uses the newest model version.');
    const undo = await snapshotVersion(
      id,
      `Before upgrading to model v${preview.to.version}`,
      'Scenario Board',
    );
    let result: { from: number; to: number } | null = null;
    await changeBoard(id, (doc) => (result = upgradeBoard(doc)), actor);
    if (!result) throw new ApiError(409, 'This board already uses the newest model version.');
    sendJson(res, 200, { ...(result as { from: number; to: number }), undoVersionId: undo.id });
  }

  async function restoreVersion(
    req: IncomingMessage,
    res: ServerResponse,
    id: string,
    versionId: string,
  ): Promise<void> {
    const parsed = restoreSchema.safeParse(await readJson(req));
    if (!parsed.success)
      throw new ApiError(
        400,
        'send { "mode": "rollback" } or { "mode": "scenario", "scenarioId": "..." }',
        'mode',
      );
    const version = await hub.storage.getVersion(id, versionId);
    if (!version) throw new ApiError(404, `no version ${versionId} of board ${id}`);
    const from = docFromState(version.state);
    try {
      if (parsed.data.mode === 'scenario') {
        const source = readBoard(from);
        const wanted = parsed.data.scenarioId ?? source.meta.baselineScenarioId;
        const scenario =
          source.scenarios.find((s) => s.id === wanted) ??
          (parsed.data.scenarioId === undefined ? source.scenarios[0] : undefined);
        if (!scenario) throw new ApiError(404, 'that version has no such scenario', 'scenarioId');
        let scenarioId = '';
        await changeBoard(id, (doc) => {
          const name = `${scenario.name} (${version.record.name})`.slice(0, SCENARIO_NAME_MAX);
          scenarioId = addScenario(doc, { name, values: scenario.values, notes: scenario.notes });
        });
        return sendJson(res, 201, { mode: 'scenario', scenarioId });
      }
      // Roll back: first keep today's state as a version, so the rollback itself can be undone.
      const undo = await snapshotVersion(
        id,
        `Before restoring “${version.record.name}”`.slice(0, VERSION_NAME_MAX),
        'Scenario Board',
      );
      await changeBoard(id, (doc) => restoreContent(doc, from));
      return sendJson(res, 200, { mode: 'rollback', undoVersionId: undo.id });
    } finally {
      from.destroy();
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
    if (!result.ok) throw new ApiError(result.status, result.message);
    return { role: result.role, participant: result.participant };
  }

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
    if (!result.ok) throw new ApiError(result.status, result.message);
    const parsed = participantSchema.safeParse(await readJson(req));
    if (!parsed.success) {
      const field = String(parsed.error.issues[0]?.path[0] ?? 'name');
      throw new ApiError(
        400,
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
        throw new ApiError(
          429,
          `too many people joined from this network just now: try again in ${seconds} s`,
          undefined,
          { 'retry-after': String(seconds) },
        );
      }
    }
    const participant = { id: existing?.id ?? newParticipantId(), ...parsed.data };
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
    if (!result.ok) throw new ApiError(result.status, result.message);
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
    if (!record) throw new ApiError(404, `no board ${id}`);
    const { token: _moderatorToken, ...links } = await linksFor(req, record);
    sendJson(res, 200, links);
  }

  /**
   * Replace the links of the roles asked for (default all). The join code leads to the editor
   * role, so it is replaced with the editor link. Answers the new links of those roles only (and
   * `token`, the new moderator token, when the moderator link was replaced).
   */
  async function rotate(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const parsed = rotateSchema.safeParse(await readOptionalJson(req));
    if (!parsed.success)
      throw new ApiError(
        400,
        'send { "roles": ["editor"] }: roles are moderator, editor and viewer',
        'roles',
      );
    const asked = new Set<Role>(parsed.data?.roles ?? ROLES);
    const roles = ROLES.filter((r) => asked.has(r));
    let record: BoardRecord | null = null;
    for (let attempt = 0; !record; attempt++) {
      try {
        record = await hub.storage.rotateLinks(
          id,
          roles,
          asked.has('editor') ? newJoinCode() : undefined,
        );
        if (!record) throw new ApiError(404, `no board ${id}`);
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
    const parsed = joinSchema.safeParse(await readJson(req));
    if (!parsed.success) throw new ApiError(400, 'send { "code": "ABC234" }', 'code');
    const code = normalizeJoinCode(parsed.data.code);
    if (!JOIN_CODE_PATTERN.test(code)) {
      throw new ApiError(400, `a join code is ${JOIN_CODE_LENGTH} letters and digits`, 'code');
    }
    const address = limits.clientAddress(req);
    const [refusal, record] = await Promise.all([
      limits.join.refusal(address, code),
      hub.storage.findBoardByJoinCode(code),
    ]);
    if (refusal && !(record && (await limits.join.hasJoined(address, record.id)))) throw refusal;
    if (!record) {
      await limits.join.recordFailure(address, code);
      throw new ApiError(404, `no board has the code ${code}: check it on the screen`, 'code');
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

  async function createBoard(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJson(req);
    const parsed = createBoardSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new ApiError(400, issue.message, issue.path.join('.') || undefined);
    }
    const model = getModel(MODEL_ID, parsed.data.modelVersion)!;
    const assumptions: Partial<Record<AssumptionId, number>> = {};
    for (const [key, value] of Object.entries(parsed.data.assumptions ?? {})) {
      const checked = checkAssumptionValue(key, value);
      if (!checked.ok) throw new ApiError(400, checked.error, `assumptions.${key}`);
      if (!model.assumptionIds.includes(key as AssumptionId))
        throw new ApiError(
          400,
          `${key} is not an assumption of model ${model.id} v${model.version}`,
          `assumptions.${key}`,
        );
      assumptions[key as AssumptionId] = checked.value;
    }
    await limits.boardCreate.consume(limits.clientAddress(req));
    const record = await hub.createBoard({
      title: parsed.data.title,
      modelVersion: model.version,
      assumptions,
      baselineOpen: parsed.data.baselineOpen,
    });
    const path = boardPath(record.id);
    sendJson(res, 201, {
      ...record,
      path,
      url: absoluteUrl(req, path),
      ...(await linksFor(req, record)),
    });
  }

  async function boardMetadata(
    req: IncomingMessage,
    res: ServerResponse,
    id: string,
    role: Role,
  ): Promise<void> {
    const record = await hub.storage.getBoard(id);
    if (!record) throw new ApiError(404, `no board ${id}`);
    const board = await hub.withBoard(id, (b) => readBoard(b.doc));
    const path = boardPath(id);
    const { joinCode: _code, linkEpochs: _epochs, ...listing } = record;
    // The document is the truth about the model (an upgrade changes it; the listing row may lag).
    const found = board ? modelForBoard(board.meta) : null;
    sendJson(res, 200, {
      ...listing,
      ...(board ? { modelId: board.meta.modelId, modelVersion: board.meta.modelVersion } : {}),
      model: found
        ? {
            id: found.model.id,
            version: found.model.version,
            label: found.model.label,
            newerVersion: found.newer?.version ?? null,
          }
        : null,
      role,
      title: board?.meta.title ?? record.title,
      description: board?.meta.description ?? '',
      scenarios: (board?.scenarios ?? []).map((s) => ({ id: s.id, name: s.name, color: s.color })),
      baselineScenarioId: board?.meta.baselineScenarioId ?? null,
      path,
      url: absoluteUrl(req, path),
    });
  }

  async function boardProjection(res: ServerResponse, id: string): Promise<void> {
    const board = await hub.withBoard(id, (b) => readBoard(b.doc));
    if (!board) throw new ApiError(404, `no board ${id}`);
    const model = getModel(board.meta.modelId, board.meta.modelVersion);
    sendJson(res, 200, {
      boardId: id,
      model: { id: board.meta.modelId, version: board.meta.modelVersion },
      currency: 'USD',
      assumptionIds: model?.assumptionIds ?? ASSUMPTION_IDS,
      // R22: reported actuals; each year below says whether it is one ('actual') or 'projected'.
      actuals: board.actuals,
      scenarios: board.scenarios.map((s) => ({
        id: s.id,
        name: s.name,
        assumptions: modelValues(board.meta, s.values),
        years: segmentRows(s.values, board.actuals),
        warnings: plausibilityWarnings(project(s.values, board.actuals)),
      })),
    });
  }
}

/** The JSON body, or undefined when the request sends none (an empty body, whatever its type). */
async function readOptionalJson(req: IncomingMessage): Promise<unknown> {
  const declared = req.headers['content-length'];
  const chunked = req.headers['transfer-encoding'] !== undefined;
  if (declared === '0' || (declared === undefined && !chunked)) return undefined;
  return readJson(req);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!type.includes('application/json')) {
    throw new ApiError(415, 'send a JSON body with Content-Type: application/json');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, `body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, 'body is not valid JSON');
  }
}

const boardPath = (id: string) => `/b/${id}`;

/** The baseline's values of the locked assumptions. */
/** Distinct participants connected to a board, each counted once under their highest role. */
function countPresent(peers: Iterable<{ role: Role; participant: { id: string } }>) {
  const rank: Record<Role, number> = { viewer: 0, editor: 1, moderator: 2 };
  const best = new Map<string, Role>();
  for (const peer of peers) {
    const had = best.get(peer.participant.id);
    if (!had || rank[peer.role] > rank[had]) best.set(peer.participant.id, peer.role);
  }
  const present = { moderators: 0, editors: 0, viewers: 0 };
  for (const role of best.values()) present[`${role}s`]++;
  return present;
}

function lockedValues(doc: Y.Doc): Partial<Record<AssumptionId, number>> {
  const baseline = scenarioOrBaseline(readBoard(doc));
  const out: Partial<Record<AssumptionId, number>> = {};
  if (!baseline) return out;
  for (const id of Object.keys(readLocks(doc)).filter(isAssumptionId))
    out[id] = baseline.values[id];
  return out;
}

/**
 * The role token from `Authorization: Bearer …`, or on a download route a download token from
 * `?dl=`. A role token in the URL is refused: URLs end up in history, logs and proxies.
 */
function credential(req: IncomingMessage, url: URL, isDownload: boolean): Credential {
  if (url.searchParams.has('token'))
    throw new ApiError(
      401,
      'send the token as Authorization: Bearer <token>, never in the URL; downloads take a short-lived ?dl= token from POST /api/boards/<id>/downloads',
    );
  const download = url.searchParams.get('dl');
  if (download !== null) {
    if (!isDownload) throw new ApiError(401, 'a download token (?dl=) only opens downloads');
    return { token: download, kind: 'download' };
  }
  const header = req.headers.authorization;
  const bearer = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : null;
  return { token: bearer, kind: 'role' };
}

function absoluteUrl(req: IncomingMessage, path: string): string {
  const host = req.headers.host ?? 'localhost';
  const proto = (req.headers['x-forwarded-proto'] as string | undefined)?.split(',')[0] ?? 'http';
  return `${proto}://${host}${path}`;
}

/** Send a download (the browser saves it under `filename`). */
function sendFile(
  res: ServerResponse,
  body: string | Buffer,
  type: string,
  filename: string,
): void {
  res.writeHead(200, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'content-disposition': `attachment; filename="${filename}"`,
    'cache-control': 'no-store',
  });
  res.end(body);
}

/** A title as a safe file name. */
function fileName(title: string): string {
  return (
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'board'
  );
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}
