/**
 * Load generator for bench/scale.ts, one of several processes (child_process.fork), each driving
 * a few hundred simulated participants. A participant is what a browser holds: a stock
 * y-websocket client (Y.Doc + awareness) and a socket.io live session, both with a participant
 * credential. A `light` participant sends the same Yjs frames without a Y.Doc (bench/lightPeer.ts)
 * and keeps no copy of the live session (it answers polls and counts what it receives). The parent sends one job; the worker joins its participants, says it is ready,
 * runs the schedule on the parent's go-ahead and answers with raw records (the parent matches
 * edits across workers) and its own saturation (event-loop utilisation, send lag).
 *
 * Times are wall-clock milliseconds (`performance.timeOrigin + performance.now()`), so records
 * from different processes on one machine line up; latencies count from each message's
 * *scheduled* time (no coordinated omission).
 */
import { performance } from 'node:perf_hooks';
import type * as Y from 'yjs';
import { readBoard } from '../lib/board/boardState';
import { setAssumption } from '../lib/board/scenarios';
import { ASSUMPTIONS, type AssumptionId } from '../lib/model';
import {
  REACTIONS,
  SOCKET_IO_PATH,
  SOCKET_IO_TRANSPORTS,
  SocketEvent,
  TAB_PARAM,
  newTabId,
  type AckResult,
  type IssuedParticipant,
} from '../lib/protocol';
import type { LiveView } from '../lib/client/liveView';
import { io as ioClient } from 'socket.io-client';
import { LightPeer } from './lightPeer';
import { TokenService } from '../server/auth/tokens';
import {
  connectClient,
  connectSession,
  followSession,
  type SessionSocket,
  type TestClient,
} from '../test/helpers';

process.setMaxListeners(0); // each y-websocket client adds an exit listener

export interface BoardRef {
  id: string;
  tokens: { editor: string; viewer: string };
  joinCode: string;
}

export interface MemberSpec {
  board: number;
  role: 'editor' | 'viewer';
  /** Moves assumption `assumption` of the first scenario at `hz` (values unique per edit). */
  writer?: { assumption: AssumptionId; hz: number; key: string };
  /** Records when it sees every writer's edits (the latency sample). */
  observe: boolean;
  /** Awareness updates per second (0: none). */
  presenceHz: number;
  vote: boolean;
  hand: boolean;
  /** Reactions per second (0: none). */
  reactHz: number;
  /**
   * Wire traffic only (bench/lightPeer.ts): no Y.Doc, no live-session copy. Never a writer or an
   * observer; it counts the document updates it receives (each must see every edit).
   */
  light?: boolean;
  /** How it gets its credential: signed here (set-up), or through the API by link or by code. */
  join: 'minted' | 'link' | 'code';
  /** When to start joining, ms after the job starts (joining scenario). */
  joinAtMs: number;
}

export interface Job {
  http: string;
  ws: string;
  secret: string;
  boards: BoardRef[];
  members: MemberSpec[];
  runMs: number;
  warmupMs: number;
  /** Votes are spread over this window after the poll opens. */
  pollWindowMs: number;
  /** Keys of every writer on each board (observers read them), by board index. */
  writersByBoard: Record<number, { assumption: AssumptionId; key: string }[]>;
  /** Yjs connections only (the sync scenarios, comparable with the reference y-websocket server). */
  yjsOnly?: boolean;
}

/** One edit, as its writer scheduled it. */
export interface EditRecord {
  key: string;
  value: number;
  at: number;
  counted: boolean;
}

