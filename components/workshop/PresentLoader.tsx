'use client';

import { useInBrowser } from '@/lib/client/useInBrowser';
import { PresentApp } from './PresentApp';

/**
 * The projector view renders in the browser only (it holds the live Yjs document, like the board:
 * see BoardLoader); its code comes with the page's first scripts.
 */
export function PresentLoader({ boardId }: { boardId: string }) {
  if (!useInBrowser()) return <div className="min-h-dvh bg-surface" />;
  return <PresentApp key={boardId} boardId={boardId} />;
}
