/**
 * The wire protocol shared by the browser and the server: one place for the Yjs endpoint's
 * message types and close codes, and the socket.io live-session events and payloads.
 * Both ends import from here; no event name or close code is written anywhere else.
 */
import * as v from 'valibot';
import { AUTHOR_NAME_MAX, ID_MAX, POLL_OPTION_MAX, POLL_QUESTION_MAX } from './board/limits';
import { notArray } from './notArray';
import { randomHex } from './randomHex';

/** Bumped when a change to this file breaks older clients. */
export const PROTOCOL_VERSION = 2;

/**
 * The handshake's version fields: query parameters on the Yjs endpoint
 * (`/yjs/<id>?token=…&protocol=1&schema=1`) and fields of socket.io's `auth`. `protocol` is the
 * client's PROTOCOL_VERSION, `schema` the board document layout it was built for
 * (lib/board/schemaVersion.ts). A client that sends neither predates the handshake: it counts as
 * protocol 1, schema 0.
 */
export const CLIENT_VERSION_FIELDS = { protocol: 'protocol', schema: 'schema' } as const;

/**
 * The oldest client the server serves. Raise MIN_CLIENT_SCHEMA when a document migration changes
 * something an older client would write wrongly; raise MIN_CLIENT_PROTOCOL with a breaking change
 * here. Schema 1 only added `meta.schemaVersion`, which older clients ignore: every client so far
 * may edit.
 */
export const MIN_CLIENT_VERSIONS = { protocol: 1, schema: 0 } as const;

/**
 * Why a client's handshake versions are not served: `outdated` (close with
 * CloseCode.clientOutdated: the page says "reload"), `malformed` (not whole numbers), or null.
 */
export function clientVersionProblem(
  sent: { protocol?: unknown; schema?: unknown },
  min: { protocol: number; schema: number } = MIN_CLIENT_VERSIONS,
): 'outdated' | 'malformed' | null {
  const read = (x: unknown, legacy: number): number | null => {
    if (x === undefined || x === null) return legacy;
    const n =
      typeof x === 'number' ? x : typeof x === 'string' && /^\d{1,6}$/.test(x) ? Number(x) : NaN;
    return Number.isSafeInteger(n) ? n : null;
  };
  const protocol = read(sent.protocol, 1);
  const schema = read(sent.schema, 0);
  if (protocol === null || schema === null) return 'malformed';
  return protocol < min.protocol || schema < min.schema ? 'outdated' : null;
}

/**
 * The board page's id for itself, one per page load, sent as `TAB_PARAM` in the Yjs URL and in
 * the socket.io handshake: a tab that connects again replaces its previous connection at once,
 * which after a network drop may still look open on the server for up to a minute
 * (server/tabConnections.ts). Optional: a client without one keeps the old behaviour.
 */
export const TAB_PARAM = 'tab';
export const TAB_ID_PATTERN = /^[A-Za-z0-9_-]{8,32}$/;

/** A new tab id: 9 random bytes, 18 hex digits. */
export const newTabId = (): string => randomHex(9);

/** Path prefix of the y-websocket endpoint: the stock client connects to `${YJS_PATH}/<boardId>`. */
export const YJS_PATH = '/yjs';
/** Path of the socket.io endpoint. */
export const SOCKET_IO_PATH = '/socket.io';
/**
 * How the board page opens the live session: a WebSocket at once, as its Yjs connection, no HTTP
 * long-polling first. Where WebSockets are blocked the board cannot sync anyway, and polling then
 * upgrading costs round trips and server work on every connect: after a restart under a room of
 * 1,000, everyone had the roster again at p99 6.8-6.9 s with it, 4.2-4.8 s without (bench:scale,
 * scenario restart). Tests and benches that stand for a browser open it the same way.
 */
export const SOCKET_IO_TRANSPORTS: ('websocket' | 'polling')[] = ['websocket'];

/** Top-level y-websocket message types (the stock client's numbering). */
export const YMessage = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
  /**
   * Server to client only (our own type; the stock client logs and ignores it): a notice as a
   * JSON string, e.g. why an update was refused. See `ServerNotice`.
   */
  notice: 5,
} as const;

