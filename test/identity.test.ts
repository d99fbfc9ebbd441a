/**
 * Personal identity issued by the server (rules R7-R10 in server/README.md):
 *   R7 participant credentials: issued from a role link (a new server-generated id, limited per
 *      address) or re-issued from a credential (same id and role: a rename); forged, other-board
 *      and old-epoch credentials are refused like links;
 *   R8 the live session takes identity from the credential only, never from the client;
 *   R9 one vote per participant per poll, and nobody receives anyone else's vote;
 *   R10 hands and reactions carry the participant id; lowering another's hand is moderator-only.
 * The Yjs endpoint attaches the credential's participant to the connection.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  PARTICIPANT_ID_PATTERN,
  SocketEvent,
  type AckResult,
  type Hand,
  type PollState,
  type Reaction,
  type SessionChanges,
  type SessionSnapshot,
} from '../lib/protocol';
import type { IssueDecision } from '../server/http/api';
import {
  connectSession,
  createBoard,
  followSession,
  issueCredential,
  rawSocket,
  requestCredential,
  sessionReady,
  startServer,
  waitFor,
  type SessionSocket,
  type TestServer,
} from './helpers';

let server: TestServer;
/** Requests the server asked `allowIssue` about, and whether to refuse them. */
const issueRequests: string[] = [];
let refuseIssue = false;

beforeAll(async () => {
  server = await startServer({}, undefined, {
    allowIssue: (req) => {
      issueRequests.push(req.socket.remoteAddress ?? '');
      return Promise.resolve<IssueDecision>(
        refuseIssue ? { ok: false, retryAfterMs: 1500 } : { ok: true },
      );
    },
  });
});
afterAll(() => server.close());

let sockets: SessionSocket[] = [];
afterEach(() => {
  for (const s of sockets) s.disconnect();
  sockets = [];
  refuseIssue = false;
});

const json = async <T>(res: Response) => (await res.json()) as T;

/** The JWT's payload, rewritten, with the original signature (a forgery). */
function tamper(token: string, change: (payload: Record<string, unknown>) => void): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<
    string,
    unknown
  >;
  change(claims);
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
}

function open(token: string, boardId: string, extraAuth: Record<string, unknown> = {}) {
  const socket = connectSession(server.http, boardId, token, extraAuth);
  sockets.push(socket);
  return socket;
}

/** A served socket and its snapshot. */
async function join(token: string, boardId: string, extraAuth: Record<string, unknown> = {}) {
  const socket = open(token, boardId, extraAuth);
  const view = followSession(socket);
  const snapshot = new Promise<SessionSnapshot>((resolve) =>
    socket.once(SocketEvent.snapshot, resolve),
  );
  await sessionReady(socket);
  return { socket, view, snapshot: await snapshot };
}

/** The next poll state this socket receives that satisfies `check`. */
const nextPoll = (socket: SessionSocket, check: (p: PollState | null) => boolean) =>
  new Promise<PollState | null>((resolve) => {
    const on = (p: PollState | null) => {
      if (!check(p)) return;
      socket.off(SocketEvent.pollState, on);
      resolve(p);
    };
    socket.on(SocketEvent.pollState, on);
  });

