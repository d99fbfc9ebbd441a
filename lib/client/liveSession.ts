/**
 * The live session as the browser holds it (socket.io): its own external store (timer, poll,
 * hands, Q&A, reactions, clock offset), so a reaction or a vote does not re-render the whole
 * board; what the server sends, applied to that store; the requests a person makes, each
 * answered by an ack (never rejecting); and the clock measured against the server's.
 */
import type { Socket } from 'socket.io-client';
import {
  SocketEvent,
  refusedWith,
  type Ack,
  type AckResult,
  type ClientToServerEvents,
  type OpenPollRequest,
  type QaOpenRequest,
  type ServerToClientEvents,
} from '../protocol';
import { applyHandChanges, applyMyVote, applyQaChanges, applyTally } from './liveView';
import { REACTION_TTL_MS, type LiveSessionState } from './sessionState';

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const REACTIONS_KEPT = 24;
const ACK_TIMEOUT_MS = 8_000;
const NOT_CONNECTED = refusedWith('notConnected');

/** The live-session store for React (`subscribe` / `get`). */
export class LiveStore {
  private listeners = new Set<() => void>();
  private live: LiveSessionState = {
    timer: null,
    poll: null,
    people: 0,
    qa: null,
    qaUpvoted: new Set(),
    hands: [],
    reactions: [],
    clockOffset: 0,
    connected: false,
  };
  private reactionKey = 0;
  private reactionTimer: ReturnType<typeof setTimeout> | null = null;

  subscribe = (onChange: () => void): (() => void) => {
    this.listeners.add(onChange);
    return () => this.listeners.delete(onChange);
  };

  get = (): LiveSessionState => this.live;

  update(patch: Partial<LiveSessionState>): void {
    this.live = { ...this.live, ...patch };
    for (const l of this.listeners) l();
  }

  addReaction(r: { emoji: string; name: string; color: string }): void {
    const now = Date.now();
    const kept = this.live.reactions.filter((x) => now - x.receivedAt < REACTION_TTL_MS);
    kept.push({
      key: ++this.reactionKey,
      emoji: r.emoji,
      name: r.name,
      color: r.color,
      receivedAt: now,
    });
    this.update({ reactions: kept.slice(-REACTIONS_KEPT) });
    if (this.reactionTimer === null) this.scheduleReactionPrune();
  }

  private scheduleReactionPrune(): void {
    this.reactionTimer = setTimeout(() => {
      this.reactionTimer = null;
      const now = Date.now();
      const kept = this.live.reactions.filter((x) => now - x.receivedAt < REACTION_TTL_MS);
      if (kept.length !== this.live.reactions.length) this.update({ reactions: kept });
      if (kept.length > 0) this.scheduleReactionPrune();
    }, 500);
  }

  /** The socket closed for good: no pruning left running, no reactions kept. */
  stop(): void {
    if (this.reactionTimer !== null) clearTimeout(this.reactionTimer);
    this.reactionTimer = null;
    this.update({ connected: false, reactions: [] });
  }
}

/**
 * Keep `store` current from `socket`: the snapshot on (re)connecting, then the server's events
 * and batched changes. Registered after the caller's own handlers of the same events.
 */
export function followLiveSession(
  socket: LiveSocket,
  store: LiveStore,
  isCurrent: () => boolean,
): void {
  socket.on(SocketEvent.snapshot, (snapshot) => {
    store.update({
      timer: snapshot.timer,
      poll: snapshot.poll,
      people: snapshot.people,
      qa: snapshot.qa,
      qaUpvoted: new Set(snapshot.qaUpvoted),
      hands: snapshot.hands,
      // A first estimate (no round-trip correction) until the pings answer.
      ...(store.get().connected ? {} : { clockOffset: snapshot.serverNow - Date.now() }),
      connected: true,
    });
  });
  socket.on(SocketEvent.timerState, (timer) => store.update({ timer }));
  socket.on(SocketEvent.pollState, (poll) => store.update({ poll }));
  socket.on(SocketEvent.qaState, (qa) =>
    store.update(qa?.id === store.get().qa?.id ? { qa } : { qa, qaUpvoted: new Set<string>() }),
  );
  socket.on(SocketEvent.qaMyUpvote, ({ qaId, answerId, on }) => {
    if (qaId !== store.get().qa?.id) return;
    const qaUpvoted = new Set(store.get().qaUpvoted);
    if (on) qaUpvoted.add(answerId);
    else qaUpvoted.delete(answerId);
    store.update({ qaUpvoted });
  });
  socket.on(SocketEvent.myVote, (vote) =>
    store.update({ poll: applyMyVote(store.get().poll, vote) }),
  );
  // The server batches what changed (a few times a second in a big room): apply it to what we hold.
  socket.on(SocketEvent.changes, (changes) => {
    const held = store.get();
    const live: Partial<LiveSessionState> = {};
    if (changes.hands) live.hands = applyHandChanges(held.hands, changes.hands);
    if (changes.tally) live.poll = applyTally(held.poll, changes.tally);
    if (changes.people !== undefined) live.people = changes.people;
    if (changes.qa) live.qa = applyQaChanges(held.qa, changes.qa);
    if (Object.keys(live).length > 0) store.update(live);
    for (const reaction of changes.reactions?.recent ?? []) store.addReaction(reaction);
  });
  socket.on('connect', () => syncClock(socket, isCurrent, store));
  socket.on('disconnect', () => store.update({ connected: false }));
}