export interface Result {
  edits: EditRecord[];
  /**
   * Values seen by observers: `${key}:${value}` -> [observer, receive time] pairs. A value the
   * server merged with a later one of the same writer is never seen on its own (the later one
   * supersedes it); scale.ts times it by the first later value an observer saw.
   */
  seen: Record<string, [string, number][]>;
  observers: number;
  /** Joining: ms from starting to connect until the board and the session snapshot were there. */
  readyMs: number[];
  /** From this worker's first scheduled join until its last participant was ready. */
  allJoinedMs: number;
  /** ... of which the Yjs sync and the socket.io snapshot (sent once the server counts them). */
  yjsMs: number[];
  ioMs: number[];
  /** Joining: credential requests refused with 429 (then retried after Retry-After). */
  issueRefusals: number;
  lastVoteAt: number;
  votesSent: number;
  votesAcked: number;
  handsRaised: number;
  reactionsSent: number;
  /** socket.io messages and bytes received per observer (JSON of the arguments). */
  ioMessages: number[];
  ioBytes: number[];
  /**
   * What each observer holds at the end: connections the room counts and listed roster entries
   * (moderators and the oldest ROSTER_LISTED_MAX others); and the presence states it sees.
   */
  rosters: { present: number; listed: number }[];
  presenceSeen: number[];
  disconnects: number;
  /**
   * Document update messages each light participant received. The server relays each edit as
   * one message, or in rooms of RELAY_MERGE_MIN_PEERS or more the edits of one event-loop turn
   * as one merged message, the same to every connection but the senders'. [board, count].
   */
  lightUpdates: [number, number][];
  /** The same count at each observer (update messages from the server that changed its doc). */
  observerUpdates: [number, number][];
  /** Connections of light participants that failed before opening and were tried again. */
  connectRetries: number;
  /** Awareness echoes the light participants sent (the stock client's yjs#732 traffic). */
  lightEchoes: number;
  elu: number;
  sendLagP99: number;
  /** The same two over the join phase (the joining scenario's schedule is its joins). */
  joinElu: number;
  joinLagP99: number;
}

