/**
 * The open Q&A of one board: an open question, short answers, one upvote per participant per
 * answer. Pure (times and ids passed in), replicated like the rest of `BoardSession` by replaying
 * the same calls on every instance. Every call is O(1); what changed is gathered for the next
 * batch (`takeChanges`, O(answers changed)), so a burst of upvotes costs each participant one
 * message per batch, not one per upvote.
 *
 * Privacy: answers carry the author's name and colour only in a named Q&A; an anonymous one keeps
 * no name at all, and no participant id ever leaves this module (the ids only enforce the rules).
 */
import {
  QA_ANSWERS_MAX,
  QA_ANSWERS_PER_PARTICIPANT,
  qaRanking,
  type QaAnswer,
  type QaChanges,
  type QaOpenRequest,
  type QaState,
  type SessionRefusal,
} from '../../lib/protocol';

import type { StoredQa } from './stored';

/** The key a participant is filed under in a scope (a poll or Q&A id): see BoardSession. */
export type VoterKey = (scope: string, participantId: string) => string;

interface Answer {
  answer: QaAnswer;
  /** The author's key (participant id, or a pseudonym in an anonymous Q&A). */
  authorId: string;
  voters: Set<string>;
}

interface OpenQa {
  id: string;
  question: string;
  anonymous: boolean;
  openedAt: number;
  /** Visible answers by id (a hidden one is deleted: nobody sees it again). */
  answers: Map<string, Answer>;
  hiddenIds: Set<string>;
  /** Answers given per participant (the per-person cap), hidden ones included. */
  given: Map<string, number>;
  /** Answers each participant upvoted, for their own snapshot. */
  upvotes: Map<string, Set<string>>;
  changed: Set<string>;
  hiddenSinceBatch: Set<string>;
}

export class QaBoard {
  private qa: OpenQa | null = null;

  /** `voterKey`: ids in an anonymous Q&A are kept as pseudonyms (see BoardSession). */
  constructor(private readonly voterKey: VoterKey = (_scope, id) => id) {}

  /** The key `participantId` is filed under in `qa`. */
  private keyOf(qa: OpenQa, participantId: string): string {
    return qa.anonymous ? this.voterKey(qa.id, participantId) : participantId;
  }

  get openId(): string | null {
    return this.qa?.id ?? null;
  }

  open(id: string, request: QaOpenRequest, now: number): void {
    if (this.qa?.id === id) return; // replayed on a copy restored after it
    this.qa = {
      id,
      question: request.question,
      anonymous: request.anonymous === true,
      openedAt: now,
      answers: new Map(),
      hiddenIds: new Set(),
      given: new Map(),
      upvotes: new Map(),
      changed: new Set(),
      hiddenSinceBatch: new Set(),
    };
  }

  close(qaId: string): boolean {
    if (this.qa?.id !== qaId) return false;
    this.qa = null;
    return true;
  }

  /** Add an answer (ids chosen by the instance that received it); an error message refuses it. */
  answer(
    qaId: string,
    answerId: string,
    participantId: string,
    author: { name: string; color: string },
    text: string,
    now: number,
  ): SessionRefusal | null {
    const qa = this.qa;
    if (!qa || qa.id !== qaId) return 'qaClosed';
    participantId = this.keyOf(qa, participantId);
    const given = qa.given.get(participantId) ?? 0;
    if (given >= QA_ANSWERS_PER_PARTICIPANT) return 'answersUsedUp';
    if (qa.answers.size + qa.hiddenIds.size >= QA_ANSWERS_MAX) return 'qaFull';
    if (qa.answers.has(answerId) || qa.hiddenIds.has(answerId)) return 'answerRecorded';
    qa.given.set(participantId, given + 1);
    qa.answers.set(answerId, {
      answer: {
        id: answerId,
        text,
        author: qa.anonymous ? null : { name: author.name, color: author.color },
        votes: 0,
        at: now,
      },
      authorId: participantId,
      voters: new Set(),
    });
    qa.changed.add(answerId);
    return null;
  }

