/**
 * The live-session state of one board that is an event, not document state: the shared timer,
 * the open poll with its votes, raised hands. Pure (clock passed in), so it is tested alone;
 * session.ts wires it to socket.io. A closed poll's result moves into the board document.
 */
import type { ClosedPoll } from '../../lib/board/schema';
import { percentilesInPlace } from '../../lib/model/analysis/quantiles';
import type { Hand, OpenPollRequest, PollState, TimerState } from '../../lib/protocol';

export const DEFAULT_TIMER_MS = 5 * 60_000;

/** How long a raised hand waits for its owner to come back (a reload, a train tunnel). */
export const HAND_GRACE_MS = 60_000;

/**
 * Every change to a session, as data: applied here and, with several instances, replayed on the
 * others (each keeps a replica), so any instance can answer a newcomer's snapshot. Times and ids
 * are chosen by the instance that received the request, so replicas agree.
 */
export type SessionOp =
  | { type: 'timerStart'; now: number; durationMs?: number }
  | { type: 'timerPause'; now: number }
  | { type: 'timerReset'; durationMs?: number }
  | { type: 'pollOpen'; id: string; request: OpenPollRequest; now: number }
  | { type: 'vote'; pollId: string; participantId: string; value: number }
  | { type: 'pollClose'; pollId: string; now: number }
  | { type: 'handRaise'; hand: Hand }
  | { type: 'handLower'; participantId: string };

interface OpenPoll {
  id: string;
  request: OpenPollRequest;
  openedAt: number;
  /** One vote per participant (server-issued id, from the credential), the latest wins. */
  votes: Map<string, number>;
}

export class BoardSession {
  timer: TimerState = {
    durationMs: DEFAULT_TIMER_MS,
    endsAt: null,
    remainingMs: DEFAULT_TIMER_MS,
    running: false,
  };
  private poll: OpenPoll | null = null;
  private hands = new Map<string, Hand>();
  /** Participants with a raised hand and no connection left, and since when. */
  private departed = new Map<string, number>();

  /** Apply an operation (already validated by the instance that received it). */
  apply(op: SessionOp): void {
    switch (op.type) {
      case 'timerStart':
        this.startTimer(op.now, op.durationMs);
        break;
      case 'timerPause':
        this.pauseTimer(op.now);
        break;
      case 'timerReset':
        this.resetTimer(op.durationMs);
        break;
      case 'pollOpen':
        this.openPoll(op.id, op.request, op.now);
        break;
      case 'vote':
        this.poll?.votes.set(op.participantId, op.value);
        break;
      case 'pollClose':
        this.closePoll(op.pollId, op.now);
        break;
      case 'handRaise':
        this.raiseHand(op.hand);
        break;
      case 'handLower':
        this.lowerHand(op.participantId);
        break;
    }
  }

  // Timer ------------------------------------------------------------------------------------
  startTimer(now: number, durationMs?: number): TimerState {
    if (durationMs !== undefined)
      this.timer = { durationMs, endsAt: null, remainingMs: durationMs, running: false };
    const remaining = this.remaining(now);
    this.timer = { ...this.timer, running: true, endsAt: now + remaining, remainingMs: remaining };
    return this.timer;
  }

  pauseTimer(now: number): TimerState {
    this.timer = { ...this.timer, running: false, endsAt: null, remainingMs: this.remaining(now) };
    return this.timer;
  }

  resetTimer(durationMs?: number): TimerState {
    const d = durationMs ?? this.timer.durationMs;
    this.timer = { durationMs: d, endsAt: null, remainingMs: d, running: false };
    return this.timer;
  }

  private remaining(now: number): number {
    if (this.timer.running && this.timer.endsAt !== null)
      return Math.max(0, this.timer.endsAt - now);
    return this.timer.remainingMs;
  }

  // Polls ------------------------------------------------------------------------------------
  openPoll(id: string, request: OpenPollRequest, now: number): void {
    this.poll = { id, request, openedAt: now, votes: new Map() };
  }

  get openPollId(): string | null {
    return this.poll?.id ?? null;
  }

