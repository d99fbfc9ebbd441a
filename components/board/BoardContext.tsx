'use client';

import { createContext, useContext, type ReactNode } from 'react';
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
 * instead of threading props through the page. It holds what changes seldom (who, where, the
 * session object): the board's content and the session's state, which change on every edit,
 * have their own contexts (useSharedBoard, useSessionSnapshot), so a lever drag re-renders only
 * the components that show the board, not every tool on every assumption row.
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
const SharedBoardContext = createContext<BoardState | null>(null);
const SessionSnapshotContext = createContext<BoardSessionState | null>(null);

/**
 * The three board contexts, for BoardView. Without `board` and `snapshot` only the board context
 * is given (for controls that must not re-render on edits): useSharedBoard and useSessionSnapshot
 * then fail loudly instead of reading stale data.
 */
export function BoardContextProvider({
  value,
  board = null,
  snapshot = null,
  children,
}: {
  value: BoardContextValue;
  board?: BoardState | null;
  snapshot?: BoardSessionState | null;
  children: ReactNode;
}) {
  return (
    <BoardContext.Provider value={value}>
      <SharedBoardContext.Provider value={board}>
        <SessionSnapshotContext.Provider value={snapshot}>
          {children}
        </SessionSnapshotContext.Provider>
      </SharedBoardContext.Provider>
    </BoardContext.Provider>
  );
}

function required<T>(value: T | null, hook: string): T {
  if (value === null) throw new Error(`${hook} must be used inside the board page`);
  return value;
}

export function useBoardContext(): BoardContextValue {
  return required(useContext(BoardContext), 'useBoardContext');
}

/** The board's shared content (re-renders the caller on every change to it). */
export function useSharedBoard(): BoardState {
  return required(useContext(SharedBoardContext), 'useSharedBoard');
}

/** This device's session state: connection, peers, roster (changes often). */
export function useSessionSnapshot(): BoardSessionState {
  return required(useContext(SessionSnapshotContext), 'useSessionSnapshot');
}
