'use client';

import dynamic from 'next/dynamic';
import { BoardSkeleton } from './BoardSkeleton';

/**
 * Loads the live board in the browser only: it holds a Yjs document, and server-rendering it in
 * the custom server's process would load a second copy of Yjs (PITFALLS).
 */
const BoardApp = dynamic(() => import('./BoardApp').then((m) => m.BoardApp), {
  ssr: false,
  loading: () => <BoardSkeleton />,
});

export function BoardLoader({
  boardId,
  initialTitle,
}: {
  boardId: string;
  initialTitle: string | null;
}) {
  return <BoardApp key={boardId} boardId={boardId} initialTitle={initialTitle} />;
}