/** What a `YMessage.notice` carries: a refusal the UI shows in plain words. */
export interface ServerNotice {
  type: 'refused';
  /** viewOnly, frozen, locked, forbidden, invalid, limit or malformed. */
  kind: string;
  /** Plain words for the participant, e.g. "This board is view-only: changes are not saved." */
  message: string;
  /** Where in the board, for logs and tests. */
  path: string;
}

/**
 * Close codes the Yjs endpoint uses. 4xxx codes are application codes (RFC 6455 reserves
 * 4000-4999 for applications); 1009 is the standard "message too big".
 */
export const CloseCode = {
  /** Normal close, e.g. the server is shutting down. */
  normal: 1000,
  /** The server is going away (restart); the client should reconnect. */
  goingAway: 1001,
  /** A single frame was larger than the configured limit (MAX_MESSAGE_BYTES). */
  messageTooBig: 1009,
  /**
   * The server is restarting (SIGTERM, e.g. a rolling restart): what it had was stored; the
   * client reconnects (possibly to another instance) and resends anything unacknowledged.
   */
  serviceRestart: 1012,
  /** A frame could not be decoded: truncated, not binary, or an unknown message type. */
  malformed: 4400,
  /** Missing, forged, expired or revoked credentials. */
  unauthorized: 4401,
  /** Valid credentials that do not allow this (wrong board or role). */
  forbidden: 4403,
  /** No board with that id. */
  boardNotFound: 4404,
  /** The client sent messages faster than the limit allows (flood). */
  rateLimited: 4429,
  /**
   * The client could not keep up with the board's traffic: its own send buffer passed
   * MAX_BUFFERED_BYTES_PER_CONNECTION, or it held the most unsent data when the server's total
   * passed MAX_BUFFERED_BYTES_TOTAL. Reconnecting (and then reading) is fine.
   */
  slowConsumer: 4408,
  /** The client kept sending changes the server refuses (more than a few in a short time). */
  refusedTooOften: 4422,
  /**
   * The client kept sending presence (awareness) states the server refuses: over
   * PRESENCE_STATE_MAX_BYTES or not the shape of `presenceStateSchema`.
   */
  invalidPresence: 4423,
  /**
   * The client is older than the board or the server supports (its handshake's protocol or
   * schema version, see clientVersionProblem): reloading the page gets the current client. Its
   * unsent edits stay in the browser's copy (IndexedDB) and are sent after the reload.
   */
  clientOutdated: 4426,
  /** The server failed while handling this connection; the board itself is unaffected. */
  internalError: 4500,
  /**
   * The server cannot store changes right now (its database is unreachable). The change that
   * met it was not applied and not relayed; the client keeps it, says "saving paused" and
   * reconnects until the database is back, then sends it again.
   */
  savingPaused: 4503,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Human text for each close code, shown by the client and used as the close reason. */
export const closeReason: Record<CloseCode, string> = {
  [CloseCode.normal]: 'closed',
  [CloseCode.goingAway]: 'server restarting',
  [CloseCode.messageTooBig]: 'message too big',
  [CloseCode.serviceRestart]: 'server restarting: reconnecting',
  [CloseCode.malformed]: 'malformed message',
  [CloseCode.unauthorized]: 'not signed in or link no longer valid',
  [CloseCode.forbidden]: 'not allowed for this link',
  [CloseCode.boardNotFound]: 'board not found',
  [CloseCode.rateLimited]: 'too many messages',
  [CloseCode.slowConsumer]: 'connection too slow',
  [CloseCode.refusedTooOften]: 'too many refused changes',
  [CloseCode.invalidPresence]: 'presence rejected: too large or invalid',
  [CloseCode.clientOutdated]: 'This board was updated: reload',
  [CloseCode.internalError]: 'server error',
  [CloseCode.savingPaused]: 'saving paused: the server cannot store changes right now',
};

/**
 * What a holder of a rotated link is told (HTTP 401, close 4401 reason, `session:revoked`). One
 * sentence, short enough for a WebSocket close reason (at most 123 bytes).
 */
export const LINK_REPLACED_MESSAGE =
  'Your link was replaced by the moderator: ask them for the new link or join code';

/** Codes after which reconnecting cannot help: the client should stop and say why. */
export const FATAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CloseCode.unauthorized,
  CloseCode.forbidden,
  CloseCode.boardNotFound,
  CloseCode.clientOutdated,
]);

