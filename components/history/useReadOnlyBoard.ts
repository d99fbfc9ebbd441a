'use client';

import { useState } from 'react';
import { storedBoardToken, tokenFromLocation } from '@/lib/client/boardAccess';
import { useBoardSession, useBoardState } from '@/lib/client/useBoardSession';

/**
 * A board opened only to read it (report, embed): the token from the link's `#t=` or the one this
 * device remembers (a link's token is not remembered, so an embed never replaces a moderator's
 * token), synced live, without presence or a participant credential (no identity is set).
 */
export function useReadOnlyBoard(boardId: string) {
  const [access] = useState(() => ({ token: tokenFromLocation() ?? storedBoardToken(boardId) }));
  const { session, snapshot } = useBoardSession(boardId, access, null);
  const { board } = useBoardState(session.doc);
  return { access, session, snapshot, board };
}
