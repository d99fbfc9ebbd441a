/**
 * The live session as one client holds it: the snapshot it got on connecting, kept current by
 * the server's batched `session:changes`, `poll:state` and `poll:myVote`. Pure functions (used by
 * the browser's `BoardSession`) and a small `LiveView` that applies them in order (used by tests
 * and the bench's simulated participants).
 */
import {
  qaRanking,
  type Hand,
  type PollState,
  type PollTally,
  type QaChanges,
  type QaState,
  type RosterEntry,
  type SessionChanges,
  type SessionSnapshot,
} from '../protocol';

/** Upsert `joined` by connection id, then drop `left`; oldest first, as the snapshot is. */
export function applyRosterChanges(
  roster: readonly RosterEntry[],
  changes: NonNullable<SessionChanges['roster']>,
): RosterEntry[] {
  const byConnection = new Map(roster.map((e) => [e.connectionId, e]));
  for (const e of changes.joined) byConnection.set(e.connectionId, e);
  for (const id of changes.left) byConnection.delete(id);
  return [...byConnection.values()].sort((a, b) => a.joinedAt - b.joinedAt);
}

/** Upsert `raised` by participant id, then drop `lowered`; in raising order. */
export function applyHandChanges(
  hands: readonly Hand[],
  changes: NonNullable<SessionChanges['hands']>,
): Hand[] {
  const byParticipant = new Map(hands.map((h) => [h.participantId, h]));
  for (const h of changes.raised) byParticipant.set(h.participantId, h);
  for (const id of changes.lowered) byParticipant.delete(id);
  return [...byParticipant.values()].sort((a, b) => a.raisedAt - b.raisedAt);
}

/** New counts for the poll shown (a tally of another poll is ignored). */
export function applyTally(poll: PollState | null, tally: PollTally): PollState | null {
  if (!poll || poll.id !== tally.pollId) return poll;
  const { votes } = tally;
  return {
    ...poll,
    voters: tally.voters,
    options: votes ? poll.options.map((o, i) => ({ ...o, votes: votes[i] ?? 0 })) : poll.options,
    summary: tally.summary ?? poll.summary,
  };
}

/** This participant's own answer, as the server recorded it. */
export function applyMyVote(
  poll: PollState | null,
  vote: { pollId: string; value: number },
): PollState | null {
  return poll && poll.id === vote.pollId ? { ...poll, myVote: vote.value } : poll;
}

/** New and re-counted answers upserted by id, hidden ones dropped; top answers first. */
export function applyQaChanges(qa: QaState | null, changes: QaChanges): QaState | null {
  if (!qa || qa.id !== changes.qaId) return qa;
  const byId = new Map(qa.answers.map((a) => [a.id, a]));
  for (const a of changes.upserts) byId.set(a.id, a);
  for (const id of changes.hidden) byId.delete(id);
  return { ...qa, answered: changes.answered, answers: [...byId.values()].sort(qaRanking) };
}

/** A client's whole live state, for tests and simulated participants. */
export class LiveView {
  /** The listed roster (moderators and the oldest few others: `ROSTER_LISTED_MAX`). */
  roster: RosterEntry[] = [];
  hands: Hand[] = [];
  poll: PollState | null = null;
  /** Reactions received (each batch's counts summed), by emoji. */
  reactionCounts = new Map<string, number>();
  /** How many connections the server last said the board has. */
  present = 0;
  /** Distinct participants on the board. */
  people = 0;
  qa: QaState | null = null;
  /** Answers this participant upvoted. */
  qaUpvoted = new Set<string>();

  snapshot(s: SessionSnapshot): void {
    this.roster = s.roster;
    this.hands = s.hands;
    this.poll = s.poll;
    this.present = s.present;
    this.people = s.people;
    this.qa = s.qa;
    this.qaUpvoted = new Set(s.qaUpvoted);
  }

  changes(c: SessionChanges): void {
    if (c.roster) this.roster = applyRosterChanges(this.roster, c.roster);
    if (c.present !== undefined) this.present = c.present;
    if (c.people !== undefined) this.people = c.people;
    if (c.qa) this.qa = applyQaChanges(this.qa, c.qa);
    if (c.hands) this.hands = applyHandChanges(this.hands, c.hands);
    if (c.tally) this.poll = applyTally(this.poll, c.tally);
    for (const [emoji, n] of Object.entries(c.reactions?.counts ?? {}))
      this.reactionCounts.set(emoji, (this.reactionCounts.get(emoji) ?? 0) + (n ?? 0));
  }

  pollState(p: PollState | null): void {
    this.poll = p;
  }

  myVote(v: { pollId: string; value: number }): void {
    this.poll = applyMyVote(this.poll, v);
  }

  qaState(qa: QaState | null): void {
    if (qa?.id !== this.qa?.id) this.qaUpvoted = new Set();
    this.qa = qa;
  }

  myUpvote(u: { qaId: string; answerId: string; on: boolean }): void {
    if (u.qaId !== this.qa?.id) return;
    if (u.on) this.qaUpvoted.add(u.answerId);
    else this.qaUpvoted.delete(u.answerId);
  }
}