  /** Record a vote; returns an error message if it is not a valid answer. */
  vote(
    pollId: string,
    participantId: string,
    value: number,
    validValue: (v: number) => boolean,
  ): string | null {
    const poll = this.poll;
    if (!poll || poll.id !== pollId) return 'this poll is closed';
    if (poll.request.kind === 'choice') {
      if (!Number.isInteger(value) || value < 0 || value >= poll.request.options.length)
        return 'pick one of the options';
    } else if (!validValue(value)) {
      return 'that value is outside the assumption’s range';
    }
    poll.votes.set(participantId, value);
    return null;
  }

  /**
   * The poll as `participantId` sees it: aggregates plus their own vote only (null: no vote, for
   * internal use), or null if none is open.
   */
  pollState(participantId: string | null): PollState | null {
    const poll = this.poll;
    if (!poll) return null;
    const values = [...poll.votes.values()];
    const req = poll.request;
    return {
      id: poll.id,
      kind: req.kind,
      question: req.question,
      options:
        req.kind === 'choice'
          ? req.options.map((label, i) => ({ label, votes: values.filter((v) => v === i).length }))
          : [],
      assumptionId: req.kind === 'value' ? req.assumptionId : null,
      summary: req.kind === 'value' && values.length > 0 ? summarize(values) : null,
      voters: poll.votes.size,
      openedAt: poll.openedAt,
      myVote: participantId === null ? null : (poll.votes.get(participantId) ?? null),
    };
  }

  /** Close the open poll; returns its result for saving on the board. */
  closePoll(pollId: string, now: number): ClosedPoll | null {
    const poll = this.poll;
    if (!poll || poll.id !== pollId) return null;
    const state = this.pollState(null)!;
    this.poll = null;
    return {
      id: poll.id,
      kind: state.kind,
      question: state.question,
      options: state.options,
      assumptionId: state.assumptionId,
      values: poll.request.kind === 'value' ? [...poll.votes.values()] : [],
      openedAt: poll.openedAt,
      closedAt: now,
      voters: poll.votes.size,
    };
  }

  // Hands ------------------------------------------------------------------------------------
  /** One hand per participant (several tabs raise the same hand). */
  raiseHand(hand: Hand): void {
    if (!this.hands.has(hand.participantId)) this.hands.set(hand.participantId, hand);
  }

  lowerHand(participantId: string): boolean {
    this.departed.delete(participantId);
    return this.hands.delete(participantId);
  }

  /** `participantId` has no connection left (only matters while their hand is up). */
  noteLeft(participantId: string, now: number): void {
    if (this.hands.has(participantId) && !this.departed.has(participantId))
      this.departed.set(participantId, now);
  }

  /** `participantId` is connected again: their hand stays up. */
  noteBack(participantId: string): void {
    this.departed.delete(participantId);
  }

  /** Participants whose hand is up and who have been gone for at least `graceMs` at `now`. */
  handsOfTheGone(now: number, graceMs: number = HAND_GRACE_MS): string[] {
    return [...this.departed]
      .filter(([id, since]) => this.hands.has(id) && now - since >= graceMs)
      .map(([id]) => id);
  }

  handList(): Hand[] {
    return [...this.hands.values()].sort((a, b) => a.raisedAt - b.raisedAt);
  }
}

/** Percentiles of the answers, interpolated as the model's Monte Carlo does (type 7). */
function percentiles(values: readonly number[], ps: readonly number[]): number[] {
  const out = new Float64Array(ps.length);
  percentilesInPlace(Float64Array.from(values), 0, values.length, ps, out);
  return Array.from(out);
}

/** Spread of the answers to a value poll (needs at least one answer). */
export function summarize(values: readonly number[]): NonNullable<PollState['summary']> {
  const [min = 0, p25 = 0, median = 0, p75 = 0, max = 0] = percentiles(
    values,
    [0, 0.25, 0.5, 0.75, 1],
  );
  return { count: values.length, min, p25, median, p75, max };
}

/**
 * The uncertainty band a value poll suggests: the middle 80% of answers (P10-P90), or the full
 * spread when there are fewer than five answers.
 */
export function bandFromAnswers(values: readonly number[]): { low: number; high: number } | null {
  if (values.length === 0) return null;
  const [low = 0, high = 0] = percentiles(values, values.length < 5 ? [0, 1] : [0.1, 0.9]);
  return { low, high };
}
