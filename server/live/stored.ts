/**
 * The stored copy of a board's live session (`live/durable.ts` writes it to Redis or storage,
 * `BoardSession.toStored` / `restore` make and take it). Checked on the way back in with the
 * protocol's own schemas: a copy that does not parse is logged and ignored, never trusted.
 */
import * as z from 'zod/mini';
import {
  QA_ANSWERS_MAX,
  QA_ANSWERS_PER_PARTICIPANT,
  openPollSchema,
  participantSchema,
  qaAnswerSchema,
  qaOpenSchema,
} from '../../lib/protocol';
import { ID_MAX } from '../../lib/board/limits';

/** Participant ids, or the pseudonyms anonymous polls and Q&As file them under. */
const keySchema = z.string().check(z.minLength(1), z.maxLength(ID_MAX));
const idSchema = z.string().check(z.minLength(1), z.maxLength(ID_MAX));
const timeSchema = z.number().check(z.int(), z.nonnegative());
/** People one stored poll or Q&A may name: far more than any room, bounded all the same. */
const PEOPLE_MAX = 20_000;

const timerSchema = z.object({
  durationMs: z.number().check(z.int(), z.gte(0), z.lte(4 * 3600_000)),
  endsAt: z.nullable(timeSchema),
  remainingMs: z.number().check(z.gte(0), z.lte(4 * 3600_000)),
  running: z.boolean(),
});

const storedPollSchema = z.object({
  id: idSchema,
  request: openPollSchema,
  openedAt: timeSchema,
  votes: z.array(z.tuple([keySchema, z.number()])).check(
    z.maxLength(PEOPLE_MAX),
    z.refine((votes) => new Set(votes.map(([key]) => key)).size === votes.length, 'one vote each'),
  ),
});

const storedHandSchema = z.extend(participantSchema, {
  participantId: keySchema,
  raisedAt: timeSchema,
});

export const storedQaSchema = z.extend(qaOpenSchema, {
  id: idSchema,
  anonymous: z.boolean(),
  openedAt: timeSchema,
  answers: z
    .array(
      z.object({
        id: idSchema,
        text: qaAnswerSchema.shape.text,
        author: z.nullable(participantSchema),
        at: timeSchema,
        authorId: keySchema,
        voters: z.array(keySchema).check(z.maxLength(PEOPLE_MAX)),
      }),
    )
    .check(z.maxLength(QA_ANSWERS_MAX)),
  hiddenIds: z.array(idSchema).check(z.maxLength(QA_ANSWERS_MAX)),
  given: z
    .array(
      z.tuple([keySchema, z.number().check(z.int(), z.gte(1), z.lte(QA_ANSWERS_PER_PARTICIPANT))]),
    )
    .check(z.maxLength(PEOPLE_MAX)),
});
export type StoredQa = z.infer<typeof storedQaSchema>;

export const storedSessionSchema = z.object({
  /** Format version: a copy of another format is ignored (nothing to migrate: it lives a day). */
  v: z.literal(1),
  savedAt: timeSchema,
  timer: timerSchema,
  poll: z.nullable(storedPollSchema),
  hands: z.array(storedHandSchema).check(z.maxLength(PEOPLE_MAX)),
  /** Participants with a raised hand and no connection, since when (the grace rule). */
  departed: z.array(z.tuple([keySchema, timeSchema])).check(z.maxLength(PEOPLE_MAX)),
  qa: z.nullable(storedQaSchema),
});
export type StoredSession = z.infer<typeof storedSessionSchema>;
