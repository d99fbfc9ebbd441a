/**
 * "Recent boards": the boards this browser has opened, newest first, kept in localStorage.
 * Nothing is sent to the server; clearing site data forgets them.
 */
import { useSyncExternalStore } from 'react';
import * as v from 'valibot';
import { ID_MAX } from '../board/limits';
import { createLocalStore } from './localStore';

export interface RecentBoard {
  id: string;
  title: string;
  /** ms since epoch */
  lastOpened: number;
}

/** How many boards the list keeps. */
export const RECENT_BOARDS_MAX = 12;

const recentSchema = v.array(
  v.object({
    id: v.pipe(v.string(), v.minLength(1), v.maxLength(ID_MAX)),
    title: v.pipe(v.string(), v.maxLength(200)),
    lastOpened: v.pipe(v.number(), v.finite()),
  }),
);

const EMPTY: readonly RecentBoard[] = Object.freeze([]);

const store = createLocalStore<readonly RecentBoard[]>(
  'scenario-board:recent-boards',
  (raw) => {
    const parsed = v.safeParse(recentSchema, raw);
    return parsed.success ? parsed.output : null;
  },
  EMPTY,
);

/** Record that a board was opened now (or that its title changed), moving it to the top. */
export function rememberBoard(board: { id: string; title: string }, now = Date.now()): void {
  const rest = store.get().filter((b) => b.id !== board.id);
  store.set(
    [{ id: board.id, title: board.title, lastOpened: now }, ...rest].slice(0, RECENT_BOARDS_MAX),
  );
}

/** Update a remembered board's title without changing its position; no-op if unknown or unchanged. */
export function renameRememberedBoard(id: string, title: string): void {
  const list = store.get();
  if (!list.some((b) => b.id === id && b.title !== title)) return;
  store.set(list.map((b) => (b.id === id ? { ...b, title } : b)));
}

export function forgetBoard(id: string): void {
  store.set(store.get().filter((b) => b.id !== id));
}

const getServerSnapshot = () => EMPTY;

export function useRecentBoards(): readonly RecentBoard[] {
  return useSyncExternalStore(store.subscribe, store.get, getServerSnapshot);
}
