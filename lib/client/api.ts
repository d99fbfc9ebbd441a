/**
 * Typed calls to the HTTP API (server/http/api.ts) from the browser. Responses are validated so a
 * mismatch shows up as a clear error rather than `undefined` deep in a component.
 */
import * as z from 'zod/mini';
import { issuedParticipantSchema, type IssuedParticipant, type Participant } from '../protocol';

/** An API call failed; `status` is the HTTP status (0 for a network failure). */
export class ApiRequestError extends Error {
  override name = 'ApiRequestError';
  constructor(
    readonly status: number,
    message: string,
    /** From `Retry-After` (429): when asking again may work. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

const roleSchema = z.enum(['moderator', 'editor', 'viewer']);

const linksSchema = z.object({
  joinCode: z.string(),
  joinUrl: z.string(),
  links: z.object({ moderator: z.string(), editor: z.string(), viewer: z.string() }),
});
export type BoardLinks = z.infer<typeof linksSchema>;

const createdBoardSchema = z.extend(linksSchema, {
  id: z.string(),
  title: z.string(),
  path: z.string(),
  /** The moderator token: the creator runs the board. */
  token: z.string(),
});
export type CreatedBoard = z.infer<typeof createdBoardSchema>;

const boardInfoSchema = z.object({
  id: z.string(),
  title: z.string(),
  path: z.string(),
  role: roleSchema,
});
export type BoardInfo = z.infer<typeof boardInfoSchema>;

const joinedSchema = z.object({
  boardId: z.string(),
  title: z.string(),
  token: z.string(),
  path: z.string(),
});
export type JoinedBoard = z.infer<typeof joinedSchema>;

const errorSchema = z.object({ error: z.string() });

async function errorFrom(res: Response): Promise<ApiRequestError> {
  let message = `The server answered ${res.status}.`;
  try {
    const body = errorSchema.safeParse(await res.json());
    if (body.success) message = body.data.error;
  } catch {
    // not JSON: keep the generic message
  }
  const retryAfter = Number(res.headers.get('retry-after'));
  return new ApiRequestError(
    res.status,
    message,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : null,
  );
}

async function request(input: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(input, { cache: 'no-store', ...init });
  } catch (err) {
    if (init?.signal?.aborted) throw err;
    throw new ApiRequestError(
      0,
      'Could not reach the server. Check your connection and try again.',
    );
  }
}

const authHeaders = (token: string | null): Record<string, string> =>
  token ? { authorization: `Bearer ${token}` } : {};

async function postJson(path: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
  const res = await request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  });
  if (!res.ok) throw await errorFrom(res);
  return res.json();
}

/** Create a board; resolves to its id, path, the creator's (moderator) token and the role links. */
export async function createBoard(title: string, signal?: AbortSignal): Promise<CreatedBoard> {
  return createdBoardSchema.parse(await postJson('/api/boards', { title }, signal));
}

/** Exchange a short join code for an editor token. */
export async function joinWithCode(code: string, signal?: AbortSignal): Promise<JoinedBoard> {
  return joinedSchema.parse(await postJson('/api/join', { code }, signal));
}

/**
 * Ask the server for a personal participant credential on a board. `bearer` is the board link's
 * token (a new participant) or this person's current credential (a rename: same id and role).
 */
export async function issueParticipant(
  boardId: string,
  bearer: string,
  participant: Participant,
  signal?: AbortSignal,
): Promise<IssuedParticipant> {
  const res = await request(`/api/boards/${encodeURIComponent(boardId)}/participants`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authHeaders(bearer) },
    body: JSON.stringify(participant),
    signal,
  });
  if (!res.ok) throw await errorFrom(res);
  return issuedParticipantSchema.parse(await res.json());
}

/** A moderator's view of the board's role links and join code. */
export async function fetchBoardLinks(
  boardId: string,
  token: string,
  signal?: AbortSignal,
): Promise<BoardLinks> {
  const res = await request(`/api/boards/${encodeURIComponent(boardId)}/links`, {
    headers: authHeaders(token),
    signal,
  });
  if (!res.ok) throw await errorFrom(res);
  return linksSchema.parse(await res.json());
}

export type BoardLookup =
  | { kind: 'found'; board: BoardInfo }
  | { kind: 'not-found' }
  /** No token, or one the server does not accept (rotated, forged, for another board). */
  | { kind: 'denied'; status: number; message: string }
  /** The server could not be asked (offline) or failed: open the local copy anyway. */
  | { kind: 'unknown'; error: ApiRequestError };

/** Look a board up with this device's token; never throws for an HTTP error or a network failure. */
export async function lookupBoard(
  id: string,
  token: string | null,
  signal?: AbortSignal,
): Promise<BoardLookup> {
  try {
    const res = await request(`/api/boards/${encodeURIComponent(id)}`, {
      headers: authHeaders(token),
      signal,
    });
    if (res.status === 404) return { kind: 'not-found' };
    if (res.status === 401 || res.status === 403) {
      const error = await errorFrom(res);
      return { kind: 'denied', status: res.status, message: error.message };
    }
    if (!res.ok) return { kind: 'unknown', error: await errorFrom(res) };
    return { kind: 'found', board: boardInfoSchema.parse(await res.json()) };
  } catch (err) {
    if (signal?.aborted) throw err;
    return {
      kind: 'unknown',
      error:
        err instanceof ApiRequestError
          ? err
          : new ApiRequestError(0, 'Unexpected answer from the server.'),
    };
  }
}
