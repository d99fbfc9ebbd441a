/**
 * Hands of people who leave are lowered after a grace period (issue 13, item 2); someone back
 * within it (a reload) keeps their hand up. Real server, real socket.io clients.
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { SocketEvent, type Hand } from '../lib/protocol';
import {
  connectSession,
  createBoard,
  followSession,
  issueCredential,
  sessionReady,
  startServer,
  waitFor,
  type SessionSocket,
  type TestServer,
} from './helpers';

const GRACE_MS = 1000;
let server: TestServer;
const sockets: SessionSocket[] = [];
beforeAll(async () => {
  server = await startServer({ HAND_GRACE_MS: String(GRACE_MS) });
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await server.close();
});

async function join(credential: string, boardId: string): Promise<SessionSocket> {
  const socket = connectSession(server.http, boardId, credential);
  sockets.push(socket);
  await sessionReady(socket);
  return socket;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A board with a moderator in its live session (whose view is `seen`) and an editor's credential. */
async function boardWithModerator(title: string) {
  const board = await createBoard(server.http, { title });
  const mod = await issueCredential(server.http, board.id, board.token, 'Mo');
  const ed = await issueCredential(server.http, board.id, board.tokens.editor, 'Edi');
  const moderator = connectSession(server.http, board.id, mod.credential);
  sockets.push(moderator);
  const seen = followSession(moderator);
  await sessionReady(moderator);
  return { board, mod, ed, seen };
}

it('a raised hand outlives a reload but is lowered once its owner has been gone for the grace period', async () => {
  const { board, mod, ed, seen } = await boardWithModerator('Hands');
  const hands = () => seen.hands;

  // A reload: gone and back well within the grace period.
  const first = await join(ed.credential, board.id);
  expect(await first.emitWithAck(SocketEvent.handRaise)).toEqual({ ok: true });
  await waitFor(() => hands().length === 1, 'the hand raised');
  first.disconnect();
  await sleep(GRACE_MS / 4);
  const second = await join(ed.credential, board.id);
  await sleep(GRACE_MS * 1.5);
  expect(hands().map((h) => h.participantId)).toEqual([ed.participant.id]);

  // Gone for good: lowered for everyone after the grace period, not before.
  second.disconnect();
  await sleep(GRACE_MS / 2);
  expect(hands().map((h) => h.participantId)).toEqual([ed.participant.id]);
  // (polled: on a loaded machine the disconnect itself may take a moment to be noticed)
  await waitFor(() => hands().length === 0, 'the hand lowered', GRACE_MS * 5);
  // Someone joining now is not told of it either.
  const late = connectSession(server.http, board.id, mod.credential);
  sockets.push(late);
  const snapshot = await new Promise<{ hands: Hand[] }>((resolve) =>
    late.once(SocketEvent.snapshot, resolve),
  );
  expect(snapshot.hands).toEqual([]);
});

it('a hand whose grace timer fires while the wall clock says the grace is not over yet waits out the rest', async () => {
  const { board, ed, seen } = await boardWithModerator('Clock step');
  const owner = await join(ed.credential, board.id);
  expect(await owner.emitWithAck(SocketEvent.handRaise)).toEqual({ ok: true });
  await waitFor(() => seen.hands.length === 1, 'the hand raised');

  // The server runs in this process: only Date is faked (timers stay real). Once the owner has
  // left, the wall clock steps back half a grace period (as an NTP correction does), so the
  // grace timer fires while Date.now() says the owner has been gone for only half of it.
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
  try {
    owner.disconnect();
    await sleep(100); // the server has seen the owner leave
    vi.setSystemTime(Date.now() - GRACE_MS / 2);
    await waitFor(() => seen.hands.length === 0, 'the hand lowered', GRACE_MS * 5);
  } finally {
    vi.useRealTimers();
  }
});