  /** Upvote or take it back; idempotent (a second upvote by the same person changes nothing). */
  upvote(
    qaId: string,
    answerId: string,
    participantId: string,
    on: boolean,
  ): SessionRefusal | null {
    const qa = this.qa;
    if (!qa || qa.id !== qaId) return 'qaClosed';
    const entry = qa.answers.get(answerId);
    if (!entry) return 'answerGone';
    participantId = this.keyOf(qa, participantId);
    if (entry.authorId === participantId) return 'ownAnswer';
    const had = entry.voters.has(participantId);
    if (had === on) return null;
    const mine = qa.upvotes.get(participantId) ?? new Set<string>();
    if (on) {
      entry.voters.add(participantId);
      mine.add(answerId);
    } else {
      entry.voters.delete(participantId);
      mine.delete(answerId);
    }
    if (mine.size > 0) qa.upvotes.set(participantId, mine);
    else qa.upvotes.delete(participantId);
    entry.answer = { ...entry.answer, votes: entry.voters.size };
    qa.changed.add(answerId);
    return null;
  }

  /** Hide an answer from everyone (moderator). */
  hide(qaId: string, answerId: string): SessionRefusal | null {
    const qa = this.qa;
    if (!qa || qa.id !== qaId) return 'qaClosed';
    const entry = qa.answers.get(answerId);
    if (!entry) return 'noSuchAnswer';
    qa.answers.delete(answerId);
    qa.hiddenIds.add(answerId);
    qa.changed.delete(answerId);
    qa.hiddenSinceBatch.add(answerId);
    for (const voter of entry.voters) qa.upvotes.get(voter)?.delete(answerId);
    return null;
  }

  /** The open Q&A with its visible answers, top first (for a joiner's snapshot). */
  state(): QaState | null {
    const qa = this.qa;
    if (!qa) return null;
    return {
      id: qa.id,
      question: qa.question,
      anonymous: qa.anonymous,
      openedAt: qa.openedAt,
      answered: qa.given.size,
      answers: [...qa.answers.values()].map((a) => a.answer).sort(qaRanking),
    };
  }

  /** The answers `participantId` upvoted (sent to them only). */
  upvotedBy(participantId: string): string[] {
    const qa = this.qa;
    return qa ? [...(qa.upvotes.get(this.keyOf(qa, participantId)) ?? [])] : [];
  }

  /** The open Q&A as stored (ids as kept: pseudonyms in an anonymous one), or null. */
  toStored(): StoredQa | null {
    const qa = this.qa;
    if (!qa) return null;
    return {
      id: qa.id,
      question: qa.question,
      anonymous: qa.anonymous,
      openedAt: qa.openedAt,
      answers: [...qa.answers.values()].map((a) => ({
        id: a.answer.id,
        text: a.answer.text,
        author: a.answer.author,
        at: a.answer.at,
        authorId: a.authorId,
        voters: [...a.voters],
      })),
      hiddenIds: [...qa.hiddenIds],
      given: [...qa.given],
    };
  }

  /** Take over a stored Q&A (validated); upvotes per participant are rebuilt from the answers. */
  restore(stored: StoredQa): void {
    this.open(stored.id, stored, stored.openedAt);
    const qa = this.qa!;
    for (const a of stored.answers) {
      const author = qa.anonymous ? null : a.author;
      const voters = new Set(a.voters.filter((v) => v !== a.authorId));
      qa.answers.set(a.id, {
        answer: { id: a.id, text: a.text, author, votes: voters.size, at: a.at },
        authorId: a.authorId,
        voters,
      });
      for (const voter of voters) {
        const mine = qa.upvotes.get(voter) ?? new Set<string>();
        qa.upvotes.set(voter, mine.add(a.id));
      }
    }
    for (const id of stored.hiddenIds) qa.hiddenIds.add(id);
    for (const [key, n] of stored.given) qa.given.set(key, n);
  }

  get hasChanges(): boolean {
    return !!this.qa && (this.qa.changed.size > 0 || this.qa.hiddenSinceBatch.size > 0);
  }

  /** What changed since the last call, once. */
  takeChanges(): QaChanges | undefined {
    const qa = this.qa;
    if (!qa || (qa.changed.size === 0 && qa.hiddenSinceBatch.size === 0)) return undefined;
    const upserts: QaAnswer[] = [];
    for (const id of qa.changed) {
      const entry = qa.answers.get(id);
      if (entry) upserts.push(entry.answer);
    }
    const changes = {
      qaId: qa.id,
      answered: qa.given.size,
      upserts,
      hidden: [...qa.hiddenSinceBatch],
    };
    qa.changed.clear();
    qa.hiddenSinceBatch.clear();
    return changes;
  }
}
