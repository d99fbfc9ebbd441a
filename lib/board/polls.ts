/** Closed polls' results, saved on the board by the server (root `polls`). */
import type * as Y from 'yjs';
import * as z from 'zod/mini';
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
export const closedPollSchema = z.strictObject({
  id: z.string().check(z.maxLength(KEY_MAX)),
  kind: z.enum(['choice', 'value']),
  question: z.string().check(z.maxLength(POLL_QUESTION_MAX)),
  /** choice polls: the options and their vote counts. */
  options: z
    .array(
      z.strictObject({
        label: z.string().check(z.maxLength(POLL_OPTION_MAX)),
        votes: z.number().check(z.int(), z.nonnegative()),
      }),
    )
    .check(z.maxLength(CLOSED_POLL_OPTIONS_MAX)),
  /** value polls: the assumption asked about and the answers given. */
  assumptionId: z.nullable(z.string().check(z.maxLength(ID_MAX))),
  values: z.array(z.number()).check(z.maxLength(CLOSED_POLL_VALUES_MAX)),
  openedAt: z.number(),
  closedAt: z.number(),
  voters: z.number().check(z.int(), z.nonnegative()),
  /**
   * Voted anonymously. Every saved poll holds counts (and value answers) only, never who gave
   * them; an anonymous one also keeps no answer order (values sorted) and is labelled so.
   */
  anonymous: z.optional(z.literal(true)),
  /** How many people were on the board when it closed (the "of 30" in "12 of 30 answered"). */
  present: z.optional(z.number().check(z.int(), z.nonnegative())),
});
export type ClosedPoll = z.infer<typeof closedPollSchema>;

/** Closed polls, newest first. */
export function readClosedPolls(doc: Y.Doc): ClosedPoll[] {
  const out: ClosedPoll[] = [];
  for (const value of doc.getMap<unknown>(ROOT.polls).values()) {
    const poll = closedPollSchema.safeParse(value);
    if (poll.success) out.push(poll.data);
  }
  return out.sort((a, b) => b.closedAt - a.closedAt);
}

export function saveClosedPoll(doc: Y.Doc, poll: ClosedPoll): void {
  doc.getMap<unknown>(ROOT.polls).set(poll.id, poll);
}
