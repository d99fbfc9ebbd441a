/**
 * The stored copy of a board's live session (`live/durable.ts` writes it to Redis or storage,
 * `BoardSession.toStored` / `restore` make and take it). Checked on the way back in with the
 * protocol's own schemas: a copy that does not parse is logged and ignored, never trusted.
 */
import * as v from 'valibot';
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
const keySchema = v.pipe(v.string(), v.minLength(1), v.maxLength(ID_MAX));
const idSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(ID_MAX));
const timeSchema = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
/** People one stored poll or Q&A may name: far more than any room, bounded all the same. */
const PEOPLE_MAX = 20_000;

const timerSchema = v.object({
  durationMs: v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(4 * 3600_000)),
  endsAt: v.nullable(timeSchema),
  remainingMs: v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(4 * 3600_000)),
  running: v.boolean(),
});

const storedPollSchema = v.object({
  id: idSchema,
  request: openPollSchema,
  openedAt: timeSchema,
  votes: v.pipe(
    v.array(v.strictTuple([keySchema, v.pipe(v.number(), v.finite())])),
    v.maxLength(PEOPLE_MAX),
    v.check((votes) => new Set(votes.map(([key]) => key)).size === votes.length, 'one vote each'),
  ),
});

const storedHandSchema = v.object({
  ...participantSchema.entries,
  participantId: keySchema,
  raisedAt: timeSchema,
});

export const storedQaSchema = v.object({
  ...qaOpenSchema.entries,
  id: idSchema,
  anonymous: v.boolean(),
  openedAt: timeSchema,
  answers: v.pipe(
    v.array(
      v.object({
        id: idSchema,
        text: qaAnswerSchema.entries.text,
        author: v.nullable(participantSchema),
        at: timeSchema,
        authorId: keySchema,
        voters: v.pipe(v.array(keySchema), v.maxLength(PEOPLE_MAX)),
      }),
    ),
    v.maxLength(QA_ANSWERS_MAX),
  ),
  hiddenIds: v.pipe(v.array(idSchema), v.maxLength(QA_ANSWERS_MAX)),
  given: v.pipe(
    v.array(
      v.strictTuple([
        keySchema,
        v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(QA_ANSWERS_PER_PARTICIPANT)),
      ]),
    ),
    v.maxLength(PEOPLE_MAX),
  ),
});
export type StoredQa = v.InferOutput<typeof storedQaSchema>;

export const storedSessionSchema = v.object({
  /** Format version: a copy of another format is ignored (nothing to migrate: it lives a day). */
  v: v.literal(1),
  savedAt: timeSchema,
  timer: timerSchema,
  poll: v.nullable(storedPollSchema),
  hands: v.pipe(v.array(storedHandSchema), v.maxLength(PEOPLE_MAX)),
  /** Participants with a raised hand and no connection, since when (the grace rule). */
  departed: v.pipe(v.array(v.strictTuple([keySchema, timeSchema])), v.maxLength(PEOPLE_MAX)),
  qa: v.nullable(storedQaSchema),
});
export type StoredSession = v.InferOutput<typeof storedSessionSchema>;
