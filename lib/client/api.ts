/**
 * Typed calls to the HTTP API (server/http/api.ts) from the browser, through `apiClient.ts`.
 * Responses are validated so a mismatch shows up as a clear error rather than `undefined` deep in
 * a component.
 */
import * as v from 'valibot';
import {
  issuedParticipantSchema,
  type ApiErrorCode,
  type IssuedParticipant,
  type Participant,
  type Role,
} from '../protocol';
import { notArray } from '../notArray';
import { ApiRequestError, apiRequest, apiResponse, errorFrom } from './apiClient';

const roleSchema = v.picklist(['moderator', 'editor', 'viewer']);

const linksSchema = v.object({
  joinCode: v.string(),
  joinUrl: v.string(),
  links: v.object({ moderator: v.string(), editor: v.string(), viewer: v.string() }),
});
export type BoardLinks = v.InferOutput<typeof linksSchema>;

const createdBoardSchema = v.object({
  ...linksSchema.entries,
  id: v.string(),
  title: v.string(),
  path: v.string(),
  /** The moderator token: the creator runs the board. */
  token: v.string(),
});
export type CreatedBoard = v.InferOutput<typeof createdBoardSchema>;

const boardInfoSchema = v.object({
  id: v.string(),
  title: v.string(),
  path: v.string(),
  role: roleSchema,
});
export type BoardInfo = v.InferOutput<typeof boardInfoSchema>;

const joinedSchema = v.object({
  boardId: v.string(),
  title: v.string(),
  token: v.string(),
  path: v.string(),
});
export type JoinedBoard = v.InferOutput<typeof joinedSchema>;

const boardPath = (boardId: string) => `/api/boards/${encodeURIComponent(boardId)}`;

/** Create a board; resolves to its id, path, the creator's (moderator) token and the role links. */
export async function createBoard(title: string, signal?: AbortSignal): Promise<CreatedBoard> {
  return v.parse(
    createdBoardSchema,
    await apiRequest('/api/boards', { method: 'POST', body: { title }, signal }),
  );
}

/** Exchange a short join code for an editor token. */
export async function joinWithCode(code: string, signal?: AbortSignal): Promise<JoinedBoard> {
  return v.parse(
    joinedSchema,
    await apiRequest('/api/join', { method: 'POST', body: { code }, signal }),
  );
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
  return v.parse(
    issuedParticipantSchema,
    await apiRequest(`${boardPath(boardId)}/participants`, {
      method: 'POST',
      token: bearer,
      body: participant,
      signal,
    }),
  );
}

/** A moderator's view of the board's role links and join code. */
export async function fetchBoardLinks(
  boardId: string,
  token: string,
  signal?: AbortSignal,
): Promise<BoardLinks> {
  return v.parse(linksSchema, await apiRequest(`${boardPath(boardId)}/links`, { token, signal }));
}

export type BoardLookup =
  | { kind: 'found'; board: BoardInfo }
  | { kind: 'not-found' }
  /** No token, or one the server does not accept (rotated, forged, for another board). */
  | { kind: 'denied'; status: number; code: ApiErrorCode | null; message: string }
  /** The server could not be asked (offline) or failed: open the local copy anyway. */
  | { kind: 'unknown'; error: ApiRequestError };

/** Look a board up with this device's token; never throws for an HTTP error or a network failure. */
export async function lookupBoard(
  id: string,
  token: string | null,
  signal?: AbortSignal,
): Promise<BoardLookup> {
  try {
    const res = await apiResponse(boardPath(id), { token, signal });
    if (res.status === 404) return { kind: 'not-found' };
    if (res.status === 401 || res.status === 403) {
      const error = await errorFrom(res);
      return { kind: 'denied', status: res.status, code: error.code, message: error.message };
    }
    if (!res.ok) return { kind: 'unknown', error: await errorFrom(res) };
    return { kind: 'found', board: v.parse(boardInfoSchema, await res.json()) };
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

/** The new links of the roles replaced (and nothing about the others, which did not change). */
const rotatedSchema = v.object({
  /** The new moderator token, when the moderator link was replaced: the one who rotated keeps running the board with it. */
  token: v.optional(v.string()),
  /** The new join code, when the editor link was replaced (the code leads to the editor role). */
  joinCode: v.optional(v.string()),
  joinUrl: v.optional(v.string()),
  links: notArray(
    v.object({
      moderator: v.optional(v.string()),
      editor: v.optional(v.string()),
      viewer: v.optional(v.string()),
    }),
  ),
});
export type RotatedLinks = v.InferOutput<typeof rotatedSchema>;

/** Replace the links of `roles` (the editor's with the join code); older links of those roles stop working at once. */
export async function rotateBoardLinks(
  boardId: string,
  token: string,
  roles: readonly Role[],
): Promise<RotatedLinks> {
  return v.parse(
    rotatedSchema,
    await apiRequest(`${boardPath(boardId)}/rotate`, { method: 'POST', token, body: { roles } }),
  );
}
