/**
 * The wire protocol shared by the browser and the server: one place for the Yjs endpoint's
 * message types and close codes, and the socket.io live-session events and payloads.
 * Both ends import from here; no event name or close code is written anywhere else.
 */
import { z } from 'zod';

/** Bumped when a change to this file breaks older clients. */
export const PROTOCOL_VERSION = 1;

/** Path prefix of the y-websocket endpoint: the stock client connects to `${YJS_PATH}/<boardId>`. */
export const YJS_PATH = '/yjs';
/** Path of the socket.io endpoint. */
export const SOCKET_IO_PATH = '/socket.io';

/** Top-level y-websocket message types (the stock client's numbering). */
export const YMessage = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
} as const;

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
  /** The client could not keep up with the board's traffic (its send buffer overflowed). */
  slowConsumer: 4408,
  /** The server failed while handling this connection; the board itself is unaffected. */
  internalError: 4500,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Human text for each close code, shown by the client and used as the close reason. */
export const closeReason: Record<CloseCode, string> = {
  [CloseCode.normal]: 'closed',
  [CloseCode.goingAway]: 'server restarting',
  [CloseCode.messageTooBig]: 'message too big',
  [CloseCode.malformed]: 'malformed message',
  [CloseCode.unauthorized]: 'not signed in or link no longer valid',
  [CloseCode.forbidden]: 'not allowed for this link',
  [CloseCode.boardNotFound]: 'board not found',
  [CloseCode.rateLimited]: 'too many messages',
  [CloseCode.slowConsumer]: 'connection too slow',
  [CloseCode.internalError]: 'server error',
};

/** Codes after which reconnecting cannot help: the client should stop and say why. */
export const FATAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CloseCode.unauthorized,
  CloseCode.forbidden,
  CloseCode.boardNotFound,
]);

// ---------------------------------------------------------------------------------------------
// socket.io live session

/** Who a participant is, as shown in presence lists. */
export const participantSchema = z.object({
  name: z.string().trim().min(1).max(40),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
});
export type Participant = z.infer<typeof participantSchema>;

/** The handshake `auth` payload a socket.io client sends. */
export const sessionAuthSchema = z.object({
  boardId: z.string().min(1).max(64),
  participant: participantSchema,
  /** Capability token (for role links); optional until roles are enforced. */
  token: z.string().max(2048).optional(),
});
export type SessionAuth = z.infer<typeof sessionAuthSchema>;

export interface RosterEntry extends Participant {
  /** socket.io connection id: one entry per open tab. */
  id: string;
  role: Role;
  joinedAt: number;
}

export type Role = 'moderator' | 'editor' | 'viewer';

/** Events the server sends to socket.io clients. */
export interface ServerToClientEvents {
  /** The full list of who is on the board, sent whenever it changes. */
  'session:roster': (roster: RosterEntry[]) => void;
  /** A request was refused; `event` names the client event. */
  'session:error': (error: { event: string; message: string }) => void;
}

/** Events clients send to the server. */
export interface ClientToServerEvents {
  /** Update the display name or colour. */
  'session:rename': (participant: Participant) => void;
}

export const SocketEvent = {
  roster: 'session:roster',
  error: 'session:error',
  rename: 'session:rename',
} as const;
