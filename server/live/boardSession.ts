/**
 * The live-session state of one board that is an event, not document state: who is connected,
 * the shared timer, the open poll with its votes, raised hands, and what changed since the last
 * batch went out. Pure (clock passed in), so it is tested alone; session.ts wires it to
 * socket.io. A closed poll's result moves into the board document.
 *
 * Cost: every operation is O(1) (a vote updates running counts; a join or a reaction is noted
 * for the next batch). Nothing sent grows with the room: the roster clients get names the
 * moderators and at most `ROSTER_LISTED_MAX` others (the rest are counts), so a joiner's snapshot
 * and a batch stay a few KB whether the room holds 30 people or 3,000.
 */
import type { ClosedPoll } from '../../lib/board/polls';
import { summarizeAnswers } from '../../lib/board/pollBand';
import { QaBoard, type VoterKey } from './qa';
import type { StoredSession } from './stored';
import {
  PARTICIPANT_TALLY_MIN_MS,
  REACTIONS_PER_BATCH,
  ROOM_COUNT_MIN_MS,
  ROSTER_LISTED_MAX,
  pollHidesResults,
  type Hand,
  type OpenPollRequest,
  type PollState,
  type PollTally,
  type QaOpenRequest,
  type Reaction,
  type RosterEntry,
  type SessionChanges,
  type SessionRefusal,
  type TimerState,
} from '../../lib/protocol';

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
  | { type: 'handLower'; participantId: string }
  | { type: 'join'; entry: RosterEntry }
  | { type: 'leave'; connectionId: string }
  | { type: 'rename'; connectionId: string; name: string; color: string }
  | { type: 'reaction'; reaction: Reaction }
  | { type: 'qaOpen'; id: string; request: QaOpenRequest; now: number }
  | { type: 'qaClose'; qaId: string }
  | {
      type: 'qaAnswer';
      qaId: string;
      answerId: string;
      participantId: string;
      author: { name: string; color: string };
      text: string;
      now: number;
    }
  | { type: 'qaUpvote'; qaId: string; answerId: string; participantId: string; on: boolean }
  | { type: 'qaHide'; qaId: string; answerId: string };

interface OpenPoll {
  id: string;
  request: OpenPollRequest;
  openedAt: number;
  hidden: boolean;
  /** One vote per participant (server-issued id, from the credential), the latest wins. */
  votes: Map<string, number>;
  /** Choice polls: running count per option, so a vote costs O(1). */
  counts: number[];
  /** Value polls: the summary, computed once per change at most (null: stale). */
  summary: PollState['summary'] | undefined;
}

/** One batch for the room: the same changes for all, the poll counts per audience. */
export interface SessionBatch {
  /** For participants (no counts while hidden); null if nothing to send them. */
  participants: SessionChanges | null;
  /** For moderators, always with the exact counts; null if nothing to send. */
  moderators: SessionChanges | null;
}

export class BoardSession {
  /**
   * Who a vote is filed under: the participant id, or in an anonymous poll (and Q&A) a keyed
   * pseudonym of it, so a stored copy (`toStored`) names nobody yet still refuses a second vote.
   */
  private readonly voterKey: VoterKey;

  constructor(options: { voterKey?: VoterKey } = {}) {
    this.voterKey = options.voterKey ?? ((_scope, participantId) => participantId);
    this.qa = new QaBoard(this.voterKey);
  }

  timer: TimerState = {
    durationMs: DEFAULT_TIMER_MS,
    endsAt: null,
    remainingMs: DEFAULT_TIMER_MS,
    running: false,
  };
  private poll: OpenPoll | null = null;
  /** The open Q&A (answers, upvotes), replicated by the same operations. */
  readonly qa: QaBoard;
  private hands = new Map<string, Hand>();
  /** Participants with a raised hand and no connection left, and since when. */
  private departed = new Map<string, number>();
  /** Every connection on the board (all instances), by connection id, in joining order. */
  private roster = new Map<string, RosterEntry>();
  /**
   * The connections clients are told about (the listed roster), by connection id: every
   * moderator's, and the oldest `ROSTER_LISTED_MAX` others. Each instance lists from its own
   * replica, so in a large room two instances may name a different few; the counts agree.
   */
  private listed = new Set<string>();
  /** Non-moderator connections in `listed`. */
  private listedOthers = 0;
  /** Open connections per participant id (several tabs, several instances). */
  private connections = new Map<string, number>();