// ---------------------------------------------------------------------------------------------
// Presence (Yjs awareness)

/** Largest awareness state (its JSON, in UTF-8 bytes) the server relays. */
export const PRESENCE_STATE_MAX_BYTES = 4096;

/**
 * An awareness state as the server accepts it from a client. Unknown keys are refused, not
 * stripped. `user` may say anything (or be missing): the server replaces it with the
 * connection's server-known participant `{ id, name, color }` and sets `participantId` to that id,
 * so no one can appear in presence as someone else. A state of `null` (the client left) is
 * always accepted.
 */
export const presenceStateSchema = notArray(
  v.strictObject({
    /** Replaced by the server; what the client sends here is ignored. */
    user: v.optional(v.unknown()),
    /** Replaced by the server with the participant id. */
    participantId: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(ID_MAX)))),
    /** What the participant is working on right now. */
    editing: v.optional(
      v.nullable(
        v.strictObject({
          scenarioId: v.pipe(v.string(), v.maxLength(ID_MAX)),
          assumptionId: v.pipe(v.string(), v.maxLength(ID_MAX)),
        }),
      ),
    ),
    /** The scenario the participant is looking at. */
    scenarioId: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(ID_MAX)))),
  }),
);
export type PresenceState = v.InferOutput<typeof presenceStateSchema>;

// ---------------------------------------------------------------------------------------------
// socket.io live session

/** Who a participant is, as shown in presence lists. */
export const participantSchema = v.object({
  name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(AUTHOR_NAME_MAX)),
  color: v.pipe(v.string(), v.regex(/^#[0-9a-fA-F]{6}$/)),
});
export type Participant = v.InferOutput<typeof participantSchema>;

/** Board ids as accepted in URLs: anything else is a 404 without touching storage. */
export const BOARD_ID_PATTERN = /^[a-z0-9]{4,64}$/;

/** Participant ids are issued by the server (never chosen by a client): 16 URL-safe characters. */
export const PARTICIPANT_ID_PATTERN = /^p[a-z0-9]{15}$/;

/**
 * A person on a board as the server knows them: the id comes from the signed participant
 * credential the server issued, and the name and colour are bound to it there. Everything
 * attributed (decision log, comments, votes, hands, reactions, presence) carries this id.
 */
export const participantIdentitySchema = v.object({
  ...participantSchema.entries,
  id: v.pipe(v.string(), v.regex(PARTICIPANT_ID_PATTERN)),
});
export type ParticipantIdentity = v.InferOutput<typeof participantIdentitySchema>;

/**
 * The HTTP answer that issues a participant credential (`POST /api/boards/<id>/participants`):
 * who the server says you are, and the signed credential to present on both transports.
 */
export const issuedParticipantSchema = v.object({
  participant: v.object({
    ...participantIdentitySchema.entries,
    role: v.picklist(['moderator', 'editor', 'viewer']),
  }),
  credential: v.pipe(v.string(), v.minLength(1), v.maxLength(4096)),
});
export type IssuedParticipant = v.InferOutput<typeof issuedParticipantSchema>;

/**
 * The handshake `auth` payload a socket.io client sends. `token` must be a participant credential
 * (a bare role link is refused): board, role, participant id, name and colour are all read from
 * it, never from the client. Anything else in `auth` is ignored.
 */
export const sessionAuthSchema = v.object({
  boardId: v.pipe(v.string(), v.minLength(1), v.maxLength(ID_MAX)),
  token: v.pipe(v.string(), v.maxLength(4096)),
});
export type SessionAuth = v.InferOutput<typeof sessionAuthSchema>;

/** `session:reauth`: a re-issued credential for the same participant (after a rename). */
export const reauthSchema = v.object({ token: v.pipe(v.string(), v.maxLength(4096)) });

export type Role = 'moderator' | 'editor' | 'viewer';

/**
 * How many connections besides the moderators' a roster names (the oldest ones; as one leaves, the
 * next oldest takes the place). Enough for the header's avatars and the names behind its "+N";
 * beyond it the room is a count (`present`, `people`). So a plenary's joiner gets a few KB, not
 * 150 bytes per person, a join costs the others a count, and nobody's phone holds 1,000 names.
 */
export const ROSTER_LISTED_MAX = 30;

/** One open connection (tab) of a participant; `id` is the participant id from the credential. */
export interface RosterEntry extends ParticipantIdentity {
  /** socket.io connection id: one entry per open tab. */
  connectionId: string;
  role: Role;
  joinedAt: number;
}

/** The shared countdown. Times are server clock (ms); clients correct with their measured offset. */
export interface TimerState {
  durationMs: number;
  /** Server time at which it reaches zero while running; null when paused or reset. */
  endsAt: number | null;
  /** Time left when paused (or the full duration after a reset). */
  remainingMs: number;
  running: boolean;
}

export const POLL_OPTIONS_MAX = 8;

export const openPollSchema = v.variant('kind', [
  v.object({
    kind: v.literal('choice'),
    question: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(POLL_QUESTION_MAX)),
    options: v.pipe(
      v.array(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(POLL_OPTION_MAX))),
      v.minLength(2),
      v.maxLength(POLL_OPTIONS_MAX),
    ),
    /**
     * Participants see only how many answered (and their own answer) until the poll closes, so
     * early answers do not steer later ones. Default on for choice polls.
     */
    hideResults: v.optional(v.boolean()),
    /** Anonymous voting: the saved result and everything shown say "Anonymous" (see PollState). */
    anonymous: v.optional(v.boolean()),
  }),
  v.object({
    kind: v.literal('value'),
    question: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(POLL_QUESTION_MAX)),
    assumptionId: v.pipe(v.string(), v.maxLength(ID_MAX)),
    /** As for choice polls; default off (the spread is what a value poll is for). */
    hideResults: v.optional(v.boolean()),
    anonymous: v.optional(v.boolean()),
  }),
]);
export type OpenPollRequest = v.InferOutput<typeof openPollSchema>;

