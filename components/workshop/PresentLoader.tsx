'use client';

import dynamic from 'next/dynamic';

/** Loads the projector view in the browser only (it holds the live Yjs document, like the board). */
const PresentApp = dynamic(() => import('./PresentApp').then((m) => m.PresentApp), {
  ssr: false,
  loading: () => <div className="min-h-dvh bg-surface" />,
});

export function PresentLoader({ boardId }: { boardId: string }) {
  return <PresentApp key={boardId} boardId={boardId} />;
}
