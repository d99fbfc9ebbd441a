/**
 * Boards: create one, its metadata and projection, importing scenarios into it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as v from 'valibot';
import type * as Y from 'yjs';
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
} from '../../../lib/model';
import { TITLE_MAX } from '../../../lib/board/limits';
import { addScenario } from '../../../lib/board/scenarios';
import { readBoard, scenarioOrBaseline } from '../../../lib/board/boardState';
import { readLocks } from '../../../lib/board/locks';
import { readLogOnce } from '../../../lib/board/decisionLog';
import {
  ImportError,
  modelValues,
  parseScenarioImport,
  segmentRows,
  type ImportedScenario,
} from '../../../lib/board/exchange';
import type { Actor } from '../../../lib/board/refusal';
import type { Role } from '../../../lib/protocol';
import { notArray } from '../../../lib/notArray';
import { ApiError, absoluteUrl, boardPath, parseBody, readJson, sendJson } from '../apiKit';
import { boardAccess, type ApiContext, type ApiRoute, type BoardRoute } from './context';
import type { linkRoutes } from './links';

const createBoardSchema = v.object({
  title: v.pipe(
    v.string(),
    v.trim(),
    v.minLength(1, 'title must not be empty'),
    v.maxLength(TITLE_MAX, `title must be at most ${TITLE_MAX} characters`),
  ),
  assumptions: v.optional(notArray(v.record(v.string(), v.unknown()))),
  /** The creator (the moderator) may let the room edit the baseline from the start. */
  baselineOpen: v.optional(v.boolean()),
  /** The model version (default: the newest). An older one reproduces boards made with it. */
  modelVersion: v.optional(
    v.pipe(
      v.number(),
      v.safeInteger('modelVersion must be a whole number'),
      v.check(
        (version) => getModel(MODEL_ID, version) !== null,
        `modelVersion must be one of ${listModels()
          .map((m) => m.version)
          .join(', ')}`,
      ),
    ),
  ),
});

function lockedValues(doc: Y.Doc): Partial<Record<AssumptionId, number>> {
  const baseline = scenarioOrBaseline(readBoard(doc));
  const out: Partial<Record<AssumptionId, number>> = {};
  if (!baseline) return out;
  for (const id of Object.keys(readLocks(doc)).filter(isAssumptionId))
    out[id] = baseline.values[id];
  return out;
}

export function boardRoutes(
  ctx: ApiContext,
  { linksFor }: Pick<ReturnType<typeof linkRoutes>, 'linksFor'>,
) {
  const { hub, limits } = ctx;
  const { changeBoard, readLive } = boardAccess(ctx);

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
      if (err instanceof ImportError) throw new ApiError(400, 'badImport', err.message, err.field);
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

  async function createBoard(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJson(req);
    const request = parseBody(createBoardSchema, body);
    const model = getModel(MODEL_ID, request.modelVersion)!;
    const assumptions: Partial<Record<AssumptionId, number>> = {};
    // The body's own keys, not the parsed record's: valibot's record drops "constructor" and
    // "prototype" without a word, and an unknown assumption is refused by name.
    const given = (body as { assumptions?: object }).assumptions ?? {};
    for (const [key, value] of Object.entries(given)) {
      const checked = checkAssumptionValue(key, value);
      if (!checked.ok)
        throw new ApiError(400, 'invalidRequest', checked.error, `assumptions.${key}`);
      if (!model.assumptionIds.includes(key as AssumptionId))
        throw new ApiError(
          400,
          'invalidRequest',
          `${key} is not an assumption of model ${model.id} v${model.version}`,
          `assumptions.${key}`,
        );
      assumptions[key as AssumptionId] = checked.value;
    }
    await limits.boardCreate.consume(limits.clientAddress(req));
    const record = await hub.createBoard({
      title: request.title,
      modelVersion: model.version,
      assumptions,
      baselineOpen: request.baselineOpen,
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
    if (!record) throw new ApiError(404, 'unknownBoard', `no board ${id}`);
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
    if (!board) throw new ApiError(404, 'unknownBoard', `no board ${id}`);
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

  const publicRoutes: ApiRoute[] = [
    { method: 'POST', path: '/api/boards', handle: (req, res) => createBoard(req, res) },
  ];
  const routes: BoardRoute[] = [
    {
      method: 'GET',
      path: '',
      role: 'viewer',
      handle: ({ req, res, id, actor }) => boardMetadata(req, res, id, actor!.role),
    },
    {
      method: 'GET',
      path: '/projection',
      role: 'viewer',
      handle: ({ res, id }) => boardProjection(res, id),
    },
    {
      method: 'POST',
      path: '/scenarios',
      role: 'editor',
      handle: ({ req, res, id, actor }) => importScenarios(req, res, id, actor!),
    },
    {
      method: 'GET',
      path: '/log',
      role: 'viewer',
      handle: async ({ res, id }) =>
        sendJson(res, 200, { entries: await readLive(id, (doc) => readLogOnce(doc)) }),
    },
  ];
  return { routes, publicRoutes };
}
