/**
 * Facilitation the anchors have (issue 13, item 8), over real sockets to a real server on
 * SQLite (and two instances over Redis + PostgreSQL): the agenda is the moderator's part of the
 * board; a Q&A takes short answers and one upvote per person per answer (tabs of one person are
 * one voter), only the moderator hides; an anonymous Q&A or poll never puts a name or a
 * participant id on the wire next to an answer (checked on the raw engine.io packets); every
 * answer is counted against the people present.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Pool, escapeIdentifier } from 'pg';
import {
  QA_ANSWERS_PER_PARTICIPANT,
  QA_ANSWER_MAX,
  SocketEvent,
  type AckResult,
} from '../lib/protocol';
import { readClosedPolls } from '../lib/board/polls';
import { readAgenda, setAgendaSteps, startAgendaStep, type AgendaStep } from '../lib/board/agenda';
import type { LiveView } from '../lib/client/liveView';
import { PostgresStorage } from '../server/storage/postgres';
import {
  connectSession,
  createBoard,
  followSession,
  issueCredential,
  sessionReady,
  startServer,
  tempDir,
  waitFor,
  type CreatedBoard,
  type SessionSocket,
  type TestServer,
} from './helpers';
import { attacker, handMade } from './handMade';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let servers: TestServer[] = [];
let sockets: SessionSocket[] = [];
let raws: { ws: { close(): void } }[] = [];
afterEach(async () => {
  for (const s of sockets) s.disconnect();
  for (const r of raws) r.ws.close();
  sockets = [];
  raws = [];
  for (const s of servers) await s.close();
  servers = [];
});
const schemas: string[] = [];
afterAll(async () => {
  if (schemas.length === 0) return;
  const admin = new Pool({ connectionString: DATABASE_URL, max: 1 });
  for (const s of schemas)
    await admin.query(`DROP SCHEMA IF EXISTS ${escapeIdentifier(s)} CASCADE`);
  await admin.end();
});

interface Tab {
  socket: SessionSocket;
  view: LiveView;
  /** Every engine.io packet's data as received, before socket.io decodes it. */
  raw: string[];
}

async function tab(s: TestServer, boardId: string, credential: string): Promise<Tab> {
  const socket = connectSession(s.http, boardId, credential);
  sockets.push(socket);
  const view = followSession(socket);
  const raw: string[] = [];
  socket.io.on('open', () =>
    socket.io.engine.on('packet', (p: { data?: unknown }) => {
      if (typeof p.data === 'string') raw.push(p.data);
    }),
  );
  await sessionReady(socket);
  return { socket, view, raw };
}

const ack = (p: Promise<unknown>) => p as Promise<AckResult>;

async function room(s: TestServer) {
  const board = await createBoard(s.http, { title: 'Q&A' });
  const mod = await issueCredential(s.http, board.id, board.token, 'Mo');
  const ayesha = await issueCredential(s.http, board.id, board.tokens.editor, 'Ayesha Siddiqui');
  const bilal = await issueCredential(s.http, board.id, board.tokens.editor, 'Bilal Ahmed');
  return { board, mod, ayesha, bilal };
}