describe('R7: participant credentials over HTTP', () => {
  it('a role link gets a new server-chosen id; the credential renames under the same id and role', async () => {
    const board = await createBoard(server.http, { title: 'Identity' });
    const first = await requestCredential(server.http, board.id, board.tokens.editor, {
      name: '  Amina  ',
      color: '#0b5cad',
    });
    expect(first.status).toBe(201);
    const issued = await json<{
      participant: { id: string; name: string; color: string; role: string };
      credential: string;
    }>(first);
    expect(issued.participant).toMatchObject({ name: 'Amina', color: '#0b5cad', role: 'editor' });
    expect(issued.participant.id).toMatch(PARTICIPANT_ID_PATTERN);

    // Same link, another person: another id.
    const other = await issueCredential(server.http, board.id, board.tokens.editor, 'Bilal');
    expect(other.participant.id).not.toBe(issued.participant.id);

    // Renaming with the credential keeps the id and the role.
    const renamed = await requestCredential(server.http, board.id, issued.credential, {
      name: 'Amina K.',
      color: '#c2410c',
    });
    expect(renamed.status).toBe(200);
    const after = await json<{ participant: { id: string; role: string; name: string } }>(renamed);
    expect(after.participant).toMatchObject({
      id: issued.participant.id,
      role: 'editor',
      name: 'Amina K.',
    });

    // A credential works where its link does (HTTP with its role) and no further.
    const meta = await fetch(`${server.http}/api/boards/${board.id}`, {
      headers: { authorization: `Bearer ${issued.credential}` },
    });
    expect((await json<{ role: string }>(meta)).role).toBe('editor');
    const links = await fetch(`${server.http}/api/boards/${board.id}/links`, {
      headers: { authorization: `Bearer ${issued.credential}` },
    });
    expect(links.status).toBe(403);
  });

  it('forged, other-board and old-epoch credentials and bad bodies are refused', async () => {
    const board = await createBoard(server.http, { title: 'Refusals' });
    const other = await createBoard(server.http, { title: 'Other' });
    const mine = await issueCredential(server.http, board.id, board.tokens.viewer, 'Vera');
    const victim = await issueCredential(server.http, board.id, board.tokens.moderator, 'Mo');

    // Claiming someone else's id, or a higher role, breaks the signature.
    const stolenId = tamper(mine.credential, (c) => (c.pid = victim.participant.id));
    const promoted = tamper(mine.credential, (c) => (c.role = 'moderator'));
    for (const forged of [stolenId, promoted, 'not-a-jwt']) {
      const res = await requestCredential(server.http, board.id, forged);
      expect(res.status).toBe(401);
    }
    expect((await requestCredential(server.http, other.id, mine.credential)).status).toBe(403);
    expect((await requestCredential(server.http, board.id, '')).status).toBe(401);

    const badName = await requestCredential(server.http, board.id, board.tokens.editor, {
      name: ' ',
      color: '#0b5cad',
    });
    expect(badName.status).toBe(400);
    expect(await json<{ field: string }>(badName)).toMatchObject({ field: 'name' });
    const badColor = await requestCredential(server.http, board.id, board.tokens.editor, {
      name: 'Ok',
      color: 'red',
    });
    expect(await json<{ field: string }>(badColor)).toMatchObject({ field: 'color' });

    const rotated = await fetch(`${server.http}/api/boards/${board.id}/rotate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${board.token}` },
    });
    expect(rotated.status).toBe(200);
    const stale = await requestCredential(server.http, board.id, mine.credential);
    expect(stale.status).toBe(401);
    expect((await json<{ error: string }>(stale)).error).toMatch(/replaced by the moderator/);
    expect((await (await rawSocket(server.ws, board.id, mine.credential)).closed).code).toBe(4401);
    await expect(sessionReady(open(mine.credential, board.id))).rejects.toThrow(/replaced/);
  });

  it('new ids are limited through allowIssue (429 + Retry-After); renames are not', async () => {
    const board = await createBoard(server.http, { title: 'Limits' });
    const before = issueRequests.length;
    const kept = await issueCredential(server.http, board.id, board.tokens.editor, 'Kept');
    expect(issueRequests.length).toBe(before + 1);
    expect(issueRequests.at(-1)).toMatch(/127\.0\.0\.1/);

    refuseIssue = true;
    const refused = await requestCredential(server.http, board.id, board.tokens.editor);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('2');
    expect((await json<{ error: string }>(refused)).error).toMatch(/try again in 2 s/);
    // A rename keeps its id, so it mints nothing and is not asked about.
    const asked = issueRequests.length;
    const renamed = await requestCredential(server.http, board.id, kept.credential, {
      name: 'Kept too',
      color: '#0b5cad',
    });
    expect(renamed.status).toBe(200);
    expect(issueRequests.length).toBe(asked);
    // Invalid requests are refused before the limiter is asked (they cost the address nothing).
    expect((await requestCredential(server.http, board.id, 'garbage')).status).toBe(401);
    expect(issueRequests.length).toBe(asked);
  });
});

describe('the Yjs endpoint attaches the credential’s participant', () => {
  it('a credential connects as its participant; a bare link as an anonymous one of its own', async () => {
    const board = await createBoard(server.http, { title: 'Yjs identity' });
    const amina = await issueCredential(server.http, board.id, board.tokens.editor, 'Amina');
    const withCredential = await rawSocket(server.ws, board.id, amina.credential);
    const bare = await rawSocket(server.ws, board.id, board.tokens.editor);
    let participants: { id: string; name: string }[] = [];
    await waitFor(() => {
      void server.server.hub
        .withBoard(board.id, (b) => [...b.peers].map((p) => p.participant))
        .then((list) => (participants = list ?? []));
      return participants.length === 2;
    }, 'both peers attached');
    const { role: _role, ...identity } = amina.participant;
    expect(participants).toContainEqual(identity);
    const anonymous = participants.find((p) => p.id !== amina.participant.id)!;
    expect(anonymous.id).toMatch(PARTICIPANT_ID_PATTERN);
    expect(anonymous.name).toMatch(/Anonymous/);
    withCredential.ws.close();
    bare.ws.close();
  });
});

