'use client';

import { useInBrowser } from '@/lib/client/useInBrowser';
import { BoardApp } from './BoardApp';
import { BoardSkeleton } from './BoardSkeleton';

/**
 * The live board renders in the browser only: it holds a Yjs document and sockets, and its access
 * token is in the URL fragment, which the server never sees. The server (and hydration) render the
 * skeleton. BoardApp is imported statically all the same, so its code arrives with the page's
 * first scripts instead of in a second round of downloads after hydration (bench/phone.ts: about
 * a second of the first chart on the phone profile).
 */
export function BoardLoader({
  boardId,
  initialTitle,
}: {
  boardId: string;
  initialTitle: string | null;
}) {
  if (!useInBrowser()) return <BoardSkeleton title={initialTitle} />;
  return <BoardApp key={boardId} boardId={boardId} initialTitle={initialTitle} />;
}