/** Whether a poll opened with `request` hides its results from participants until it closes. */
export const pollHidesResults = (request: OpenPollRequest): boolean =>
  request.hideResults ?? request.kind === 'choice';

/**
 * A running poll as one participant sees it. While `resultsHidden` (and for anyone but a
 * moderator) every option's `votes` is 0 and `summary` null: only `voters` counts.
 */
export interface PollState {
  id: string;
  kind: 'choice' | 'value';
  question: string;
  /** The tallies are withheld from participants until the poll closes. */
  resultsHidden: boolean;
  /**
   * Anonymous voting. No poll ever sends anyone another person's vote (only aggregates), and the
   * saved result holds counts only; an anonymous one also keeps no answer order (value answers
   * are saved sorted) and says so on every card.
   */
  anonymous: boolean;
  options: { label: string; votes: number }[];
  assumptionId: string | null;
  /** value polls: summary of the answers so far. */
  summary: {
    count: number;
    min: number;
    p25: number;
    median: number;
    p75: number;
    max: number;
  } | null;
  voters: number;
  openedAt: number;
  /**
   * This participant's own vote (sent to their sockets only), so a reload shows it. Nobody else
   * ever receives an individual vote: the rest is aggregates.
   */
  myVote: number | null;
}

export const voteSchema = v.object({
  pollId: v.pipe(v.string(), v.maxLength(ID_MAX)),
  /** choice polls: the option index; value polls: the value in the assumption's display units. */
  value: v.pipe(v.number(), v.finite()),
});

export const REACTIONS = ['👍', '👏', '🤔', '😮', '❤️'] as const;
export const reactionSchema = v.object({ emoji: v.picklist(REACTIONS) });

export interface Hand {
  participantId: string;
  name: string;
  color: string;
  raisedAt: number;
}