describe('R8-R10: the live session trusts the credential, not the client', () => {
  it('R8: a bare role link is refused with a clear message; identity comes only from the credential', async () => {
    const board = await createBoard(server.http, { title: 'Handshake' });
    await expect(sessionReady(open(board.tokens.editor, board.id))).rejects.toThrow(
      /participant credential/,
    );
    const victim = await issueCredential(server.http, board.id, board.tokens.editor, 'Victim');
    const viewer = await issueCredential(server.http, board.id, board.tokens.viewer, 'Vera');
    // A hostile viewer adds someone else's id, name and role to its handshake.
    const { snapshot } = await join(viewer.credential, board.id, {
      clientId: victim.participant.id,
      id: victim.participant.id,
      participant: { name: 'Victim', color: '#ff0000', id: victim.participant.id },
      role: 'moderator',
    });
    expect(snapshot.role).toBe('viewer');
    expect(snapshot.you).toEqual({
      id: viewer.participant.id,
      name: 'Vera',
      color: viewer.participant.color,
    });
    expect(snapshot.roster).toHaveLength(1);
    expect(snapshot.roster[0]).toMatchObject({ ...snapshot.you, role: 'viewer' });
  });

  it('R9: one vote per participant across tabs and reconnects; the last vote counts', async () => {
    const board = await createBoard(server.http, { title: 'Votes' });
    const mod = await issueCredential(server.http, board.id, board.token, 'Mo');
    const ann = await issueCredential(server.http, board.id, board.tokens.editor, 'Ann');
    const moderatorSession = await join(mod.credential, board.id);
    const moderator = moderatorSession.socket;
    const tab1Session = await join(ann.credential, board.id);
    const tab1 = tab1Session.socket;
    const tab2 = (await join(ann.credential, board.id)).socket;
    const opened = nextPoll(tab2, (p) => p !== null);
    await moderator.emitWithAck(SocketEvent.pollOpen, {
      kind: 'choice',
      question: 'Which?',
      options: ['A', 'B', 'C'],
    });
    const poll = (await opened)!;
    expect(await tab1.emitWithAck(SocketEvent.pollVote, { pollId: poll.id, value: 0 })).toEqual({
      ok: true,
    });
    expect(await tab2.emitWithAck(SocketEvent.pollVote, { pollId: poll.id, value: 2 })).toEqual({
      ok: true,
    });
    // Both tabs are one participant: one vote, the second replaced the first, in every tab.
    await waitFor(() => tab1Session.view.poll?.myVote === 2, 'tab 1 sees the answer from tab 2');
    await waitFor(
      () => moderatorSession.view.poll?.options[2]?.votes === 1,
      'the moderator sees the count',
    );
    expect(moderatorSession.view.poll?.voters).toBe(1);
    expect(moderatorSession.view.poll?.options.map((o) => o.votes)).toEqual([0, 0, 1]);
    expect(moderatorSession.view.poll?.myVote).toBeNull();
    // A choice poll hides its results from participants until it closes: the count only.
    await waitFor(() => tab1Session.view.poll?.voters === 1, 'tab 1 sees the count');
    expect(tab1Session.view.poll?.options.map((o) => o.votes)).toEqual([0, 0, 0]);
    // A reconnect is the same participant too.
    tab2.disconnect();
    const { snapshot } = await join(ann.credential, board.id);
    expect(snapshot.poll).toMatchObject({ voters: 1, myVote: 2 });
  });

  it('R9: nobody receives another participant’s vote, only aggregates', async () => {
    const board = await createBoard(server.http, { title: 'Secret ballot' });
    const mod = await issueCredential(server.http, board.id, board.token, 'Mo');
    const voter = await issueCredential(server.http, board.id, board.tokens.editor, 'Voter');
    const watcher = await issueCredential(server.http, board.id, board.tokens.viewer, 'Watcher');
    const moderator = (await join(mod.credential, board.id)).socket;
    const voting = await join(voter.credential, board.id);
    const watching = await join(watcher.credential, board.id);
    const received: { event: string; args: unknown[] }[] = [];
    watching.socket.onAny((event: string, ...args: unknown[]) => received.push({ event, args }));
    const opened = nextPoll(voting.socket, (p) => p !== null);
    await moderator.emitWithAck(SocketEvent.pollOpen, {
      kind: 'value',
      question: 'Conversion?',
      assumptionId: 'conversionRate',
    });
    const poll = (await opened)!;
    expect(
      await voting.socket.emitWithAck(SocketEvent.pollVote, { pollId: poll.id, value: 4.25 }),
    ).toEqual({ ok: true });
    await waitFor(() => voting.view.poll?.myVote === 4.25, 'the voter sees their own answer');
    await waitFor(() => watching.view.poll?.voters === 1, 'the watcher sees the count');
    expect(watching.view.poll?.myVote).toBeNull();
    expect(received.some((r) => r.event === SocketEvent.myVote)).toBe(false);
    const pollEvents = received.filter(
      (r) => r.event === SocketEvent.pollState || r.event === SocketEvent.changes,
    );
    expect(pollEvents.length).toBeGreaterThan(0);
    for (const r of pollEvents) {
      const { args } = r;
      if (args[0] && 'myVote' in (args[0] as PollState))
        expect((args[0] as PollState).myVote).toBeNull();
      // No poll event names who voted (the roster says who is here, not how they voted).
      const pollPart = r.event === SocketEvent.changes ? (args[0] as SessionChanges).tally : args;
      expect(JSON.stringify(pollPart ?? null)).not.toContain(voter.participant.id);
    }
  });

  it('R10: hands carry the participant id; only a moderator lowers someone else’s; reactions name their sender', async () => {
    const board = await createBoard(server.http, { title: 'Hands' });
    const mod = await issueCredential(server.http, board.id, board.token, 'Mo');
    const ed = await issueCredential(server.http, board.id, board.tokens.editor, 'Edi');
    const other = await issueCredential(server.http, board.id, board.tokens.editor, 'Eve');
    const moderatorSession = await join(mod.credential, board.id);
    const moderator = moderatorSession.socket;
    const editorSession = await join(ed.credential, board.id);
    const editor = editorSession.socket;
    // Eve claims to be Edi in every field the old handshake trusted.
    const eve = (
      await join(other.credential, board.id, {
        clientId: ed.participant.id,
        participant: { name: 'Edi', color: ed.participant.color },
      })
    ).socket;
    expect(await editor.emitWithAck(SocketEvent.handRaise)).toEqual({ ok: true });
    await waitFor(() => moderatorSession.view.hands.length === 1, 'the hand reaches the moderator');
    expect(moderatorSession.view.hands).toEqual([
      expect.objectContaining({ participantId: ed.participant.id, name: 'Edi' }) as unknown,
    ]);
    const refused = (await eve.emitWithAck(SocketEvent.handLower, {
      participantId: ed.participant.id,
    })) as AckResult;
    expect(refused).toEqual({
      ok: false,
      code: 'lowerOthersHand',
      error: 'only the moderator can lower someone else’s hand',
    });
    // Eve lowering "her own" hand does not touch Edi's.
    expect(await eve.emitWithAck(SocketEvent.handLower, {})).toEqual({ ok: true });
    // A batch goes out within 250 ms; Edi's hand is still up after it.
    await new Promise((r) => setTimeout(r, 400));
    expect(moderatorSession.view.hands.map((h: Hand) => h.participantId)).toEqual([
      ed.participant.id,
    ]);
    expect(
      await moderator.emitWithAck(SocketEvent.handLower, { participantId: ed.participant.id }),
    ).toEqual({ ok: true });
    await waitFor(() => editorSession.view.hands.length === 0, 'the hand is lowered for Edi');

    const reaction = new Promise<Reaction | undefined>((resolve) =>
      moderator.on(SocketEvent.changes, (c) => c.reactions && resolve(c.reactions.recent[0])),
    );
    await eve.emitWithAck(SocketEvent.reaction, { emoji: '👏' });
    expect(await reaction).toMatchObject({ participantId: other.participant.id, name: 'Eve' });
  });

  it('R8: a rename is a re-issued credential presented on the open socket; someone else’s is refused', async () => {
    const board = await createBoard(server.http, { title: 'Rename' });
    const ann = await issueCredential(server.http, board.id, board.tokens.editor, 'Ann');
    const bob = await issueCredential(server.http, board.id, board.tokens.editor, 'Bob');
    const { socket, view } = await join(ann.credential, board.id);
    const renamed = await issueCredential(server.http, board.id, ann.credential, 'Ann B.');
    expect(await socket.emitWithAck(SocketEvent.reauth, { token: renamed.credential })).toEqual({
      ok: true,
    });
    await waitFor(() => view.roster[0]?.name === 'Ann B.', 'the roster shows the new name');
    expect(view.roster).toEqual([
      expect.objectContaining({ id: ann.participant.id, name: 'Ann B.' }) as unknown,
    ]);
    const refused = (await socket.emitWithAck(SocketEvent.reauth, {
      token: bob.credential,
    })) as AckResult;
    expect(refused).toMatchObject({ ok: false, code: 'notYou' });
    expect(await socket.emitWithAck(SocketEvent.reauth, { token: 'garbage' })).toMatchObject({
      ok: false,
      code: 'badCredential',
    });
  });
});
