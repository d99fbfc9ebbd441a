/**
 * HTTP calls of workshop mode: replacing a board's links, per role (moderator). Kept beside `api.ts`, whose
 * error handling it mirrors.
 */
import * as z from 'zod/mini';
import type { Role } from '../protocol';
import { ApiRequestError } from './api';

/** The new links of the roles replaced (and nothing about the others, which did not change). */
const rotatedSchema = z.object({
  /** The new moderator token, when the moderator link was replaced: the one who rotated keeps running the board with it. */
  token: z.optional(z.string()),
  /** The new join code, when the editor link was replaced (the code leads to the editor role). */
  joinCode: z.optional(z.string()),
  joinUrl: z.optional(z.string()),
  links: z.object({
    moderator: z.optional(z.string()),
    editor: z.optional(z.string()),
    viewer: z.optional(z.string()),
  }),
});
export type RotatedLinks = z.infer<typeof rotatedSchema>;

/** Replace the links of `roles` (the editor's with the join code); older links of those roles stop working at once. */
export async function rotateBoardLinks(
  boardId: string,
  token: string,
  roles: readonly Role[],
): Promise<RotatedLinks> {
  let res: Response;
  try {
    res = await fetch(`/api/boards/${encodeURIComponent(boardId)}/rotate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ roles }),
      cache: 'no-store',
    });
  } catch {
    throw new ApiRequestError(
      0,
      'Could not reach the server. Check your connection and try again.',
    );
  }
  if (!res.ok) {
    let message = `The server answered ${res.status}.`;
    try {
      const body = (await res.json()) as { error?: unknown };
      if (typeof body.error === 'string') message = body.error;
    } catch {
      // not JSON
    }
    throw new ApiRequestError(res.status, message);
  }
  return rotatedSchema.parse(await res.json());
}
