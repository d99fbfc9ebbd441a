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
} from '../../lib/protocol';

interface Answer {
  answer: QaAnswer;
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

  get openId(): string | null {
    return this.qa?.id ?? null;
  }

  open(id: string, request: QaOpenRequest, now: number): void {
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
  ): string | null {
    const qa = this.qa;
    if (!qa || qa.id !== qaId) return 'this Q&A is closed';
    const given = qa.given.get(participantId) ?? 0;
    if (given >= QA_ANSWERS_PER_PARTICIPANT)
      return `you have given ${QA_ANSWERS_PER_PARTICIPANT} answers already`;
    if (qa.answers.size + qa.hiddenIds.size >= QA_ANSWERS_MAX) return 'this Q&A is full';
    if (qa.answers.has(answerId) || qa.hiddenIds.has(answerId)) return 'answer already recorded';
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
  upvote(qaId: string, answerId: string, participantId: string, on: boolean): string | null {
    const qa = this.qa;
    if (!qa || qa.id !== qaId) return 'this Q&A is closed';
    const entry = qa.answers.get(answerId);
    if (!entry) return 'that answer is not shown any more';
    if (entry.authorId === participantId) return 'you cannot upvote your own answer';
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
  hide(qaId: string, answerId: string): string | null {
    const qa = this.qa;
    if (!qa || qa.id !== qaId) return 'this Q&A is closed';
    const entry = qa.answers.get(answerId);
    if (!entry) return 'no such answer';
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
    return [...(this.qa?.upvotes.get(participantId) ?? [])];
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