/**
 * Measure the server clock: a few pings, keeping the one with the shortest round trip; the
 * server's answer is taken as the time half-way through it.
 */
export function syncClock(socket: LiveSocket, isCurrent: () => boolean, store: LiveStore): void {
  let best = Number.POSITIVE_INFINITY;
  const ping = (left: number) => {
    if (left <= 0 || !isCurrent() || !socket.connected) return;
    const sent = Date.now();
    socket
      .timeout(ACK_TIMEOUT_MS)
      .emit(SocketEvent.timePing, (err: Error | null, serverNow: number) => {
        if (err || typeof serverNow !== 'number' || !Number.isFinite(serverNow)) return;
        const received = Date.now();
        const rtt = received - sent;
        if (rtt < best) {
          best = rtt;
          store.update({ clockOffset: serverNow + rtt / 2 - received });
        }
        ping(left - 1);
      });
  };
  ping(4);
}

/** The requests a person makes in the live session; the session supplies its current socket. */
export abstract class LiveRequests {
  /** The live-session socket now in use (null: none). */
  protected abstract liveSocket(): LiveSocket | null;

  /** Send a live-session request and wait for the server's answer (never rejects). */
  protected request(send: (socket: LiveSocket, ack: Ack) => void): Promise<AckResult> {
    const socket = this.liveSocket();
    if (!socket?.connected) return Promise.resolve(NOT_CONNECTED);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(refusedWith('noAnswer')), ACK_TIMEOUT_MS);
      send(socket, (result) => {
        clearTimeout(timer);
        resolve(result);
      });
    });
  }

  startTimer(durationMs?: number): Promise<AckResult> {
    return this.request((s, ack) =>
      s.emit(SocketEvent.timerStart, durationMs === undefined ? {} : { durationMs }, ack),
    );
  }
  pauseTimer(): Promise<AckResult> {
    return this.request((s, ack) => s.emit(SocketEvent.timerPause, ack));
  }
  resetTimer(durationMs?: number): Promise<AckResult> {
    return this.request((s, ack) =>
      s.emit(SocketEvent.timerReset, durationMs === undefined ? {} : { durationMs }, ack),
    );
  }
  openPoll(poll: OpenPollRequest): Promise<AckResult> {
    return this.request((s, ack) => s.emit(SocketEvent.pollOpen, poll, ack));
  }
  closePoll(pollId: string, applyBand = false): Promise<AckResult> {
    return this.request((s, ack) => s.emit(SocketEvent.pollClose, { pollId, applyBand }, ack));
  }
  vote(pollId: string, value: number): Promise<AckResult> {
    return this.request((s, ack) => s.emit(SocketEvent.pollVote, { pollId, value }, ack));
  }
  raiseHand(): Promise<AckResult> {
    return this.request((s, ack) => s.emit(SocketEvent.handRaise, ack));
  }
  /** Lower one's own hand, or (moderator) someone else's by participant id. */
  lowerHand(participantId?: string): Promise<AckResult> {
    return this.request((s, ack) =>
      s.emit(SocketEvent.handLower, participantId ? { participantId } : {}, ack),
    );
  }
  openQa(request: QaOpenRequest): Promise<AckResult> {
    return this.request((s, ack) => s.emit(SocketEvent.qaOpen, request, ack));
  }
  closeQa(qaId: string): Promise<AckResult> {
    return this.request((s, ack) => s.emit(SocketEvent.qaClose, { qaId }, ack));
  }
  hideQaAnswer(qaId: string, answerId: string): Promise<AckResult> {
    return this.request((s, ack) => s.emit(SocketEvent.qaHide, { qaId, answerId }, ack));
  }
  answerQa(qaId: string, text: string): Promise<AckResult> {
    return this.request((s, ack) => s.emit(SocketEvent.qaAnswer, { qaId, text }, ack));
  }
  upvoteQa(qaId: string, answerId: string, on: boolean): Promise<AckResult> {
    return this.request((s, ack) => s.emit(SocketEvent.qaUpvote, { qaId, answerId, on }, ack));
  }
  react(emoji: string): Promise<AckResult> {
    return this.request((s, ack) => s.emit(SocketEvent.reaction, { emoji }, ack));
  }
}