export const timerStartSchema = notArray(
  v.object({
    durationMs: v.optional(
      v.pipe(v.number(), v.safeInteger(), v.minValue(1000), v.maxValue(4 * 3600_000)),
    ),
  }),
);
export const pollCloseSchema = v.object({
  pollId: v.pipe(v.string(), v.maxLength(ID_MAX)),
  applyBand: v.optional(v.boolean()),
});
/** Lower one's own hand (no id), or, moderator only, someone else's. */
export const handLowerSchema = notArray(
  v.object({
    participantId: v.optional(v.pipe(v.string(), v.maxLength(ID_MAX))),
  }),
);

/** A reaction as everyone receives it: who sent it comes from their credential. */
export interface Reaction {
  emoji: string;
  participantId: string;
  name: string;
  color: string;
  at: number;
}

/**
 * The live counts of the open poll, broadcast throttled: to moderators exact and soon after each
 * vote, to participants at most `PARTICIPANT_TALLY_MIN_MS` apart and, while results are hidden,
 * with `votes` null and `summary` null (only how many answered).
 */
export interface PollTally {
  pollId: string;
  /** Votes per option (choice polls), or null when hidden or for a value poll. */
  votes: number[] | null;
  summary: PollState['summary'];
  voters: number;
}

/** Participants get a poll's counts at most this often (moderators at every batch). */
export const PARTICIPANT_TALLY_MIN_MS = 300;

/**
 * The room's counts (`present`, `people`) go out at most this often when nobody listed came or
 * went: while a plenary fills up at 100 a second, each phone hears the count once a second
 * instead of at every batch. A change to the listed roster carries them at once (so a seminar,
 * where everyone is listed, sees every count as it happens).
 */
export const ROOM_COUNT_MIN_MS = 1_000;

/**
 * What changed on a board since the last batch, sent to everyone in the room at once (one encode
 * per batch, not one message per event), every `batchIntervalMs(roomSize)`. A client applies it
 * to the snapshot it got on connecting (`lib/client/liveView.ts`): roster entries upserted by
 * `connectionId`, then `left` removed; hands upserted by `participantId`, then `lowered` removed.
 * An id the client does not hold is ignored, so applying a batch twice is harmless.
 */
export interface SessionChanges {
  /** The listed roster's changes (see `ROSTER_LISTED_MAX`): who came into it, who left it. */
  roster?: { joined: RosterEntry[]; left: string[] };
  /** How many connections the board has now (all instances). */
  present?: number;
  /**
   * How many people (distinct participants, any role: viewers may answer polls too) are on the
   * board now: the "of 30" in "12 of 30 answered". A moderator's projector tab shares their id.
   */
  people?: number;
  hands?: { raised: Hand[]; lowered: string[] };
  /**
   * Reactions as a summarised stream: how many of each emoji in this batch, and the last few
   * (at most `REACTIONS_PER_BATCH`) with their senders.
   */
  reactions?: { counts: Partial<Record<string, number>>; recent: Reaction[] };
  tally?: PollTally;
  /** Answers of the open Q&A that are new, changed (upvotes) or hidden since the last batch. */
  qa?: QaChanges;
}

export const REACTIONS_PER_BATCH = 8;

/**
 * How long a board's changes are gathered before one batch goes out: 100 ms for a seminar,
 * growing with the room to 250 ms at 750 connections, so a plenary's joins, hands and reactions
 * cost each participant a few messages a second, not one per event.
 */
export const batchIntervalMs = (roomSize: number): number =>
  Math.round(Math.min(250, 100 + roomSize / 5));

// ---------------------------------------------------------------------------------------------
// Q&A: an open question, short answers, upvotes

export const QA_QUESTION_MAX = 200;
export const QA_ANSWER_MAX = 280;
/** Answers one participant may give to one Q&A (all tabs together). */
export const QA_ANSWERS_PER_PARTICIPANT = 3;
/** Answers one Q&A holds at most (the rest are refused: "the Q&A is full"). */
export const QA_ANSWERS_MAX = 500;

