'use client';

import dynamic from 'next/dynamic';
import { useEffect, useState } from 'react';
import { lookupBoard, type BoardLookup } from '@/lib/client/api';
import { roleFromToken, takeBoardToken } from '@/lib/client/boardAccess';
import { useIdentity } from '@/lib/client/identity';
import { BoardView } from './BoardView';
import { IdentityDialog } from './IdentityDialog';
import { BoardSkeleton } from './BoardSkeleton';

// Shown only when a link is wrong or a board is gone: loaded then, not with every board page
// (issue 11's phone budget; the access view brings the join-code form with it).
const NotFoundView = dynamic(() => import('./NotFoundView').then((m) => m.NotFoundView), {
  ssr: false,
});
const AccessView = dynamic(() => import('./AccessView').then((m) => m.AccessView), {
  ssr: false,
});

/**
 * The board, client side: takes the access token from the link (or this device's memory), checks
 * the board with the server, asks for a display name on the first visit, then opens the live view.
 * If the server cannot be reached the board still opens from this device's copy.
 */
export function BoardApp({
  boardId,
  initialTitle,
}: {
  boardId: string;
  initialTitle: string | null;
}) {
  const identity = useIdentity();
  const [changingIdentity, setChangingIdentity] = useState(false);
  // Reading the link has a side effect (the token is remembered and removed from the address
  // bar); it is idempotent, so StrictMode's double call is harmless.
  const [access] = useState(() => ({ token: takeBoardToken(boardId) }));
  const [lookup, setLookup] = useState<BoardLookup | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    lookupBoard(boardId, access.token, controller.signal).then(
      setLookup,
      () => undefined /* aborted */,
    );
    return () => controller.abort();
  }, [boardId, access.token]);

  // A link names the role it grants (the server checks it on every request): the live board opens
  // on that while the lookup runs, not one round trip later (bench/phone.ts, first chart).
  const hinted = roleFromToken(access.token);
  if (lookup === null && !hinted) return <BoardSkeleton title={initialTitle} />;
  if (lookup?.kind === 'not-found') return <NotFoundView />;
  if (lookup?.kind === 'denied')
    return <AccessView refusal={access.token ? lookup.code : undefined} />;
  if (!access.token) return <AccessView />;

  const role = lookup?.kind === 'found' ? lookup.board.role : (hinted ?? 'viewer');
  const title = lookup?.kind === 'found' ? lookup.board.title : initialTitle;

  return (
    <>
      <BoardView
        boardId={boardId}
        access={access}
        role={role}
        initialTitle={title}
        identity={identity}
        onChangeIdentity={() => setChangingIdentity(true)}
      />
      {/* A viewer moves nothing: not asked for a name on arrival (they may still set one). */}
      {((identity === null && role !== 'viewer') || changingIdentity) && (
        <IdentityDialog
          current={identity}
          role={role}
          onDone={() => setChangingIdentity(false)}
          dismissible={identity !== null || role === 'viewer'}
        />
      )}
    </>
  );
}
