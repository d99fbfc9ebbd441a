'use client';

import { createContext, useContext } from 'react';
import type { BoardState } from '@/lib/board/boardState';
import type { Lock } from '@/lib/board/locks';
import type { AssumptionId } from '@/lib/model';
import type { Participant, Role } from '@/lib/protocol';
import type { BoardSession, BoardSessionState } from '@/lib/client/boardSession';
import type { BoardParticipant } from '@/lib/client/identity';

/** The tabs of the outcomes column. The presenter view follows the moderator's tab. */
export const OUTCOME_TABS = [
  { id: 'outcomes', label: 'Outcomes' },
  { id: 'analysis', label: 'Analysis' },
  { id: 'history', label: 'History' },
] as const;
export type OutcomeTab = (typeof OUTCOME_TABS)[number]['id'];

/**
 * What every feature panel of the board page needs, provided once by BoardView. Feature
 * components (analysis, workshop tools, history, comments) read it with useBoardContext()
 * instead of threading props through the page.
 */
export interface BoardContextValue {
  boardId: string;
  /** This device's link token (null if none). */
  access: { token: string | null };
  role: Role;
  /** The name and colour this person chose (null until they have). */
  identity: Participant | null;
  /**
   * This person as the server issued them: participant id, name, colour and role (null until
   * their credential arrives). The server attributes edits, comments and votes to `me.id`, so
   * components compare with it to tell "mine" from others'.
   */
  me: BoardParticipant | null;
  session: BoardSession;
  snapshot: BoardSessionState;
  board: BoardState;
  locks: Partial<Record<AssumptionId, Lock>>;
  /** The scenario being shown and edited. */
  scenarioId: string;
  selectScenario: (id: string) => void;
  tab: OutcomeTab;
  setTab: (tab: OutcomeTab) => void;
  /** Why this person cannot edit (view-only, frozen, disconnected), or null. */
  readOnly: string | null;
}

const BoardContext = createContext<BoardContextValue | null>(null);

export const BoardContextProvider = BoardContext.Provider;

export function useBoardContext(): BoardContextValue {
  const value = useContext(BoardContext);
  if (!value) throw new Error('useBoardContext must be used inside the board page');
  return value;
}