export const qaOpenSchema = v.object({
  question: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(QA_QUESTION_MAX)),
  /** Names are shown to nobody, moderators included (the server keeps ids for the vote rules). */
  anonymous: v.optional(v.boolean()),
});
export type QaOpenRequest = v.InferOutput<typeof qaOpenSchema>;
export const qaAnswerSchema = v.object({
  qaId: v.pipe(v.string(), v.maxLength(ID_MAX)),
  text: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(QA_ANSWER_MAX)),
});
/** Upvote (`on: true`) or take one's upvote back; one per participant per answer. */
export const qaUpvoteSchema = v.object({
  qaId: v.pipe(v.string(), v.maxLength(ID_MAX)),
  answerId: v.pipe(v.string(), v.maxLength(ID_MAX)),
  on: v.boolean(),
});
export const qaRefSchema = v.object({
  qaId: v.pipe(v.string(), v.maxLength(ID_MAX)),
  answerId: v.pipe(v.string(), v.maxLength(ID_MAX)),
});
export const qaCloseSchema = v.object({ qaId: v.pipe(v.string(), v.maxLength(ID_MAX)) });

/**
 * One answer as everyone receives it. `author` is null in an anonymous Q&A; no participant id is
 * ever sent (the server keeps it to enforce one upvote per person).
 */
export interface QaAnswer {
  id: string;
  text: string;
  author: { name: string; color: string } | null;
  votes: number;
  at: number;
}

/** The open Q&A. */
export interface QaState {
  id: string;
  question: string;
  anonymous: boolean;
  openedAt: number;
  /** How many people have answered (distinct participants, hidden answers included). */
  answered: number;
  /** Visible answers (hidden ones are dropped for everyone). */
  answers: QaAnswer[];
}

/** Answers added or re-counted since the last batch, and answers the moderator hid. */
export interface QaChanges {
  qaId: string;
  answered: number;
  upserts: QaAnswer[];
  hidden: string[];
}

/** The top answers first: most upvotes, then the earliest. */
export const qaRanking = (a: QaAnswer, b: QaAnswer): number => b.votes - a.votes || a.at - b.at;

/** Everything a client needs on (re)connecting. */
export interface SessionSnapshot {
  role: Role;
  /** Who this connection is, as the server knows it (from the credential). */
  you: ParticipantIdentity;
  /**
   * The listed roster, oldest first: every moderator's connection and the oldest
   * `ROSTER_LISTED_MAX` others (this one's own may not be among them).
   */
  roster: RosterEntry[];
  /** How many connections the board has (see SessionChanges.present). */
  present: number;
  timer: TimerState;
  poll: PollState | null;
  hands: Hand[];
  /** Distinct participants present (see SessionChanges.people). */
  people: number;
  /** The open Q&A with every visible answer, or null. */
  qa: QaState | null;
  /** Answers of the open Q&A this participant upvoted (theirs only). */
  qaUpvoted: string[];
  serverNow: number;
}

/** Events the server sends to socket.io clients. */
export interface ServerToClientEvents {
  /** To the connecting socket only: the listed roster and counts, hands, poll and timer. */
  'session:snapshot': (snapshot: SessionSnapshot) => void;
  /** Batched changes since the previous batch (roster, hands, reactions, poll counts). */
  'session:changes': (changes: SessionChanges) => void;
  'timer:state': (timer: TimerState, serverNow: number) => void;
  /** A poll opened (`myVote` null) or closed (null), to everyone. */
  'poll:state': (poll: PollState | null) => void;
  /** To the voter's own connections only: their answer as the server recorded it. */
  'poll:myVote': (vote: { pollId: string; value: number }) => void;
  /** A Q&A opened, or closed (null), to everyone; answers follow in batches. */
  'qa:state': (qa: QaState | null) => void;
  /** To the participant's own connections only: they upvoted (or took back) an answer. */
  'qa:myUpvote': (upvote: { qaId: string; answerId: string; on: boolean }) => void;
  /** This link was replaced by the moderator; the client must stop and say so. */
  'session:revoked': (message: string) => void;
  /** A request was refused; `event` names the client event. */
  'session:error': (error: { event: string; code: SessionRefusal; message: string }) => void;
}

/**
 * Why a live-session request was refused: a code the client shows in the reader's language
 * (lib/i18n messages, `sessionRefusal.<code>`), with the English text beside it for logs and
 * for tools that read the protocol. The last two come from the client itself.
 */