describe('Q&A', () => {
  it('answers are short and capped per person; one upvote per person per answer across tabs, toggled', async () => {
    const s = await startServer({ DATA_DIR: tempDir() });
    servers.push(s);
    const { board, mod, ayesha, bilal } = await room(s);
    const moderator = await tab(s, board.id, mod.credential);
    const a1 = await tab(s, board.id, ayesha.credential);
    const a2 = await tab(s, board.id, ayesha.credential);
    const b = await tab(s, board.id, bilal.credential);
    // Three people (the moderator, Ayesha in two tabs, Bilal): the "of 3" of every count.
    await waitFor(() => moderator.view.people === 3, 'three people present');

    // Only the moderator opens one.
    expect(
      await ack(a1.socket.emitWithAck(SocketEvent.qaOpen, { question: 'What first?' })),
    ).toEqual({ ok: false, code: 'moderatorOnly', error: 'only the moderator can do that' });
    expect(
      await ack(
        moderator.socket.emitWithAck(SocketEvent.qaOpen, {
          question: 'What would you change first?',
        }),
      ),
    ).toEqual({ ok: true });
    await waitFor(() => [a1, a2, b].every((t) => t.view.qa !== null), 'the Q&A reaches everyone');
    const qaId = moderator.view.qa!.id;

    // Answers: trimmed, at most QA_ANSWER_MAX characters, at most a few per person.
    expect(
      await ack(
        b.socket.emitWithAck(SocketEvent.qaAnswer, { qaId, text: 'x'.repeat(QA_ANSWER_MAX + 1) }),
      ),
    ).toEqual({ ok: false, code: 'invalidRequest', error: 'invalid qa:answer request' });
    expect(
      await ack(b.socket.emitWithAck(SocketEvent.qaAnswer, { qaId, text: ' Cheaper broadband ' })),
    ).toEqual({ ok: true });
    await waitFor(() => a1.view.qa?.answers.length === 1, 'the answer reaches Ayesha');
    const answer = a1.view.qa!.answers[0]!;
    expect(answer).toMatchObject({ text: 'Cheaper broadband', votes: 0 });
    expect(answer.author).toEqual({ name: 'Bilal Ahmed', color: '#2563eb' });
    for (let i = 0; i < QA_ANSWERS_PER_PARTICIPANT; i++)
      expect(
        await ack(a1.socket.emitWithAck(SocketEvent.qaAnswer, { qaId, text: `Idea ${i}` })),
      ).toEqual({ ok: true });
    // The cap counts the person, not the tab.
    expect(
      await ack(a2.socket.emitWithAck(SocketEvent.qaAnswer, { qaId, text: 'One more' })),
    ).toEqual({
      ok: false,
      code: 'answersUsedUp',
      error: `you have given ${QA_ANSWERS_PER_PARTICIPANT} answers already`,
    });

    // One upvote per person: the second tab's upvote changes nothing; taking it back does.
    const up = (t: Tab, on: boolean) =>
      ack(t.socket.emitWithAck(SocketEvent.qaUpvote, { qaId, answerId: answer.id, on }));
    expect(await up(a1, true)).toEqual({ ok: true });
    expect(await up(a2, true)).toEqual({ ok: true });
    expect(await up(moderator, true)).toEqual({ ok: true });
    const votesOf = (t: Tab) => t.view.qa?.answers.find((x) => x.id === answer.id)?.votes;
    await waitFor(
      () => [moderator, a1, a2, b].every((t) => votesOf(t) === 2),
      'two upvotes everywhere',
    );
    // Both of Ayesha's tabs know she upvoted; Bilal's does not say he did.
    await waitFor(
      () => a2.view.qaUpvoted.has(answer.id) && a1.view.qaUpvoted.has(answer.id),
      'echo to both tabs',
    );
    expect(b.view.qaUpvoted.size).toBe(0);
    // The top answer is first.
    expect(b.view.qa!.answers[0]!.id).toBe(answer.id);
    // No one upvotes their own answer.
    expect(await up(b, true)).toEqual({
      ok: false,
      code: 'ownAnswer',
      error: 'you cannot upvote your own answer',
    });

    expect(await up(a2, false)).toEqual({ ok: true });
    await waitFor(() => [moderator, a1, b].every((t) => votesOf(t) === 1), 'back to one upvote');
    await waitFor(() => !a1.view.qaUpvoted.has(answer.id), 'the take-back echoed to the other tab');

    // A tab that joins now gets the answers and its person's upvotes in its snapshot.
    const a3 = await tab(s, board.id, ayesha.credential);
    expect(a3.view.qa?.answers.map((x) => x.text)).toContain('Cheaper broadband');
    expect(a3.view.qaUpvoted.size).toBe(0);

    // Closing: to everyone.
    expect(await ack(moderator.socket.emitWithAck(SocketEvent.qaClose, { qaId }))).toEqual({
      ok: true,
    });
    await waitFor(() => [a1, a2, a3, b].every((t) => t.view.qa === null), 'closed everywhere');
    expect(await up(a1, true)).toEqual({
      ok: false,
      code: 'qaClosed',
      error: 'this Q&A is closed',
    });
  });

  it('only the moderator hides an answer, and then nobody sees it', async () => {
    const s = await startServer({ DATA_DIR: tempDir() });
    servers.push(s);
    const { board, mod, ayesha, bilal } = await room(s);
    const moderator = await tab(s, board.id, mod.credential);
    const a = await tab(s, board.id, ayesha.credential);
    const b = await tab(s, board.id, bilal.credential);
    await ack(moderator.socket.emitWithAck(SocketEvent.qaOpen, { question: 'Anything?' }));
    await waitFor(() => a.view.qa !== null && b.view.qa !== null, 'open');
    const qaId = a.view.qa!.id;
    await ack(a.socket.emitWithAck(SocketEvent.qaAnswer, { qaId, text: 'Something rude' }));
    await waitFor(() => b.view.qa?.answers.length === 1, 'the answer arrives');
    const answerId = b.view.qa!.answers[0]!.id;

    for (const t of [a, b])
      expect(await ack(t.socket.emitWithAck(SocketEvent.qaHide, { qaId, answerId }))).toEqual({
        ok: false,
        code: 'moderatorOnly',
        error: 'only the moderator can do that',
      });
    expect(b.view.qa!.answers).toHaveLength(1);
    expect(await ack(moderator.socket.emitWithAck(SocketEvent.qaHide, { qaId, answerId }))).toEqual(
      { ok: true },
    );
    await waitFor(
      () => [moderator, a, b].every((t) => t.view.qa?.answers.length === 0),
      'hidden for everyone',
    );
    const late = await tab(s, board.id, bilal.credential);
    expect(late.view.qa?.answers).toEqual([]);
    expect(
      await ack(b.socket.emitWithAck(SocketEvent.qaUpvote, { qaId, answerId, on: true })),
    ).toEqual({ ok: false, code: 'answerGone', error: 'that answer is not shown any more' });
    // A poll waits until the Q&A is closed (one question to the room at a time).
    expect(
      await ack(
        moderator.socket.emitWithAck(SocketEvent.pollOpen, {
          kind: 'choice',
          question: 'Q',
          options: ['A', 'B'],
        }),
      ),
    ).toEqual({ ok: false, code: 'closeQaFirst', error: 'close the open Q&A first' });
  });

  it('an anonymous Q&A never puts the author’s name or id on the wire, to anyone', async () => {
    const s = await startServer({ DATA_DIR: tempDir() });
    servers.push(s);
    const { board, mod, ayesha, bilal } = await room(s);
    const moderator = await tab(s, board.id, mod.credential);
    const a = await tab(s, board.id, ayesha.credential);
    const b = await tab(s, board.id, bilal.credential);
    await waitFor(() => moderator.view.roster.length === 3, 'everyone has joined');
    await ack(
      moderator.socket.emitWithAck(SocketEvent.qaOpen, { question: 'Be honest', anonymous: true }),
    );
    await waitFor(() => a.view.qa?.anonymous === true && b.view.qa !== null, 'open');
    const qaId = a.view.qa!.id;
    // Roster batches (which carry names) are done: the packets below are Q&A traffic only.
    const from = [moderator, a, b].map((t) => t.raw.length);
    await ack(
      a.socket.emitWithAck(SocketEvent.qaAnswer, { qaId, text: 'The targets are unrealistic' }),
    );
    await waitFor(
      () => moderator.view.qa?.answers.length === 1 && b.view.qa?.answers.length === 1,
      'arrives',
    );
    const answerId = b.view.qa!.answers[0]!.id;
    await ack(b.socket.emitWithAck(SocketEvent.qaUpvote, { qaId, answerId, on: true }));
    await waitFor(
      () => moderator.view.qa?.answers[0]?.votes === 1 && a.view.qa?.answers[0]?.votes === 1,
      'upvoted',
    );
    const late = await tab(s, board.id, mod.credential);
    expect(late.view.qa!.answers[0]).toMatchObject({
      text: 'The targets are unrealistic',
      author: null,
    });

    const qaPackets = [moderator, a, b]
      .flatMap((t, i) => t.raw.slice(from[i]))
      .filter((p) => p.includes('The targets are unrealistic') || p.includes(answerId));
    expect(qaPackets.length).toBeGreaterThanOrEqual(4);
    // The snapshot of a late joiner carries the roster (names, by design): only its Q&A part counts.
    const lateQa = late.raw
      .filter((p) => p.includes('session:snapshot'))
      .map((p) =>
        JSON.stringify((JSON.parse(p.slice(p.indexOf('['))) as [string, { qa: unknown }])[1].qa),
      );
    for (const p of [...qaPackets, ...lateQa]) {
      for (const secret of [ayesha.participant.id, 'Ayesha', bilal.participant.id, 'Bilal'])
        expect(p, p).not.toContain(secret);
    }
  });
});

