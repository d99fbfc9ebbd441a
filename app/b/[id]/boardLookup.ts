/**
 * Server-side existence check for the board page, so an unknown id gets a real 404 status.
 *
 * Next bundles page code separately from the custom server, so the page cannot share the server's
 * BoardHub in memory; it asks the HTTP API of the process it runs in instead (one owner of the
 * documents, DESIGN.md). Any failure other than a clear 404 returns `unknown`, and the client
 * component checks again (and can open an offline copy).
 */
import { cache } from 'react';
import { BOARD_ID_PATTERN } from '@/lib/protocol';
import { selfOrigin } from '@/lib/selfOrigin';

export type ServerBoardLookup =
  { kind: 'found'; title: string } | { kind: 'not-found' } | { kind: 'unknown' };

/** Look a board up through the API; memoised per request (page and metadata share one call). */
export const lookupBoardOnServer = cache(async (id: string): Promise<ServerBoardLookup> => {
  if (!BOARD_ID_PATTERN.test(id)) return { kind: 'not-found' };
  const origin = selfOrigin();
  if (!origin) return { kind: 'unknown' };
  try {
    const res = await fetch(`${origin}/api/boards/${id}`, {
      cache: 'no-store',
      signal: AbortSignal.timeout(3_000),
    });
    if (res.status === 404) return { kind: 'not-found' };
    if (!res.ok) return { kind: 'unknown' };
    const body = (await res.json()) as { title?: unknown };
    return { kind: 'found', title: typeof body.title === 'string' ? body.title : 'Untitled board' };
  } catch {
    return { kind: 'unknown' };
  }
});