export const SESSION_REFUSALS = {
  slowDown: 'too many requests: slow down',
  unknownEvent: 'unknown event',
  invalidRequest: 'invalid request',
  moderatorOnly: 'only the moderator can do that',
  viewersWatchOnly: 'viewers watch only',
  lowerOthersHand: 'only the moderator can lower someone else’s hand',
  notYou: 'that credential is for someone else: reconnect to change who you are',
  badCredential: 'that credential is not valid for this board',
  linkReplaced: LINK_REPLACED_MESSAGE,
  unknownAssumption: 'unknown assumption',
  closePollFirst: 'close the poll first',
  closeQaFirst: 'close the open Q&A first',
  pollNotOpen: 'this poll is not open',
  pollClosed: 'this poll is closed',
  pickAnOption: 'pick one of the options',
  outsideRange: 'that value is outside the assumption’s range',
  qaNotOpen: 'this Q&A is not open',
  qaClosed: 'this Q&A is closed',
  qaFull: 'this Q&A is full',
  answersUsedUp: `you have given ${QA_ANSWERS_PER_PARTICIPANT} answers already`,
  answerRecorded: 'answer already recorded',
  answerGone: 'that answer is not shown any more',
  noSuchAnswer: 'no such answer',
  ownAnswer: 'you cannot upvote your own answer',
  serverError: 'server error',
  notConnected: 'not connected to the live session',
  noAnswer: 'the server did not answer',
} as const;
export type SessionRefusal = keyof typeof SESSION_REFUSALS;

/** Characters in a join code (server/auth/joinCodes.ts; the join form says so when one is wrong). */
export const JOIN_CODE_LENGTH = 6;

/**
 * Why a token does not open a board (server/auth/access.ts): API error codes, and the codes a
 * refused Yjs connection names in its close reason (`codedCloseReason`).
 */
export const ACCESS_REFUSALS = [
  'unknownBoard',
  'credentialMissing',
  'credentialExpired',
  'credentialInvalid',
  'credentialWrongKind',
  'otherBoard',
  'linkReplaced',
  'roleTooLow',
] as const;
export type AccessRefusal = (typeof ACCESS_REFUSALS)[number];

/**
 * Why an HTTP API request failed: `code` is in every error body (`ApiErrorBody`), so the browser
 * can say it in the reader's language (lib/i18n/apiErrors.ts, `apiError.<code>`); `error` keeps
 * the specific English sentence for logs, scripts and English readers. The last two come from the
 * browser itself, when no answer arrived.
 */
