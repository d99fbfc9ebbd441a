/**
 * What every API route shares: the error type the dispatcher turns into a JSON answer, body
 * parsing with its limits, where a board request's credential comes from, and the ways to answer
 * (JSON, a download).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as v from 'valibot';
import type { ApiErrorCode } from '../../lib/protocol';
import type { TokenKind } from '../auth/tokens';

/**
 * A request the API refuses: the HTTP status, a code the browser words in its reader's language
 * (lib/protocol.ts API_ERROR_CODES) and a message for the caller.
 */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly field?: string,
    /** For a `refused` change: the board rule's kind (lib/board/refusal.ts). */
    readonly refusal?: string,
  ) {
    super(message);
  }
}

/**
 * A request body as `schema` reads it, or a 400 with its first problem, naming the top-level
 * field it is about (`fallback` when it is about the body as a whole).
 */
export function parseBody<TSchema extends v.GenericSchema>(
  schema: TSchema,
  body: unknown,
  fallback?: string,
): v.InferOutput<TSchema> {
  const parsed = v.safeParse(schema, body);
  if (parsed.success) return parsed.output;
  const issue = parsed.issues[0];
  const key = issue.path?.[0]?.key;
  throw new ApiError(
    400,
    'invalidRequest',
    issue.message,
    typeof key === 'string' ? key : fallback,
  );
}

const MAX_BODY_BYTES = 64 * 1024;

/** The credential of a board request: the Bearer token, or a download token. */
export interface Credential {
  token: string | null;
  kind: TokenKind;
}

/** The JSON body, or undefined when the request sends none (an empty body, whatever its type). */
export async function readOptionalJson(req: IncomingMessage): Promise<unknown> {
  const declared = req.headers['content-length'];
  const chunked = req.headers['transfer-encoding'] !== undefined;
  if (declared === '0' || (declared === undefined && !chunked)) return undefined;
  return readJson(req);
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!type.includes('application/json')) {
    throw new ApiError(415, 'notJson', 'send a JSON body with Content-Type: application/json');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES)
      throw new ApiError(413, 'bodyTooLarge', `body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, 'notJson', 'body is not valid JSON');
  }
}

export const boardPath = (id: string) => `/b/${id}`;

/**
 * The role token from `Authorization: Bearer …`, or on a download route a download token from
 * `?dl=`. A role token in the URL is refused: URLs end up in history, logs and proxies.
 */
export function credential(req: IncomingMessage, url: URL, isDownload: boolean): Credential {
  if (url.searchParams.has('token'))
    throw new ApiError(
      401,
      'tokenInUrl',
      'send the token as Authorization: Bearer <token>, never in the URL; downloads take a short-lived ?dl= token from POST /api/boards/<id>/downloads',
    );
  const download = url.searchParams.get('dl');
  if (download !== null) {
    if (!isDownload)
      throw new ApiError(
        401,
        'credentialWrongKind',
        'a download token (?dl=) only opens downloads',
      );
    return { token: download, kind: 'download' };
  }
  const header = req.headers.authorization;
  const bearer = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : null;
  return { token: bearer, kind: 'role' };
}

export function absoluteUrl(req: IncomingMessage, path: string): string {
  const host = req.headers.host ?? 'localhost';
  const proto = (req.headers['x-forwarded-proto'] as string | undefined)?.split(',')[0] ?? 'http';
  return `${proto}://${host}${path}`;
}

/** Send a download (the browser saves it under `filename`). */
export function sendFile(
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
export function fileName(title: string): string {
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