describe('anonymous polls and counts against the people present', () => {
  it('an anonymous poll says so, is counted against the people present, and is saved as counts only', async () => {
    const s = await startServer({ DATA_DIR: tempDir() });
    servers.push(s);
    const { board, mod, ayesha, bilal } = await room(s);
    const moderator = await tab(s, board.id, mod.credential);
    const a = await tab(s, board.id, ayesha.credential);
    const b = await tab(s, board.id, bilal.credential);
    await waitFor(() => a.view.people === 3, 'three people');
    expect(a.view.people).toBe(3);
    await ack(
      moderator.socket.emitWithAck(SocketEvent.pollOpen, {
        kind: 'value',
        question: 'Conversion?',
        assumptionId: 'conversionRate',
        anonymous: true,
      }),
    );
    await waitFor(() => a.view.poll?.anonymous === true && b.view.poll !== null, 'open');
    const pollId = a.view.poll!.id;
    const from = [moderator, a, b].map((t) => t.raw.length);
    await ack(b.socket.emitWithAck(SocketEvent.pollVote, { pollId, value: 6 }));
    await ack(a.socket.emitWithAck(SocketEvent.pollVote, { pollId, value: 3 }));
    await waitFor(() => moderator.view.poll?.voters === 2, 'two answers');
    expect(moderator.view.people).toBe(3);
    await ack(moderator.socket.emitWithAck(SocketEvent.pollClose, { pollId }));
    const saved = await s.server.hub.withBoard(board.id, (x) => readClosedPolls(x.doc));
    expect(saved![0]).toMatchObject({ anonymous: true, voters: 2, present: 3, values: [3, 6] });
    const stored = JSON.stringify(saved);
    for (const secret of [ayesha.participant.id, bilal.participant.id, 'Ayesha', 'Bilal'])
      expect(stored).not.toContain(secret);
    // Nobody else is told anyone's vote: only the voter's own tabs get it back.
    for (const [i, t] of [moderator, a, b].entries())
      for (const p of t.raw.slice(from[i]).filter((x) => x.includes('poll:')))
        for (const secret of [ayesha.participant.id, bilal.participant.id, 'Ayesha', 'Bilal'])
          expect(p).not.toContain(secret);
  });
});

