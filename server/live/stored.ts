/**
 * The stored copy of a board's live session (`live/durable.ts` writes it to Redis or storage,
 * `BoardSession.toStored` / `restore` make and take it). Checked on the way back in with the
 * protocol's own schemas: a copy that does not parse is logged and ignored, never trusted.
 */
import { z } from 'zod';
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
const keySchema = z.string().min(1).max(ID_MAX);
const idSchema = z.string().min(1).max(ID_MAX);
const timeSchema = z.number().int().nonnegative();
/** People one stored poll or Q&A may name: far more than any room, bounded all the same. */
const PEOPLE_MAX = 20_000;

const timerSchema = z.object({
  durationMs: z
    .number()
    .int()
    .min(0)
    .max(4 * 3600_000),
  endsAt: timeSchema.nullable(),
  remainingMs: z
    .number()
    .min(0)
    .max(4 * 3600_000),
  running: z.boolean(),
});

const storedPollSchema = z.object({
  id: idSchema,
  request: openPollSchema,
  openedAt: timeSchema,
  votes: z
    .array(z.tuple([keySchema, z.number().finite()]))
    .max(PEOPLE_MAX)
    .refine((votes) => new Set(votes.map(([key]) => key)).size === votes.length, 'one vote each'),
});

const storedHandSchema = participantSchema.extend({
  participantId: keySchema,
  raisedAt: timeSchema,
});

export const storedQaSchema = qaOpenSchema.extend({
  id: idSchema,
  anonymous: z.boolean(),
  openedAt: timeSchema,
  answers: z
    .array(
      z.object({
        id: idSchema,
        text: qaAnswerSchema.shape.text,
        author: participantSchema.nullable(),
        at: timeSchema,
        authorId: keySchema,
        voters: z.array(keySchema).max(PEOPLE_MAX),
      }),
    )
    .max(QA_ANSWERS_MAX),
  hiddenIds: z.array(idSchema).max(QA_ANSWERS_MAX),
  given: z
    .array(z.tuple([keySchema, z.number().int().min(1).max(QA_ANSWERS_PER_PARTICIPANT)]))
    .max(PEOPLE_MAX),
});
export type StoredQa = z.infer<typeof storedQaSchema>;

export const storedSessionSchema = z.object({
  /** Format version: a copy of another format is ignored (nothing to migrate: it lives a day). */
  v: z.literal(1),
  savedAt: timeSchema,
  timer: timerSchema,
  poll: storedPollSchema.nullable(),
  hands: z.array(storedHandSchema).max(PEOPLE_MAX),
  /** Participants with a raised hand and no connection, since when (the grace rule). */
  departed: z.array(z.tuple([keySchema, timeSchema])).max(PEOPLE_MAX),
  qa: storedQaSchema.nullable(),
});
export type StoredSession = z.infer<typeof storedSessionSchema>;