const now = () => performance.timeOrigin + performance.now();
/** A connect error with what engine.io-client knows of its cause (e.g. the upgrade's status). */
const why = (err: Error) => {
  const d = (err as { description?: unknown }).description;
  const cause = d instanceof Error ? d.message : (d as { message?: string } | undefined)?.message;
  return cause ? `${err.message} (${cause})` : err.message;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The value of edit `seq` of a writer: unique per edit, inside the assumption's range. */
export function editValue(assumption: AssumptionId, seq: number): number {
  const { min, integer } = ASSUMPTIONS[assumption];
  // Whole steps for integer assumptions (the server rounds others' fractions away).
  return integer ? min + seq + 1 : min + (seq + 1) / 100;
}

const linkEpoch = (token: string): number =>
  (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { ep: number }).ep;

interface Member {
  spec: MemberSpec;
  /** Null for a light participant. */
  client: TestClient | null;
  light: LightPeer | null;
  /** Null in a Yjs-only job. */
  socket: SessionSocket | null;
  view: LiveView | null;
  io: { messages: number; bytes: number };
}

async function run(job: Job): Promise<Result> {
  const tokens = new TokenService(job.secret);
  const result: Result = {
    edits: [],
    seen: {},
    observers: 0,
    readyMs: [],
    allJoinedMs: 0,
    yjsMs: [],
    ioMs: [],
    issueRefusals: 0,
    lastVoteAt: 0,
    votesSent: 0,
    votesAcked: 0,
    handsRaised: 0,
    reactionsSent: 0,
    ioMessages: [],
    ioBytes: [],
    rosters: [],
    presenceSeen: [],
    disconnects: 0,
    lightUpdates: [],
    observerUpdates: [],
    lightEchoes: 0,
    connectRetries: 0,
    elu: 0,
    sendLagP99: 0,
    joinElu: 0,
    joinLagP99: 0,
  };
  const lags: number[] = [];
  /** Wait until `at` (wall clock) and note how late we are. */
  let countLagsFrom = Number.POSITIVE_INFINITY; // from the end of the warm-up
  const at = async (t: number) => {
    const wait = t - now();
    if (wait > 0) await sleep(wait);
    if (t >= countLagsFrom) lags.push(Math.max(0, now() - t));
  };

  async function credential(spec: MemberSpec, i: number): Promise<string> {
    const board = job.boards[spec.board]!;
    const name = `P${i}`;
    if (spec.join === 'minted') {
      const token = board.tokens[spec.role];
      const id = `p${Math.random().toString(36).slice(2, 17).padEnd(15, '0')}`;
      return tokens.signParticipant({
        boardId: board.id,
        role: spec.role,
        epoch: linkEpoch(token),
        participant: { id, name, color: '#2563eb' },
      });
    }
    for (;;) {
      let link = board.tokens[spec.role];
      if (spec.join === 'code') {
        const res = await fetch(`${job.http}/api/join`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ code: board.joinCode }),
        });
        if (res.status === 429) {
          result.issueRefusals++;
          await sleep(Number(res.headers.get('retry-after') ?? 1) * 1000);
          continue;
        }
        link = ((await res.json()) as { token: string }).token;
      }
      const res = await fetch(`${job.http}/api/boards/${board.id}/participants`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${link}` },
        body: JSON.stringify({ name, color: '#2563eb' }),
      });
      if (res.status === 429) {
        result.issueRefusals++;
        await sleep(Number(res.headers.get('retry-after') ?? 1) * 1000);
        continue;
      }
      if (!res.ok) throw new Error(`credential: ${res.status} ${await res.text()}`);
      return ((await res.json()) as IssuedParticipant).credential;
    }
  }

  const joinLags: number[] = [];
  async function join(spec: MemberSpec, i: number, t0: number): Promise<Member> {
    await sleep(Math.max(0, t0 + spec.joinAtMs - now()));
    joinLags.push(Math.max(0, now() - (t0 + spec.joinAtMs)));
    const cred = await credential(spec, i);
    const board = job.boards[spec.board]!;
    const started = now();
    const io = { messages: 0, bytes: 0 };
    if (spec.light) return joinLight(spec, board.id, cred, started, io);
    const client = connectClient(job.ws, board.id, cred);
    if (job.yjsOnly) {
      const yjsAt = await client.synced.then(now);
      result.readyMs.push(yjsAt - started);
      result.yjsMs.push(yjsAt - started);
      return { spec, client, socket: null, view: null, light: null, io };
    }
    const socket = connectSession(job.http, board.id, cred);
    const view = followSession(socket);
    if (spec.observe) {
      socket.onAny((_e: string, ...args: unknown[]) => {
        io.messages++;
        io.bytes += JSON.stringify(args).length;
      });
    }
    socket.on('disconnect', () => result.disconnects++);
    // A refusal ends the run with its reason (rather than a participant waiting forever).
    const failed = new Promise<never>((_, reject) => {
      socket.once('connect_error', (err) => reject(new Error(`socket.io refused: ${why(err)}`)));
      client.provider.on('connection-close', (event: CloseEvent | null) => {
        if (event && event.code >= 4000)
          reject(new Error(`Yjs closed ${event.code} ${event.reason}`));
      });
    });
    // The snapshot is sent once the server has added this person (its counts include them).
    const rostered = new Promise<void>((resolve) =>
      socket.once(SocketEvent.snapshot, () => resolve()),
    );
    const [yjsAt, ioAt] = await Promise.race([
      Promise.all([client.synced.then(now), rostered.then(now)]),
      failed,
    ]);
    result.readyMs.push(Math.max(yjsAt, ioAt) - started);
    result.yjsMs.push(yjsAt - started);
    result.ioMs.push(ioAt - started);
    return { spec, client, socket, view, light: null, io };
  }

  /** A light participant: the same two connections, read only as far as the run needs. */
  async function joinLight(
    spec: MemberSpec,
    boardId: string,
    cred: string,
    started: number,
    io: Member['io'],
  ): Promise<Member> {
    // One tab id for both connections, as the board page sends it.
    const tab = newTabId();
    const light = new LightPeer(job.ws, boardId, cred, tab);
    // As a browser's: it reconnects after a transport failure (a reset by a server too busy to
    // accept, counted); a refusal by the server (connect_error with data) ends the run.
    const socket: SessionSocket | null = job.yjsOnly
      ? null
      : ioClient(job.http, {
          path: SOCKET_IO_PATH,
          transports: SOCKET_IO_TRANSPORTS,
          auth: { boardId, token: cred, [TAB_PARAM]: tab },
          reconnectionDelay: 500,
          forceNew: true,
        });
    socket?.on('disconnect', () => result.disconnects++);
    // Only while joining: a disconnect during the run is counted (the target is 0), not followed
    // by a reconnect and a fresh roster, so one overloaded moment does not snowball.
    socket?.once('connect', () => socket.io.reconnection(false));
    const failed = new Promise<never>((_, reject) => {
      socket?.on('connect_error', (err) => {
        if ((err as { data?: unknown }).data !== undefined)
          reject(new Error(`socket.io refused: ${why(err)}`));
        else result.connectRetries++;
      });
      void light.closed.then(({ code, reason }) => {
        if (code >= 4000) reject(new Error(`Yjs closed ${code} ${reason}`));
      });
    });
    const snapshot = socket
      ? new Promise<void>((resolve) => socket.once(SocketEvent.snapshot, () => resolve()))
      : Promise.resolve();
    const [yjsAt, ioAt] = await Promise.race([
      Promise.all([light.synced.then(now), snapshot.then(now)]),
      failed,
    ]);
    result.readyMs.push(Math.max(yjsAt, ioAt) - started);
    result.yjsMs.push(yjsAt - started);
    if (socket) result.ioMs.push(ioAt - started);
    return { spec, client: null, socket, view: null, light, io };
  }

  // Join: a steady stream (set-up) or at the given offsets (the joining scenario).
  const t0 = now();
  const joinElu0 = performance.eventLoopUtilization();
  const members = await Promise.all(job.members.map((spec, i) => join(spec, i, t0)));
  result.allJoinedMs = now() - t0;
  result.joinElu = performance.eventLoopUtilization(joinElu0).utilization;
  joinLags.sort((a, b) => a - b);
  result.joinLagP99 = joinLags[Math.floor(joinLags.length * 0.99)] ?? 0;

  // Observers record every writer's edits on their board.
  const observerCounts: { board: number; updates: number }[] = [];
  for (const [index, m] of members.entries()) {
    if (!m.spec.observe) continue;
    result.observers++;
    const observer = `${process.pid}.${index}`;
    const writers = job.writersByBoard[m.spec.board] ?? [];
    const client = m.client!;
    const doc = client.doc;
    const scenarioId = readBoard(doc).scenarios[0]!.id;
    const last = new Map<string, number>();
    const counted = { board: m.spec.board, updates: 0 };
    observerCounts.push(counted);
    doc.on('update', (_u: Uint8Array, origin: unknown) => {
      if (origin !== client.provider) return;
      counted.updates++;
      const values = doc.getMap<Y.Map<unknown>>('scenarios').get(scenarioId)?.get('values') as
        Y.Map<number> | undefined;
      if (!values) return;
      const t = now();
      for (const w of writers) {
        const v = values.get(w.assumption);
        if (v === undefined || last.get(w.key) === v) continue;
        last.set(w.key, v);
        (result.seen[`${w.key}:${v}`] ??= []).push([observer, t]);
      }
    });
  }

  // Votes: each voter answers at a random moment of the window after the poll opens.
  for (const m of members) {
    if (!m.spec.vote || !m.socket) continue;
    let voted: string | null = null;
    const socket = m.socket;
    socket.on(SocketEvent.pollState, (poll) => {
      if (!poll || voted === poll.id) return;
      voted = poll.id;
      const when = poll.openedAt + Math.random() * job.pollWindowMs;
      void at(when).then(async () => {
        result.lastVoteAt = Math.max(result.lastVoteAt, when);
        result.votesSent++;
        const value = poll.kind === 'choice' ? Math.floor(Math.random() * poll.options.length) : 0;
        const ack = await socket
          .timeout(10_000)
          .emitWithAck(SocketEvent.pollVote, { pollId: poll.id, value })
          .then(
            (a) => a as AckResult,
            () => null,
          );
        if (ack?.ok) result.votesAcked++;
      });
    });
  }

  process.send!({ ready: true });
  const go = await new Promise<number>((resolve) =>
    process.once('message', (m: { go: number }) => resolve(m.go)),
  );
  countLagsFrom = go + job.warmupMs;
  // Read each member's scenario before the clock starts (not on the schedule's time).
  const scenarioIds = members.map((m) =>
    m.client ? readBoard(m.client.doc).scenarios[0]!.id : '',
  );
  await sleep(Math.max(0, go - now()));
  const elu0 = performance.eventLoopUtilization();
  // The stock awareness checks every 3 s whether its own state needs renewing (light ones here).
  const lights = members.flatMap((m) => (m.light ? [m.light] : []));
  const renewals = setInterval(() => {
    const t = Date.now();
    for (const l of lights) l.renewIfStale(t);
  }, 3000);
  const end = go + job.runMs;
  const loops: Promise<void>[] = [];

  /** Run `fn` every 1/hz seconds from a random phase until the end (scheduled times). */
  const every = (hz: number, fn: (seq: number, scheduled: number) => void) => {
    if (hz <= 0) return;
    const gap = 1000 / hz;
    const phase = Math.random() * gap;
    loops.push(
      (async () => {
        for (let seq = 0; ; seq++) {
          const scheduled = go + phase + seq * gap;
          if (scheduled >= end) return;
          await at(scheduled);
          fn(seq, scheduled);
        }
      })(),
    );
  };

  for (const [k, m] of members.entries()) {
    const { spec } = m;
    const scenarioId = scenarioIds[k]!;
    if (spec.writer) {
      const { assumption, hz, key } = spec.writer;
      every(hz, (seq, scheduled) => {
        const value = editValue(assumption, seq);
        result.edits.push({ key, value, at: scheduled, counted: scheduled >= go + job.warmupMs });
        setAssumption(m.client!.doc, scenarioId, assumption, value);
      });
    }
    every(spec.presenceHz, (seq) => {
      if (m.light) m.light.setPresence({ scenarioId: `s${seq % 2}` });
      else m.client!.provider.awareness.setLocalStateField('scenarioId', `s${seq % 2}`);
    });
    every(spec.reactHz, (seq) => {
      result.reactionsSent++;
      m.socket?.emit(SocketEvent.reaction, { emoji: REACTIONS[seq % REACTIONS.length]! });
    });
    if (spec.hand) {
      const when = go + Math.random() * job.runMs * 0.5;
      loops.push(
        at(when).then(() => {
          result.handsRaised++;
          m.socket?.emit(SocketEvent.handRaise);
        }),
      );
    }
  }
  await Promise.all(loops);
  // Over the run's schedule only (not the wait for late deliveries below).
  result.elu = performance.eventLoopUtilization(elu0).utilization;
  clearInterval(renewals);
  // Let the last deliveries arrive: 3 s, then as long as they still come (a server that fell
  // behind delivers late; late is counted as latency, only never is lost), at most 20 s more.
  await sleep(3000);
  const delivered = () =>
    lights.reduce((a, l) => a + l.updates, 0) +
    Object.values(result.seen).reduce((a, t) => a + t.length, 0);
  for (let before = -1, waited = 0; delivered() !== before && waited < 20_000; waited += 1000) {
    before = delivered();
    await sleep(1000);
  }
  const sortedLags = lags.sort((a, b) => a - b);
  result.sendLagP99 = sortedLags[Math.floor(sortedLags.length * 0.99)] ?? 0;
  for (const m of members) {
    if (!m.spec.observe) continue;
    result.ioMessages.push(m.io.messages);
    result.ioBytes.push(m.io.bytes);
    if (m.view) result.rosters.push({ present: m.view.present, listed: m.view.roster.length });
    result.presenceSeen.push(m.client!.provider.awareness.getStates().size - 1);
  }
  for (const o of observerCounts) result.observerUpdates.push([o.board, o.updates]);
  for (const m of members) {
    if (!m.light) continue;
    result.lightUpdates.push([m.spec.board, m.light.updates]);
    result.lightEchoes += m.light.echoes;
    result.connectRetries += m.light.retries;
  }
  const disconnectsMeasured = result.disconnects;
  process.send!({ measured: true });
  // Stay connected until the parent has read the server's figures.
  await new Promise<void>((resolve) => process.once('message', () => resolve()));
  for (const m of members) {
    m.socket?.disconnect();
    m.client?.destroy();
    m.light?.destroy();
  }
  return { ...result, disconnects: disconnectsMeasured };
}

process.once('message', (job: Job) => {
  run(job).then(
    (result) => process.send!({ result }, () => process.exit(0)),
    (err: unknown) =>
      process.send!({ error: String((err as Error).stack ?? err) }, () => process.exit(1)),
  );
});