describe('the agenda is the moderator’s', () => {
  const steps: AgendaStep[] = [
    { id: 'a1', title: 'Explore Skills-first', minutes: 10, scenarioId: null, done: false },
    { id: 'a2', title: 'Vote', minutes: 5, scenarioId: null, done: false },
  ];

  it('an editor’s write to the agenda is refused in plain words; the moderator’s is kept', async () => {
    const s = await startServer({ DATA_DIR: tempDir(), REFUSALS_BURST: '1000' });
    servers.push(s);
    const board: CreatedBoard = await createBoard(s.http, { title: 'Agenda' });
    const editor = await attacker(s, board, 'editor', (r) => raws.push(r));
    const moderator = await attacker(s, board, 'moderator', (r) => raws.push(r));
    const agenda = () => s.server.hub.withBoard(board.id, (b) => readAgenda(b.doc));

    expect(
      await editor.send(await handMade(s, board.id, (d) => setAgendaSteps(d, steps))),
    ).toMatchObject({
      kind: 'forbidden',
      message: 'Only the moderator can change the agenda.',
    });
    expect((await agenda())!.steps).toEqual([]);

    expect(
      await moderator.send(await handMade(s, board.id, (d) => setAgendaSteps(d, steps))),
    ).toBeNull();
    expect(
      await moderator.send(await handMade(s, board.id, (d) => startAgendaStep(d, 'a1'))),
    ).toBeNull();
    expect(await agenda()).toEqual({ steps, currentId: 'a1' });

    // Nor may an editor start a step or mark one done.
    expect(
      await editor.send(await handMade(s, board.id, (d) => startAgendaStep(d, 'a2'))),
    ).toMatchObject({
      kind: 'forbidden',
    });
    // Starting the next step marks the running one done.
    expect(
      await moderator.send(await handMade(s, board.id, (d) => startAgendaStep(d, 'a2'))),
    ).toBeNull();
    expect(await agenda()).toEqual({
      steps: [{ ...steps[0], done: true }, steps[1]],
      currentId: 'a2',
    });
    // A malformed agenda is refused even from the moderator.
    const bad = await moderator.send(
      await handMade(s, board.id, (d) =>
        d
          .getMap('agenda')
          .set('steps', [{ id: 'x', title: '', minutes: 0, scenarioId: null, done: false }]),
      ),
    );
    expect(bad).toMatchObject({ kind: 'invalid' });
  });
});

