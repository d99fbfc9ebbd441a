/**
 * React bindings for a BoardSession and the board document it syncs.
 */
import { startTransition, useEffect, useState, useSyncExternalStore } from 'react';
import equal from 'fast-deep-equal/es6';
import type * as Y from 'yjs';
import { observeBoard } from '../board/layout';
import { readBoard, type BoardState } from '../board/boardState';
import { readLocks, type Lock } from '../board/locks';
import type { AssumptionId } from '../model';
import type { Participant } from '../protocol';
import { BoardSession, type BoardSessionState } from './boardSession';

/** A board document holds a board once it has at least one scenario. */
const hasBoard = (doc: Y.Doc) => readBoard(doc).scenarios.length > 0;

/**
 * Open a board's live session for the lifetime of the calling component (one per board id: key
 * the component by board id). Once `identity` is known, the server issues a participant
 * credential for it and both connections present it (the live session opens then).
 */
export function useBoardSession(
  boardId: string,
  access: { token: string | null },
  identity: Participant | null,
): { session: BoardSession; snapshot: BoardSessionState } {
  // Constructing the session has no side effects; start() in the effect opens the connections.
  // The session keeps the access it was created with: key the component by board and token.
  const [session] = useState(() => new BoardSession(boardId, access, hasBoard));
  useEffect(() => {
    session.start();
    return () => session.stop();
  }, [session]);
  useEffect(() => {
    if (identity) session.setIdentity(identity);
  }, [session, identity]);
  const snapshot = useSyncExternalStore(
    session.subscribe,
    session.getSnapshot,
    session.getSnapshot,
  );
  return { session, snapshot };
}

/**
 * Snapshot store over one document. One document listener marks the snapshot stale; the board is
 * re-read lazily, at most once per change however many components read it.
 */
class BoardStateStore {
  private state: BoardSnapshot | null = null;
  private listeners = new Set<() => void>();
  constructor(private readonly doc: Y.Doc) {
    // Lives as long as the document (the session owns both).
    observeBoard(doc, () => {
      this.state = null;
      for (const l of this.listeners) l();
    });
  }
  subscribe = (onChange: () => void) => {
    this.listeners.add(onChange);
    return () => this.listeners.delete(onChange);
  };
  getSnapshot = (): BoardSnapshot => {
    if (this.state) return this.state;
    // Locks change seldom: keep the same object while they are equal, so what depends on them
    // (the board context, every row's tools) does not re-render on each edit.
    const locks = readLocks(this.doc);
    const previous = this.lastLocks;
    this.lastLocks = previous && equal(previous, locks) ? previous : locks;
    return (this.state = { board: readBoard(this.doc), locks: this.lastLocks });
  };
  private lastLocks: BoardSnapshot['locks'] | null = null;
}

const stores = new WeakMap<Y.Doc, BoardStateStore>();

/** Everything the board view reads from the document, as plain data. */
export interface BoardSnapshot {
  board: BoardState;
  /** Assumptions a moderator has locked (for everyone else). */
  locks: Partial<Record<AssumptionId, Lock>>;
}

/**
 * The board as plain data, re-read whenever the document changes (local or remote edits).
 *
 * A change re-renders the board in a transition, not synchronously (as useSyncExternalStore
 * would): a lever drag writes on every pointer move, and a synchronous render of the whole board
 * inside each input event made 150-200 ms tasks on a phone profile (bench/phone.ts). In a
 * transition React renders in slices between frames and skips to the newest document. Inputs
 * that must follow the hand at once keep their own state while they move (AssumptionRow).
 */
export function useBoardState(doc: Y.Doc): BoardSnapshot {
  let store = stores.get(doc);
  if (!store) {
    store = new BoardStateStore(doc);
    stores.set(doc, store);
  }
  const [snapshot, setSnapshot] = useState(store.getSnapshot);
  useEffect(() => {
    // The board's first arrival replaces the skeleton at once. Later changes render in a
    // transition (interruptible, so a slider drag stays ahead of re-renders); as one, the first
    // would wait behind every socket message that arrives meanwhile (bench/phone.ts, first chart).
    let arrived = store.getSnapshot().board.scenarios.length > 0;
    // The updater reads the document when React renders, not in the input event.
    const refresh = () => {
      if (arrived) return startTransition(() => setSnapshot(store.getSnapshot));
      arrived = store.getSnapshot().board.scenarios.length > 0;
      setSnapshot(store.getSnapshot);
    };
    refresh(); // a change between the first render and this subscription
    const unsubscribe = store.subscribe(refresh);
    return () => void unsubscribe();
  }, [store]);
  return snapshot;
}
