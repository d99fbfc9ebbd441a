/** Closed polls' results, saved on the board by the server (root `polls`). */
import type * as Y from 'yjs';
import * as v from 'valibot';
import {
  CLOSED_POLL_OPTIONS_MAX,
  CLOSED_POLL_VALUES_MAX,
  ID_MAX,
  KEY_MAX,
  POLL_OPTION_MAX,
  POLL_QUESTION_MAX,
} from './limits';
import { ROOT } from './layout';

/** A poll's result as saved on the board once closed. */
export const closedPollSchema = v.strictObject({
  id: v.pipe(v.string(), v.maxLength(KEY_MAX)),
  kind: v.picklist(['choice', 'value']),
  question: v.pipe(v.string(), v.maxLength(POLL_QUESTION_MAX)),
  /** choice polls: the options and their vote counts. */
  options: v.pipe(
    v.array(
      v.strictObject({
        label: v.pipe(v.string(), v.maxLength(POLL_OPTION_MAX)),
        votes: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
      }),
    ),
    v.maxLength(CLOSED_POLL_OPTIONS_MAX),
  ),
  /** value polls: the assumption asked about and the answers given. */
  assumptionId: v.nullable(v.pipe(v.string(), v.maxLength(ID_MAX))),
  values: v.pipe(v.array(v.pipe(v.number(), v.finite())), v.maxLength(CLOSED_POLL_VALUES_MAX)),
  openedAt: v.pipe(v.number(), v.finite()),
  closedAt: v.pipe(v.number(), v.finite()),
  voters: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  /**
   * Voted anonymously. Every saved poll holds counts (and value answers) only, never who gave
   * them; an anonymous one also keeps no answer order (values sorted) and is labelled so.
   */
  anonymous: v.optional(v.literal(true)),
  /** How many people were on the board when it closed (the "of 30" in "12 of 30 answered"). */
  present: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(0))),
});
export type ClosedPoll = v.InferOutput<typeof closedPollSchema>;

/** Closed polls, newest first. */
export function readClosedPolls(doc: Y.Doc): ClosedPoll[] {
  const out: ClosedPoll[] = [];
  for (const value of doc.getMap<unknown>(ROOT.polls).values()) {
    const poll = v.safeParse(closedPollSchema, value);
    if (poll.success) out.push(poll.output);
  }
  return out.sort((a, b) => b.closedAt - a.closedAt);
}

export function saveClosedPoll(doc: Y.Doc, poll: ClosedPoll): void {
  doc.getMap<unknown>(ROOT.polls).set(poll.id, poll);
}
