/**
 * The HTTP API (documented in the README). Handled by the custom server before Next, so every
 * request goes through the one BoardHub that owns the live documents.
 *
 *   GET  /api/health
 *   POST /api/boards                      { title, assumptions? } -> 201 { id, url, path, ... }
 *   GET  /api/boards/<id>                 metadata
 *   GET  /api/boards/<id>/projection      every scenario's yearly projection, in US dollars
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { ASSUMPTION_IDS, checkAssumptionValue, project, type AssumptionId } from '../../lib/model';
import { readBoard } from '../../lib/board/schema';
import { TITLE_MAX } from '../../lib/board/schema';
import type { BoardHub } from '../collab/hub';
import { BOARD_ID_PATTERN } from '../collab/ids';
import type { Logger } from '../logger';

/** A request the API refuses, with the HTTP status and a message for the caller. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

const MAX_BODY_BYTES = 64 * 1024;

const createBoardSchema = z.object({
  title: z.string().trim().min(1, 'title must not be empty').max(TITLE_MAX, `title must be at most ${TITLE_MAX} characters`),
  assumptions: z.record(z.string(), z.unknown()).optional(),
});

export interface ApiOptions {
  hub: BoardHub;
  logger: Logger;
}

export function createApiHandler({ hub, logger }: ApiOptions) {
  /** Returns false if the path is not an API path (the caller hands it to Next). */
  return async function handleApi(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith('/api/')) return false;
    try {
      await route(req, res, url);
    } catch (err) {
      if (err instanceof ApiError) {
        sendJson(res, err.status, { error: err.message, ...(err.field ? { field: err.field } : {}) });
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
    if (parts[1] !== 'boards') throw new ApiError(404, `no API route ${url.pathname}`);
    if (parts.length === 2) {
      if (method !== 'POST') throw new ApiError(405, 'use POST to create a board');
      return createBoard(req, res);
    }
    const id = parts[2] ?? '';
    if (!BOARD_ID_PATTERN.test(id)) throw new ApiError(404, `no board ${id}`);
    if (method !== 'GET') throw new ApiError(405, `${method} is not supported here`);
    if (parts.length === 3) return boardMetadata(req, res, id);
    if (parts.length === 4 && parts[3] === 'projection') return boardProjection(res, id);
    throw new ApiError(404, `no API route ${url.pathname}`);
  }

  async function createBoard(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJson(req);
    const parsed = createBoardSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new ApiError(400, issue.message, issue.path.join('.') || undefined);
    }
    const assumptions: Partial<Record<AssumptionId, number>> = {};
    for (const [key, value] of Object.entries(parsed.data.assumptions ?? {})) {
      const checked = checkAssumptionValue(key, value);
      if (!checked.ok) throw new ApiError(400, checked.error, `assumptions.${key}`);
      assumptions[key as AssumptionId] = checked.value;
    }
    const record = await hub.createBoard({ title: parsed.data.title, assumptions });
    const path = `/b/${record.id}`;
    sendJson(res, 201, { ...record, path, url: absoluteUrl(req, path) });
  }

  async function boardMetadata(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const record = await hub.storage.getBoard(id);
    if (!record) throw new ApiError(404, `no board ${id}`);
    const board = await hub.withBoard(id, (b) => readBoard(b.doc));
    const path = `/b/${id}`;
    sendJson(res, 200, {
      ...record,
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
    sendJson(res, 200, {
      boardId: id,
      currency: 'USD',
      assumptionIds: ASSUMPTION_IDS,
      scenarios: board.scenarios.map((s) => ({
        id: s.id,
        name: s.name,
        assumptions: s.values,
        years: project(s.values).years.map((y) => ({
          year: y.year,
          total: y.total,
          existing: y.existing,
          services: y.services,
          products: y.products,
          freelance: y.freelance,
        })),
      })),
    });
  }
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

function absoluteUrl(req: IncomingMessage, path: string): string {
  const host = req.headers.host ?? 'localhost';
  const proto = (req.headers['x-forwarded-proto'] as string | undefined)?.split(',')[0] ?? 'http';
  return `${proto}://${host}${path}`;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}
