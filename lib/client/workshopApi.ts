/**
 * HTTP calls of workshop mode: rotating a board's links (moderator). Kept beside `api.ts`, whose
 * error handling it mirrors.
 */
import { z } from 'zod';
import { ApiRequestError } from './api';

const rotatedSchema = z.object({
  /** The new moderator token: the one who rotated keeps running the board with it. */
  token: z.string(),
  joinCode: z.string(),
  joinUrl: z.string(),
  links: z.object({ moderator: z.string(), editor: z.string(), viewer: z.string() }),
});
export type RotatedLinks = z.infer<typeof rotatedSchema>;

/** Replace every link of a board (and its join code); every older link stops working at once. */
export async function rotateBoardLinks(boardId: string, token: string): Promise<RotatedLinks> {
  let res: Response;
  try {
    res = await fetch(`/api/boards/${encodeURIComponent(boardId)}/rotate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
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