describe('across instances', () => {
  it('a Q&A is replicated: answers and upvotes on one instance reach the other, one upvote per person', async () => {
    const schema = `sb_test_${randomBytes(6).toString('hex')}`;
    schemas.push(schema);
    const env = { DATA_DIR: tempDir(), REDIS_URL, TOKEN_SECRET: 'x'.repeat(40) };
    const one = await startServer(env, await PostgresStorage.connect(DATABASE_URL, { schema }));
    const two = await startServer(env, await PostgresStorage.connect(DATABASE_URL, { schema }));
    servers.push(one, two);
    const { board, mod, ayesha, bilal } = await room(one);
    const moderator = await tab(one, board.id, mod.credential);
    const a1 = await tab(one, board.id, ayesha.credential);
    const a2 = await tab(two, board.id, ayesha.credential);
    const b = await tab(two, board.id, bilal.credential);
    await waitFor(() => [moderator, b].every((t) => t.view.people === 3), 'three people on both');
    await ack(moderator.socket.emitWithAck(SocketEvent.qaOpen, { question: 'What first?' }));
    await waitFor(() => [a1, a2, b].every((t) => t.view.qa !== null), 'open on both');
    const qaId = b.view.qa!.id;
    await ack(b.socket.emitWithAck(SocketEvent.qaAnswer, { qaId, text: 'Training vouchers' }));
    await waitFor(() => moderator.view.qa?.answers.length === 1, 'answer crosses instances');
    const answerId = moderator.view.qa!.answers[0]!.id;
    await ack(a1.socket.emitWithAck(SocketEvent.qaUpvote, { qaId, answerId, on: true }));
    await waitFor(() => b.view.qa?.answers[0]?.votes === 1, 'upvote crosses instances');
    await waitFor(
      () => a2.view.qaUpvoted.has(answerId),
      'the echo reaches her tab on the other instance',
    );
    await ack(a2.socket.emitWithAck(SocketEvent.qaUpvote, { qaId, answerId, on: true }));
    await ack(moderator.socket.emitWithAck(SocketEvent.qaUpvote, { qaId, answerId, on: true }));
    await waitFor(
      () => [moderator, a1, a2, b].every((t) => t.view.qa?.answers[0]?.votes === 2),
      'two upvotes everywhere',
    );
  }, 30_000);
});
