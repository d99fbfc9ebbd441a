/**
 * Workshop mode on the client: hooks over the live session (timer, poll, hands, reactions) and the
 * moderator-owned parts of the board document (presenter focus, spotlight, closed polls, freeze),
 * plus the per-tab "follow the presenter" state.
 *
 * Presenting is stored in the document's presenter focus: a focus with a scenario means the
 * moderator is presenting; "stop presenting" writes the same focus with `scenarioId: null`
 * (the schema has no separate flag, and a null scenario cannot be mirrored anyway).
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import { observeBoard } from '../board/layout';
import { readClosedPolls, type ClosedPoll } from '../board/polls';
import { readMeta } from '../board/meta';
import { readPresenter, type PresenterFocus } from '../board/presenter';
import type { AssumptionId } from '../model';
import type { TimerState } from '../protocol';
import type { BoardSession, LiveSessionState } from './boardSession';

// --- live session --------------------------------------------------------------------------------

/** Timer, open poll, hands and recent reactions of the live session. */
export function useLiveSession(session: BoardSession): LiveSessionState {
  return useSyncExternalStore(session.subscribeLive, session.getLive, session.getLive);
}

/**
 * Milliseconds left on the shared timer, at local time `now`, using the measured clock offset.
 * A running timer never shows more than it had when started: the offset is an estimate, and a
 * few milliseconds of error must not make a fresh 5-minute timer read 05:01.
 */
export function timerRemaining(timer: TimerState, clockOffset: number, now: number): number {
  if (!timer.running || timer.endsAt === null) return Math.max(0, timer.remainingMs);
  return Math.max(0, Math.min(timer.remainingMs, timer.endsAt - (now + clockOffset)));
}

/** "mm:ss", rounding up so a fresh 5-minute timer reads 05:00 and the last partial second 00:01. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

/** Whether the timer is worth showing to everyone: running, or paused part-way. */
export function timerActive(timer: TimerState | null): timer is TimerState {
  return !!timer && (timer.running || timer.remainingMs < timer.durationMs);
}

/** The current time, re-rendering every `intervalMs` while `active`. */
export function useNow(active: boolean, intervalMs = 250): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const tick = () => setNow(Date.now());
    const id = setInterval(tick, intervalMs);
    const first = setTimeout(tick, 0);
    return () => {
      clearInterval(id);
      clearTimeout(first);
    };
  }, [active, intervalMs]);
  return now;
}

// --- document state ------------------------------------------------------------------------------

export interface WorkshopDocState {
  focus: PresenterFocus | null;
  spotlight: AssumptionId | null;
  closedPolls: readonly ClosedPoll[];
  frozen: boolean;
}

function readWorkshop(doc: Y.Doc): WorkshopDocState {
  const { focus, spotlight } = readPresenter(doc);
  return { focus, spotlight, closedPolls: readClosedPolls(doc), frozen: readMeta(doc).frozen };
}

const same = (a: WorkshopDocState, b: WorkshopDocState) =>
  a.spotlight === b.spotlight &&
  a.frozen === b.frozen &&
  JSON.stringify(a.focus) === JSON.stringify(b.focus) &&
  JSON.stringify(a.closedPolls) === JSON.stringify(b.closedPolls);

class WorkshopDocStore {
  private state: WorkshopDocState;
  private listeners = new Set<() => void>();
  constructor(private readonly doc: Y.Doc) {
    this.state = readWorkshop(doc);
    // Lives as long as the document.
    observeBoard(doc, () => {
      const next = readWorkshop(this.doc);
      if (same(next, this.state)) return;
      this.state = next;
      for (const l of this.listeners) l();
    });
  }
  subscribe = (onChange: () => void) => {
    this.listeners.add(onChange);
    return () => this.listeners.delete(onChange);
  };
  getSnapshot = () => this.state;
}

const docStores = new WeakMap<Y.Doc, WorkshopDocStore>();

/** Presenter focus, spotlight, closed polls and the frozen flag, re-read when they change. */
export function useWorkshopDoc(doc: Y.Doc): WorkshopDocState {
  let store = docStores.get(doc);
  if (!store) {
    store = new WorkshopDocStore(doc);
    docStores.set(doc, store);
  }
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}

/** The moderator is presenting (see the module comment). */
export function isPresenting(focus: PresenterFocus | null): focus is PresenterFocus & {
  scenarioId: string;
} {
  return !!focus && focus.scenarioId !== null;
}

// --- following the presenter (per tab) -----------------------------------------------------------

export interface FollowState {
  /** False once this person navigated on their own while the moderator presents. */
  following: boolean;
}

class FollowStore {
  private state: FollowState = { following: true };
  private listeners = new Set<() => void>();
  subscribe = (onChange: () => void) => {
    this.listeners.add(onChange);
    return () => this.listeners.delete(onChange);
  };
  getSnapshot = () => this.state;
  set(following: boolean): void {
    if (this.state.following === following) return;
    this.state = { following };
    for (const l of this.listeners) l();
  }
}

const followStores = new WeakMap<BoardSession, FollowStore>();

export function followStoreOf(session: BoardSession): FollowStore {
  let store = followStores.get(session);
  if (!store) {
    store = new FollowStore();
    followStores.set(session, store);
  }
  return store;
}

export function useFollow(
  session: BoardSession,
): FollowState & { setFollowing: (f: boolean) => void } {
  const store = followStoreOf(session);
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  return { ...state, setFollowing: (f: boolean) => store.set(f) };
}

/** The element of an assumption row on the board page. */
export function assumptionRow(id: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`[data-testid="assumption-${CSS.escape(id)}"]`);
}

/** Duration presets of the timer, minutes. */
export const TIMER_PRESETS = [2, 5, 10] as const;

const WIDE_QUERY = '(min-width: 640px)';
// One query list for the page: React reads the snapshot on every render of every reader, and
// window.matchMedia builds a new list each call (a lever drag profiled it at 10% of main thread).
let wideQuery: MediaQueryList | null = null;
const wideList = () => (wideQuery ??= window.matchMedia(WIDE_QUERY));
const subscribeWide = (onChange: () => void) => {
  const mql = wideList();
  mql.addEventListener('change', onChange);
  return () => mql.removeEventListener('change', onChange);
};
/** Wider than a phone (Tailwind's `sm`): where the header has room for the timer. */
export function useWideScreen(): boolean {
  return useSyncExternalStore(
    subscribeWide,
    () => wideList().matches,
    () => true,
  );
}