  // What changed since the last batch (see takeChanges).
  private joined = new Map<string, RosterEntry>();
  private left = new Set<string>();
  /** The room's counts (connections, people) changed since they last went out, and when that was. */
  private countsChanged = false;
  private lastCounts = Number.NEGATIVE_INFINITY;
  private raised = new Map<string, Hand>();
  private lowered = new Set<string>();
  private reactionCounts = new Map<string, number>();
  private recentReactions: Reaction[] = [];
  private tallyForModerators = false;
  private tallyForParticipants = false;
  private lastParticipantTally = Number.NEGATIVE_INFINITY;

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
        if (this.poll?.id === op.pollId) this.record(this.poll, op.participantId, op.value);
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
      case 'join':
        this.join(op.entry);
        break;
      case 'leave':
        this.leave(op.connectionId);
        break;
      case 'rename':
        this.rename(op.connectionId, op.name, op.color);
        break;
      case 'reaction':
        this.react(op.reaction);
        break;
      case 'qaOpen':
        this.qa.open(op.id, op.request, op.now);
        break;
      case 'qaClose':
        this.qa.close(op.qaId);
        break;
      case 'qaAnswer':
        this.qa.answer(op.qaId, op.answerId, op.participantId, op.author, op.text, op.now);
        break;
      case 'qaUpvote':
        this.qa.upvote(op.qaId, op.answerId, op.participantId, op.on);
        break;
      case 'qaHide':
        this.qa.hide(op.qaId, op.answerId);
        break;
    }
  }

  // Roster -----------------------------------------------------------------------------------
  join(entry: RosterEntry): void {
    if (this.roster.has(entry.connectionId)) return;
    this.roster.set(entry.connectionId, entry);
    this.connections.set(entry.id, (this.connections.get(entry.id) ?? 0) + 1);
    this.countsChanged = true;
    if (entry.role === 'moderator' || this.listedOthers < ROSTER_LISTED_MAX) this.list(entry);
  }

  leave(connectionId: string): void {
    const entry = this.roster.get(connectionId);
    if (!entry) return;
    this.roster.delete(connectionId);
    const n = (this.connections.get(entry.id) ?? 1) - 1;
    if (n > 0) this.connections.set(entry.id, n);
    else this.connections.delete(entry.id);
    this.countsChanged = true;
    if (!this.listed.delete(connectionId)) return; // nobody was told about it
    // Sent even if it joined in this same batch: someone's snapshot may already hold it.
    this.joined.delete(connectionId);
    this.left.add(connectionId);
    if (entry.role === 'moderator') return;
    this.listedOthers--;
    // The oldest unlisted connection takes the place. The roster is in joining order and the
    // listed others are its oldest, so this passes at most those (and moderators) first.
    for (const next of this.roster.values()) {
      if (next.role === 'moderator' || this.listed.has(next.connectionId)) continue;
      this.list(next);
      return;
    }
  }

  private list(entry: RosterEntry): void {
    if (entry.role !== 'moderator') this.listedOthers++;
    this.listed.add(entry.connectionId);
    this.left.delete(entry.connectionId);
    this.joined.set(entry.connectionId, entry);
  }

  rename(connectionId: string, name: string, color: string): void {
    const entry = this.roster.get(connectionId);
    if (!entry) return;
    const renamed = { ...entry, name, color };
    this.roster.set(connectionId, renamed); // keeps its place in joining order
    if (this.listed.has(connectionId)) this.joined.set(connectionId, renamed);
  }

  /** Every connection, oldest first (a peer instance's replica needs them all). */
  rosterList(): RosterEntry[] {
    return [...this.roster.values()].sort((a, b) => a.joinedAt - b.joinedAt);
  }

  /** The roster clients get: moderators and the oldest few others, oldest first. */
  listedRoster(): RosterEntry[] {
    return [...this.listed]
      .map((id) => this.roster.get(id)!)
      .sort((a, b) => a.joinedAt - b.joinedAt);
  }

  /** Connections on the board (all instances). */
  get rosterSize(): number {
    return this.roster.size;
  }

  /** Distinct participants connected (any role, all instances): the "of 30" of a response count. */
  get people(): number {
    return this.connections.size;
  }

  /** Has this participant any connection on the board (any instance)? */
  isPresent(participantId: string): boolean {
    return this.connections.has(participantId);
  }

  // Reactions --------------------------------------------------------------------------------
  react(reaction: Reaction): void {
    this.reactionCounts.set(reaction.emoji, (this.reactionCounts.get(reaction.emoji) ?? 0) + 1);
    this.recentReactions.push(reaction);
    if (this.recentReactions.length > REACTIONS_PER_BATCH * 2)
      this.recentReactions.splice(0, REACTIONS_PER_BATCH);
  }

  // Batches ----------------------------------------------------------------------------------
  /** Whether anything waits for the next batch. */
  get hasChanges(): boolean {
    return (
      this.joined.size > 0 ||
      this.left.size > 0 ||
      this.countsChanged ||
      this.raised.size > 0 ||
      this.lowered.size > 0 ||
      this.reactionCounts.size > 0 ||
      this.tallyForModerators ||
      this.tallyForParticipants ||
      this.qa.hasChanges
    );
  }

  /**
   * Everything that changed since the last call, once, and forget it. Participants' poll
   * counts are held back until `PARTICIPANT_TALLY_MIN_MS` after the last ones they got, and the
   * room's counts, when nobody listed came or went, until `ROOM_COUNT_MIN_MS` (both stay
   * pending: `hasChanges` remains true).
   */
  takeChanges(now: number): SessionBatch {
    const shared: SessionChanges = {};
    const listedChanged = this.joined.size > 0 || this.left.size > 0;
    if (listedChanged) {
      shared.roster = { joined: [...this.joined.values()], left: [...this.left] };
      this.joined.clear();
      this.left.clear();
    }
    // Counts alone wait for ROOM_COUNT_MIN_MS (they stay pending: `hasChanges` remains true).
    if (this.countsChanged && (listedChanged || now - this.lastCounts >= ROOM_COUNT_MIN_MS)) {
      shared.present = this.roster.size;
      shared.people = this.connections.size;
      this.countsChanged = false;
      this.lastCounts = now;
    }
    if (this.raised.size > 0 || this.lowered.size > 0) {
      shared.hands = { raised: [...this.raised.values()], lowered: [...this.lowered] };
      this.raised.clear();
      this.lowered.clear();
    }
    if (this.reactionCounts.size > 0) {
      shared.reactions = {
        counts: Object.fromEntries(this.reactionCounts),
        recent: this.recentReactions.slice(-REACTIONS_PER_BATCH),
      };
      this.reactionCounts.clear();
      this.recentReactions = [];
    }
    const qa = this.qa.takeChanges();
    if (qa) shared.qa = qa;
    const nothingShared = Object.keys(shared).length === 0;
    let moderators: SessionChanges | null = nothingShared ? null : shared;
    let participants: SessionChanges | null = moderators;
    const poll = this.poll;
    if (poll && this.tallyForModerators) {
      moderators = { ...shared, tally: this.tally(poll, false) };
      this.tallyForModerators = false;
    }
    if (
      poll &&
      this.tallyForParticipants &&
      now - this.lastParticipantTally >= PARTICIPANT_TALLY_MIN_MS
    ) {
      participants = { ...shared, tally: this.tally(poll, poll.hidden) };
      this.tallyForParticipants = false;
      this.lastParticipantTally = now;
    }
    if (!poll) this.tallyForModerators = this.tallyForParticipants = false;
    return { participants, moderators };
  }

  private tally(poll: OpenPoll, hidden: boolean): PollTally {
    return {
      pollId: poll.id,
      votes: hidden || poll.request.kind !== 'choice' ? null : [...poll.counts],
      summary: hidden ? null : this.summaryOf(poll),
      voters: poll.votes.size,
    };
  }

  private summaryOf(poll: OpenPoll): PollState['summary'] {
    if (poll.request.kind !== 'value' || poll.votes.size === 0) return null;
    if (poll.summary === undefined) poll.summary = summarizeAnswers([...poll.votes.values()]);
    return poll.summary;
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
    // Replayed on a copy restored after it (a replica loading while the poll opened): keep votes.
    if (this.poll?.id === id) return;
    this.poll = {
      id,
      request,
      openedAt: now,
      hidden: pollHidesResults(request),
      votes: new Map(),
      counts: request.kind === 'choice' ? request.options.map(() => 0) : [],
      summary: undefined,
    };
    this.tallyForModerators = this.tallyForParticipants = false;
  }

  get openPollId(): string | null {
    return this.poll?.id ?? null;
  }

  /** The open poll's request (what kind, which assumption), without counting anything. */
  get openPollRequest(): OpenPollRequest | null {
    return this.poll?.request ?? null;
  }

  /** A participant's recorded answer to the open poll (null: none). */
  voteOf(participantId: string): number | null {
    const poll = this.poll;
    return poll ? (poll.votes.get(this.keyOf(poll, participantId)) ?? null) : null;
  }

  /** The key a participant's vote is filed under in `poll` (a pseudonym if it is anonymous). */
  private keyOf(poll: OpenPoll, participantId: string): string {
    return poll.request.anonymous === true ? this.voterKey(poll.id, participantId) : participantId;
  }

  /** Count a vote in O(1): replace the participant's previous one, mark the counts as changed. */
  private record(poll: OpenPoll, participantId: string, value: number): void {
    const key = this.keyOf(poll, participantId);
    const previous = poll.votes.get(key);
    if (poll.request.kind === 'choice') {
      if (previous !== undefined) poll.counts[previous]!--;
      poll.counts[value]!++;
    }
    poll.votes.set(key, value);
    poll.summary = undefined;
    this.tallyForModerators = this.tallyForParticipants = true;
  }

  /** Record a vote; returns why not if it is not a valid answer. */
  vote(
    pollId: string,
    participantId: string,
    value: number,
    validValue: (v: number) => boolean,
  ): SessionRefusal | null {
    const poll = this.poll;
    if (!poll || poll.id !== pollId) return 'pollClosed';
    if (poll.request.kind === 'choice') {
      if (!Number.isInteger(value) || value < 0 || value >= poll.request.options.length)
        return 'pickAnOption';
    } else if (!validValue(value)) {
      return 'outsideRange';
    }
    this.record(poll, participantId, value);
    return null;
  }

  /**
   * The poll as `participantId` sees it: aggregates plus their own vote only (null: no vote, for
   * internal use), or null if none is open. A participant (not a moderator) of a poll whose
   * results are hidden sees only how many answered.
   */
  pollState(
    participantId: string | null,
    audience: 'moderator' | 'participant' = 'moderator',
  ): PollState | null {
    const poll = this.poll;
    if (!poll) return null;
    const req = poll.request;
    const withheld = poll.hidden && audience === 'participant';
    return {
      id: poll.id,
      kind: req.kind,
      question: req.question,
      resultsHidden: poll.hidden,
      anonymous: poll.request.anonymous === true,
      options:
        req.kind === 'choice'
          ? req.options.map((label, i) => ({ label, votes: withheld ? 0 : poll.counts[i]! }))
          : [],
      assumptionId: req.kind === 'value' ? req.assumptionId : null,
      summary: withheld ? null : this.summaryOf(poll),
      voters: poll.votes.size,
      openedAt: poll.openedAt,
      myVote:
        participantId === null ? null : (poll.votes.get(this.keyOf(poll, participantId)) ?? null),
    };
  }

  /** Close the open poll; returns its result for saving on the board. */
  closePoll(pollId: string, now: number): ClosedPoll | null {
    const poll = this.poll;
    if (!poll || poll.id !== pollId) return null;
    const state = this.pollState(null)!;
    this.poll = null;
    const values = poll.request.kind === 'value' ? [...poll.votes.values()] : [];
    // Counts and answers only; anonymous: not even the order people answered in.
    if (state.anonymous) values.sort((a, b) => a - b);
    return {
      id: poll.id,
      kind: state.kind,
      question: state.question,
      options: state.options,
      assumptionId: state.assumptionId,
      values,
      openedAt: poll.openedAt,
      closedAt: now,
      voters: poll.votes.size,
      present: this.connections.size,
      ...(state.anonymous ? { anonymous: true as const } : {}),
    };
  }

  // Hands ------------------------------------------------------------------------------------
  /** One hand per participant (several tabs raise the same hand). */
  raiseHand(hand: Hand): void {
    if (this.hands.has(hand.participantId)) return;
    this.hands.set(hand.participantId, hand);
    this.lowered.delete(hand.participantId);
    this.raised.set(hand.participantId, hand);
  }

  lowerHand(participantId: string): boolean {
    this.departed.delete(participantId);
    if (!this.hands.delete(participantId)) return false;
    this.raised.delete(participantId);
    this.lowered.add(participantId);
    return true;
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

  // Durable copy ------------------------------------------------------------------------------
  /**
   * Nothing worth keeping: the timer as after a reset to the default, no poll, no hand, no Q&A
   * (its stored copy is deleted).
   */
  get isIdle(): boolean {
    const t = this.timer;
    return (
      !this.poll &&
      this.hands.size === 0 &&
      !this.qa.openId &&
      !t.running &&
      t.durationMs === DEFAULT_TIMER_MS &&
      t.remainingMs === DEFAULT_TIMER_MS
    );
  }

  /**
   * What must outlive the process (`live/durable.ts`): timer (its end is wall-clock time, so a
   * restart does not extend it), the open poll with its votes (keyed by pseudonym when anonymous),
   * hands and since when their owners are gone, the open Q&A. Not the roster: connections do not
   * survive a restart; nor reactions, which are shown once and gone.
   */
  toStored(now: number): StoredSession {
    const poll = this.poll;
    return {
      v: 1,
      savedAt: now,
      timer: { ...this.timer },
      poll: poll
        ? {
            id: poll.id,
            request: poll.request,
            openedAt: poll.openedAt,
            votes: [...poll.votes],
          }
        : null,
      hands: this.handList(),
      departed: [...this.departed],
      qa: this.qa.toStored(),
    };
  }

  /**
   * Take over a stored copy (validated by `storedSessionSchema`) in a session that has not been
   * used yet. Hands come back without an owner present: `departed` says since when each owner is
   * gone (a stored time, or the caller decides), for the grace rule.
   */
  restore(stored: StoredSession): void {
    this.timer = { ...stored.timer };
    const p = stored.poll;
    if (p) {
      this.openPoll(p.id, p.request, p.openedAt);
      const poll = this.poll!;
      for (const [key, value] of p.votes) {
        if (p.request.kind === 'choice') {
          if (!Number.isInteger(value) || value < 0 || value >= p.request.options.length) continue;
          poll.counts[value]!++;
        }
        poll.votes.set(key, value);
      }
    }
    for (const hand of stored.hands) this.hands.set(hand.participantId, hand);
    for (const [participantId, since] of stored.departed)
      if (this.hands.has(participantId)) this.departed.set(participantId, since);
    if (stored.qa) this.qa.restore(stored.qa);
  }

  /**
   * The whole replica for a peer instance creating this board's session: what is stored, plus
   * the roster (connections on every instance), which a stored copy cannot hold.
   */
  toReplica(now: number): { stored: StoredSession; roster: RosterEntry[] } {
    return { stored: this.toStored(now), roster: this.rosterList() };
  }

  /** Since when `participantId` (with a raised hand) has been gone, if known. */
  goneSince(participantId: string): number | undefined {
    return this.departed.get(participantId);
  }
}
