/**
 * The write rule for comments (validate.ts): anyone who may edit adds comments signed with their
 * own server-known identity; anyone may resolve or reopen a thread; only the author or a
 * moderator edits or removes one.
 */
import * as v from 'valibot';
import type * as Y from 'yjs';
import { isAssumptionId } from '../model';
import { COMMENTS_MAX, COMMENT_MAX, RECORD_ID_PATTERN } from './limits';
import { ROOT } from './layout';
import { commentSchema, type Comment } from './comments';
import { isPlainValue, sameValue } from './plainValue';
import { ABSENT, type Actor, type Refusal } from './refusal';

export function checkComment(
  key: string,
  before: unknown,
  after: unknown,
  actor: Actor,
  probe: Y.Doc,
  truth: Y.Doc,
  invalid: (message: string) => Refusal,
): Refusal | null {
  const privileged = actor.role === 'moderator' || actor.role === 'server';
  const prior = parseComment(before);
  const isAuthor = (c: Comment) =>
    actor.participant !== null && c.by.id !== undefined && c.by.id === actor.participant.id;
  const notYours: Refusal = {
    kind: 'forbidden',
    path: `comments.${key}`,
    message: "Only the comment's author or the moderator can change it.",
  };
  if (after === ABSENT) return prior && (privileged || isAuthor(prior)) ? null : notYours;
  const comment = parseComment(after);
  if (!comment || comment.id !== key || !RECORD_ID_PATTERN.test(key))
    return invalid(`must be a comment (text up to ${COMMENT_MAX} characters)`);
  if (!prior) {
    if (
      actor.role !== 'server' &&
      (actor.participant === null ||
        comment.by.id !== actor.participant.id ||
        comment.by.name !== actor.participant.name)
    )
      return {
        kind: 'forbidden',
        path: `comments.${key}`,
        message: 'A comment must be signed by its writer.',
      };
    if (
      probe.getMap(ROOT.comments).size > COMMENTS_MAX &&
      probe.getMap(ROOT.comments).size > truth.getMap(ROOT.comments).size
    )
      return {
        kind: 'limit',
        path: `comments.${key}`,
        message: `A board can hold at most ${COMMENTS_MAX} comments.`,
      };
    if (comment.parentId !== null) {
      const parent = parseComment(probe.getMap(ROOT.comments).get(comment.parentId));
      if (!parent || parent.parentId !== null) return invalid('replies must answer a thread');
    }
    return checkCommentTarget(comment, probe, invalid);
  }
  // A change to an existing comment: who wrote it, when and about what never changes.
  if (
    !sameValue(prior.by, comment.by) ||
    prior.at !== comment.at ||
    prior.parentId !== comment.parentId ||
    !sameValue(prior.target, comment.target)
  )
    return invalid("a comment's author, time and subject cannot change");
  if (prior.text !== comment.text && !privileged && !isAuthor(prior)) return notYours;
  return null;
}

function checkCommentTarget(
  comment: Comment,
  probe: Y.Doc,
  invalid: (message: string) => Refusal,
): Refusal | null {
  const { kind, id } = comment.target;
  if (kind === 'assumption') return isAssumptionId(id) ? null : invalid('unknown assumption');
  return probe.getMap(ROOT.scenarios).has(id) ? null : invalid('unknown scenario');
}

function parseComment(value: unknown): Comment | null {
  if (value === ABSENT || !isPlainValue(value)) return null;
  const parsed = v.safeParse(commentSchema, value);
  return parsed.success ? parsed.output : null;
}
