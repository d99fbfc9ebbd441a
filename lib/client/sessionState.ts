/**
 * What a board session shows the UI, as two external stores (`BoardSession.getSnapshot` and
 * `getLive`): the connection, roster and peers; and the live session's timer, poll, hands, Q&A
 * and reactions. Types and the words shared with the page only: no connection code here.
 */
import type {
  ApiErrorCode,
  Hand,
  Participant,
  PollState,
  QaState,
  Role,
  RosterEntry,
  TimerState,
} from '../protocol';
import type { AssumptionId } from '../model';
import type { BoardParticipant } from './identity';

/** Connection as the header shows it. */
export type ConnectionState =
  | { state: 'connecting' }
  | { state: 'live' }
  | { state: 'offline'; reason: string }
  /** Connected or reconnecting, but the server cannot store changes now; they are kept here. */
  | { state: 'paused'; reason: string }
  /** `code`: the server's API error code for it, when it named one (the page words it). */
  | { state: 'error'; reason: string; code: ApiErrorCode | null };

/** What a participant is working on right now (awareness field `editing`). */
export interface EditingTarget {
  scenarioId: string;
  assumptionId: AssumptionId;
}

/** Another tab's awareness state, validated. */
export interface PeerPresence {
  /** Awareness client id (one per tab). */
  awarenessId: number;
  /** The peer's participant id (one per person and device), when it sent one. */
  participantId: string | null;
  user: Participant;
  editing: EditingTarget | null;
  /** The scenario the peer is looking at. */
  scenarioId: string | null;
}

export interface BoardSessionState {
  connection: ConnectionState;
  /** True once the document holds a board (from IndexedDB or from the server). */
  loaded: boolean;
  /** Whether the server copy has been synced at least once in this session. */
  serverSynced: boolean;
  /**
   * Who is on the board (socket.io), one entry per tab: the listed roster (moderators and the
   * oldest few others, `ROSTER_LISTED_MAX`); null while the session is not connected.
   */
  roster: readonly RosterEntry[] | null;
  /** Distinct people on the board, listed or not (0 while the session is not connected). */
  people: number;
  /** Other tabs' awareness states (never this tab). */
  peers: readonly PeerPresence[];
  /** This connection's role as the live session reports it (null until it does). */
  role: Role | null;
  /** The close code when the connection stopped for good (e.g. 4404, 4401). */
  fatalCode: number | null;
  /**
   * Who this person is on the board, from their participant credential (null until the server
   * issued one). `me.id` is what the server attributes their edits, comments and votes to.
   */
  me: BoardParticipant | null;
  /** Why there is no credential yet, in words (e.g. too many joins from this network). */
  joinNotice: string | null;
  /**
   * The latest thing the server refused or why the connection was reset, for a passing message;
   * `key` changes with each new one. `message` is the English words; `refusal` (a refused
   * change's kind) or `reset` (the close code) lets the UI say it in the reader's language.
   */
  notice: { key: number; message: string; refusal?: string; reset?: number } | null;
  /**
   * Edits this device kept that could not be merged into the board (storedCopy.ts), offered as a
   * download; `reason` says why, in words. Null when there are none.
   */
  unsentEdits: { reason: string } | null;
}

/** A reaction someone sent, kept briefly so views can float it. */
export interface LiveReaction {
  /** Unique within this session (a counter). */
  key: number;
  emoji: string;
  name: string;
  color: string;
  /** Local receive time (Date.now()). */
  receivedAt: number;
}

/**
 * The live-session state that is an event, not document state (timer, open poll, hands,
 * reactions), kept in its own store so a reaction or a vote does not re-render the whole board.
 */
export interface LiveSessionState {
  /** The shared countdown (server clock); null until the session said. */
  timer: TimerState | null;
  poll: PollState | null;
  /** Distinct people on the board (the "of 30" in "12 of 30 answered"). */
  people: number;
  /** The open Q&A, top answers first. */
  qa: QaState | null;
  /** Answers of the open Q&A this person upvoted. */
  qaUpvoted: ReadonlySet<string>;
  hands: readonly Hand[];
  /** Reactions of the last few seconds, oldest first. */
  reactions: readonly LiveReaction[];
  /** Server clock minus this browser's clock, ms (server now ≈ Date.now() + clockOffset). */
  clockOffset: number;
  /** True while the socket.io connection is up. */
  connected: boolean;
}

/** How long a reaction stays in the live state. */
export const REACTION_TTL_MS = 4_000;

/** What the page says when the board's links were rotated (server: LINK_REPLACED_MESSAGE). */
export const LINK_REPLACED = 'Your link was replaced by the moderator';

export const SAVING_PAUSED_REASON =
  'Saving paused: the server cannot store changes right now. Yours are kept on this device and saved when it is back.';