export const API_ERROR_CODES = [
  ...ACCESS_REFUSALS,
  'unknownRoute',
  'wrongMethod',
  'notJson',
  'bodyTooLarge',
  'invalidRequest',
  'badImport',
  'tokenInUrl',
  'nameNeeded',
  'badJoinCode',
  'unknownJoinCode',
  'unknownVersion',
  'unknownScenario',
  'unknownLogEntry',
  'nothingToRevert',
  'scenarioDeleted',
  'changedSince',
  'alreadyNewestModel',
  'refused',
  'rateLimited',
  'serverError',
  'unreachable',
  'timeout',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export const isApiErrorCode = (code: unknown): code is ApiErrorCode =>
  (API_ERROR_CODES as readonly unknown[]).includes(code);

/**
 * A WebSocket close reason that names an access refusal's code before its sentence
 * (`credentialExpired: this link has expired: …`), so the client can say it in its reader's
 * language. Within the 123 bytes a close reason may have.
 */
export function codedCloseReason(code: AccessRefusal, message: string): string {
  return `${code}: ${message}`.slice(0, 123);
}

/** The code and sentence of a close reason (`codedCloseReason`); code null for any other reason. */
export function readCloseReason(reason: string): { code: AccessRefusal | null; message: string } {
  const coded = /^(\w+): (.*)$/s.exec(reason);
  const code = coded?.[1] as AccessRefusal | undefined;
  if (code && ACCESS_REFUSALS.includes(code)) return { code, message: coded![2]! };
  return { code: null, message: reason };
}

/** The JSON body of every API error. */
export interface ApiErrorBody {
  error: string;
  code: ApiErrorCode;
  /** The request field a 400 is about, when it is about one. */
  field?: string;
  /** For `refused`: the board rule's kind (lib/board/refusal.ts), which the notices translate. */
  refusal?: string;
  /** For `rateLimited`: also sent as Retry-After. */
  retryAfterSeconds?: number;
}

/** Acknowledgement for client requests: ok, or why it was refused. */
export type AckResult = { ok: true } | { ok: false; code: SessionRefusal; error: string };

/** The acknowledgement of a refused request (`error`: the code's text, or a more precise one). */
export function refusedWith(
  code: SessionRefusal,
  error: string = SESSION_REFUSALS[code],
): AckResult & { ok: false } {
  return { ok: false, code, error };
}
export type Ack = (result: AckResult) => void;

/** Events clients send to the server. Moderator-only ones are marked. */
export interface ClientToServerEvents {
  /**
   * Present a re-issued credential of the same participant (a rename): the name and colour bound
   * to this connection change; a credential for anyone else is refused.
   */
  'session:reauth': (payload: { token: string }, ack?: Ack) => void;
  /** Clock sync: the server answers with its time. */
  'time:ping': (ack: (serverNow: number) => void) => void;
  /** Moderator. */
  'timer:start': (payload: { durationMs?: number }, ack?: Ack) => void;
  /** Moderator. */
  'timer:pause': (ack?: Ack) => void;
  /** Moderator. */
  'timer:reset': (payload: { durationMs?: number }, ack?: Ack) => void;
  /** Moderator. */
  'poll:open': (payload: OpenPollRequest, ack?: Ack) => void;
  /** Moderator: closes the poll and saves its result on the board (optionally as a band). */
  'poll:close': (payload: { pollId: string; applyBand?: boolean }, ack?: Ack) => void;
  'poll:vote': (payload: { pollId: string; value: number }, ack?: Ack) => void;
  'hand:raise': (ack?: Ack) => void;
  /** Own hand; a moderator may lower anyone's by participant id. */
  'hand:lower': (payload: { participantId?: string }, ack?: Ack) => void;
  reaction: (payload: { emoji: string }, ack?: Ack) => void;
  /** Moderator: open a Q&A (refused while a poll or another Q&A is open). */
  'qa:open': (payload: QaOpenRequest, ack?: Ack) => void;
  /** Moderator. */
  'qa:close': (payload: { qaId: string }, ack?: Ack) => void;
  /** Moderator: hide an answer from everyone. */
  'qa:hide': (payload: { qaId: string; answerId: string }, ack?: Ack) => void;
  'qa:answer': (payload: { qaId: string; text: string }, ack?: Ack) => void;
  'qa:upvote': (payload: { qaId: string; answerId: string; on: boolean }, ack?: Ack) => void;
}

export const SocketEvent = {
  snapshot: 'session:snapshot',
  changes: 'session:changes',
  revoked: 'session:revoked',
  error: 'session:error',
  reauth: 'session:reauth',
  timePing: 'time:ping',
  timerState: 'timer:state',
  timerStart: 'timer:start',
  timerPause: 'timer:pause',
  timerReset: 'timer:reset',
  pollState: 'poll:state',
  pollOpen: 'poll:open',
  pollClose: 'poll:close',
  pollVote: 'poll:vote',
  myVote: 'poll:myVote',
  handRaise: 'hand:raise',
  handLower: 'hand:lower',
  reaction: 'reaction',
  qaState: 'qa:state',
  qaMyUpvote: 'qa:myUpvote',
  qaOpen: 'qa:open',
  qaClose: 'qa:close',
  qaHide: 'qa:hide',
  qaAnswer: 'qa:answer',
  qaUpvote: 'qa:upvote',
} as const;

/** Events only a moderator may send (the server refuses them from anyone else). */
export const MODERATOR_EVENTS: ReadonlySet<string> = new Set([
  SocketEvent.timerStart,
  SocketEvent.timerPause,
  SocketEvent.timerReset,
  SocketEvent.pollOpen,
  SocketEvent.pollClose,
  SocketEvent.qaOpen,
  SocketEvent.qaClose,
  SocketEvent.qaHide,
]);
