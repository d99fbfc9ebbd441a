/**
 * Live sessions that outlive the process (issue 9, item 4): each board's timer, open poll, hands
 * and Q&A are written, at most `WRITE_DELAY_MS` after a change and at once on a graceful
 * shutdown, to Redis when it is configured (shared by every instance, expiring a day after the
 * last change) or else to the board storage (SQLite or PostgreSQL). A process that creates a
 * board's session reads the copy first. What is read is checked (`storedSessionSchema`): a copy
 * that does not parse is logged and ignored, the session then starts empty.
 */
import { createHmac } from 'node:crypto';
import type { Redis } from 'ioredis';
import * as v from 'valibot';
import type { Logger } from '../logger';
import type { LiveSessionMetrics } from '../metrics';
import type { BoardStorage } from '../storage/types';
import type { BoardSession } from './boardSession';
import type { VoterKey } from './qa';
import { storedSessionSchema, type StoredSession } from './stored';
import { withTimeout } from '../../lib/withTimeout';

/** A change is written at most this long after it (the first change of a quiet board starts it). */
export const WRITE_DELAY_MS = 250;
/** A copy nobody changed for this long is dropped (Redis expiry; storage copies are ignored). */
export const STORED_SESSION_TTL_MS = 24 * 3600_000;
/** A read that takes longer than this (Redis down) starts the session empty. */
const READ_TIMEOUT_MS = 2_000;
/** A shutdown waits this long at most for the last writes (Redis or the database down). */
const FLUSH_TIMEOUT_MS = 2_000;
const NO_LIVE_METRICS: LiveSessionMetrics = {
  liveSessionLoaded: () => undefined,
  liveSessionWritten: () => undefined,
};

/**
 * Pseudonyms for voters in anonymous polls and Q&As: an HMAC of the poll's id and the participant
 * id under a key derived from the signing secret (the same on every instance). A stored copy
 * then refuses a second vote after a restart without naming anyone; the pseudonym differs per
 * poll, so two polls' copies cannot be joined either.
 */
export function anonymousVoterKey(secret: string): VoterKey {
  const key = createHmac('sha256', secret).update('scenario-board:anonymous-voter').digest();
  return (scope, participantId) =>
    `a${createHmac('sha256', key).update(`${scope}:${participantId}`).digest('base64url').slice(0, 31)}`;
}

/** Where the copies live. `write(boardId, null)` deletes one. */
export interface SessionStore {
  readonly kind: 'redis' | 'storage';
  read(boardId: string): Promise<string | null>;
  write(boardId: string, state: string | null, now: number): Promise<void>;
}

export const redisKeyOf = (boardId: string) => `sb:live:${boardId}`;

export function redisSessionStore(redis: Redis, ttlMs = STORED_SESSION_TTL_MS): SessionStore {
  return {
    kind: 'redis',
    // Still connecting (a fresh instance) or reconnecting: the GET waits in ioredis's queue, and
    // the caller's timeout decides how long the session waits for it.
    read: (boardId) => redis.get(redisKeyOf(boardId)),
    async write(boardId, state) {
      if (state === null) await redis.del(redisKeyOf(boardId));
      else await redis.set(redisKeyOf(boardId), state, 'PX', ttlMs);
    },
  };
}

export function storageSessionStore(
  storage: BoardStorage,
  ttlMs = STORED_SESSION_TTL_MS,
  clock: () => number = Date.now,
): SessionStore {
  return {
    kind: 'storage',
    async read(boardId) {
      const stored = await storage.loadLiveSession(boardId);
      // Like Redis's expiry: a session left for a day is over.
      return stored && clock() - stored.savedAt < ttlMs ? stored.state : null;
    },
    write: (boardId, state, now) => storage.saveLiveSession(boardId, state, now),
  };
}

export class DurableSessions {
  /** Boards with a change not written yet, and their write timers. */
  private pending = new Map<string, { session: BoardSession; timer: NodeJS.Timeout }>();
  /** Writes under way, per board (the next waits for the previous: no reordering). */
  private writing = new Map<string, Promise<void>>();

  constructor(
    private readonly store: SessionStore,
    private readonly logger: Logger,
    private readonly metrics: LiveSessionMetrics = NO_LIVE_METRICS,
    private readonly clock: () => number = Date.now,
  ) {}

  get kind(): SessionStore['kind'] {
    return this.store.kind;
  }

  /** The board's stored session, or null (none, unreadable, or corrupted: logged). */
  async load(boardId: string): Promise<StoredSession | null> {
    let text: string | null;
    try {
      text = await withTimeout(this.store.read(boardId), READ_TIMEOUT_MS);
    } catch (err) {
      this.logger.warn(
        { err, board: boardId, store: this.store.kind },
        'could not read the stored live session; starting it empty',
      );
      this.metrics.liveSessionLoaded('unreadable');
      return null;
    }
    if (text === null) {
      this.metrics.liveSessionLoaded('none');
      return null;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = v.safeParse(storedSessionSchema, json);
    if (!parsed.success) {
      // Where and what was expected only: a valibot issue also carries the input it was about
      // (the whole copy), and its message the value (a participant's name, a Q&A answer).
      const issues = parsed.issues.slice(0, 5).map((issue) => ({
        path: v.getDotPath(issue),
        type: issue.type,
        expected: issue.expected,
      }));
      this.logger.error(
        { board: boardId, store: this.store.kind, issues },
        'stored live session is corrupted; ignored',
      );
      this.metrics.liveSessionLoaded('corrupted');
      return null;
    }
    this.metrics.liveSessionLoaded('restored');
    return parsed.output;
  }

  /** `session` changed: write it within WRITE_DELAY_MS (later changes ride along). */
  changed(boardId: string, session: BoardSession): void {
    const entry = this.pending.get(boardId);
    if (entry) {
      entry.session = session;
      return;
    }
    const timer = setTimeout(() => void this.write(boardId), WRITE_DELAY_MS);
    this.pending.set(boardId, { session, timer: timer.unref() });
  }

  /** Write every pending change now (graceful shutdown), waiting FLUSH_TIMEOUT_MS at most. */
  async flush(): Promise<void> {
    const all = Promise.all([...this.pending.keys()].map((boardId) => this.write(boardId))).then(
      () => Promise.all(this.writing.values()),
    );
    await withTimeout(all, FLUSH_TIMEOUT_MS).catch((err: unknown) =>
      this.logger.warn({ err, store: this.store.kind }, 'live sessions not all stored at shutdown'),
    );
  }

  private write(boardId: string): Promise<void> {
    const entry = this.pending.get(boardId);
    if (!entry) return this.writing.get(boardId) ?? Promise.resolve();
    clearTimeout(entry.timer);
    this.pending.delete(boardId);
    const now = this.clock();
    // Serialized now, so the copy is the session as it is at this moment.
    const state = entry.session.isIdle ? null : JSON.stringify(entry.session.toStored(now));
    const previous = this.writing.get(boardId) ?? Promise.resolve();
    const done = previous
      .then(() => this.store.write(boardId, state, now))
      .then(
        () => this.metrics.liveSessionWritten(true),
        (err: unknown) => {
          this.metrics.liveSessionWritten(false);
          this.logger.warn(
            { err, board: boardId, store: this.store.kind },
            'could not store the live session (the next change tries again)',
          );
        },
      )
      .finally(() => {
        if (this.writing.get(boardId) === done) this.writing.delete(boardId);
      });
    this.writing.set(boardId, done);
    return done;
  }
}
