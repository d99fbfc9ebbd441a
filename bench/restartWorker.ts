/**
 * A load generator for bench:scale's restart scenario (bench/scale.ts): participants as a
 * browser holds them, with a browser's reconnection, so that a server killed under a full room
 * meets the storm a real room sends. Each is a stock y-websocket client with the board page's
 * options (the library's own backoff: 200 ms doubling to 2.5 s, no jitter) and a socket.io
 * client with the page's options (WebSocket only; the library's reconnection, 1 s doubling to 5 s
 * with jitter). POLLING=1 gives socket.io its default transports instead (long-polling first, then
 * a WebSocket), as the page opened it until 2026-12-03, to compare; TABS=0 leaves out the tab id
 * (TAB_PARAM) the page sends since 2026-12-04, likewise.
 *
 * Messages from the parent: a Job (join at `joinEveryMs`, then say `ready`), then either
 * `{ crashed: t }` (the server is killed at t: from then on, each participant's first sync and
 * session snapshot count as being back), or `{ dropped: t }` and later `{ back: t, http, ws }`:
 * the venue's network went away at t and came back (at `http`/`ws`, the way back to the server).
 * Each phone then does what the board page does on the browser's `offline` and `online` events:
 * closes both connections at once (nothing reaches the server: the network is gone) and opens
 * both again the moment the network is back. It reports once everyone is back (or after 60 s),
 * with its own event-loop lag and utilisation meanwhile, to tell when it, not the server, was the
 * limit, and keeps everyone connected until the parent's next message.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { io as ioClient } from 'socket.io-client';
import {
  SOCKET_IO_PATH,
  SOCKET_IO_TRANSPORTS,
  SocketEvent,
  TAB_PARAM,
  newTabId,
} from '../lib/protocol';

export interface RestartJob {
  http: string;
  ws: string;
  boardId: string;
  credentials: string[];
  joinEveryMs: number;
}

export interface RestartResult {
  /** Per participant: when it had the board and the roster again (ms since epoch), or 0. */
  backAt: number[];
  yjsAt: number[];
  ioAt: number[];
  /** Participants whose two connections both closed when the server died. */
  noticed: number;
  /** Yjs connections that closed without opening, and socket.io connects that failed. */
  yjsFailures: number;
  ioFailures: number;
  /** Refusals by the server (close code 4000+, or connect_error with data): should be 0. */
  refusals: string[];
  /** Event-loop utilisation and lag p99 (ms) from the crash until everyone was back. */
  elu: number;
  lagP99: number;
}

process.setMaxListeners(0); // each y-websocket client adds an exit listener

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

process.once('message', (job: RestartJob) => {
  void run(job).catch((err: unknown) => process.send!({ error: String(err) }));
});

async function run(job: RestartJob): Promise<void> {
  const refusals: string[] = [];
  const people = job.credentials.map((token) => ({
    token,
    /** One tab id for both connections, as the board page sends it. */
    tab: process.env.TABS === '0' ? undefined : newTabId(),
    provider: null as WebsocketProvider | null,
    socket: null as ReturnType<typeof ioClient> | null,
    synced: false,
    rostered: false,
    yjsAt: 0,
    ioAt: 0,
    yjsClosed: false,
    ioClosed: false,
  }));
  const tabOf = (p: { tab?: string }): Record<string, string> =>
    p.tab ? { [TAB_PARAM]: p.tab } : {};
  let crashedAt = Infinity;
  let yjsFailures = 0;
  let ioFailures = 0;

  type Person = (typeof people)[number];
  /** The live session as the board page opens it; its events mark the person as back. */
  function openSession(person: Person, http: string) {
    const socket = ioClient(http, {
      path: SOCKET_IO_PATH,
      auth: { boardId: job.boardId, token: person.token, ...tabOf(person) },
      forceNew: true,
      transports: process.env.POLLING ? ['polling', 'websocket'] : SOCKET_IO_TRANSPORTS,
    });
    // The snapshot is sent once the server has added this person (its counts include them).
    socket.on(SocketEvent.snapshot, () => {
      person.rostered = true;
      if (now() > crashedAt && !person.ioAt) person.ioAt = now();
    });
    socket.on('disconnect', () => {
      if (now() > crashedAt) person.ioClosed = true;
      person.rostered = false;
    });
    socket.on('connect_error', (err: Error & { data?: unknown }) => {
      if (err.data !== undefined) refusals.push(`socket.io ${JSON.stringify(err.data)}`);
      else if (now() > crashedAt) ioFailures++;
    });
    return socket;
  }

  for (const person of people) {
    const provider = new WebsocketProvider(job.ws, job.boardId, new Y.Doc(), {
      params: { token: person.token, ...tabOf(person) },
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
    provider.on('sync', (synced: boolean) => {
      person.synced = synced;
      if (synced && now() > crashedAt && !person.yjsAt) person.yjsAt = now();
    });
    provider.on('connection-close', (event: CloseEvent | null) => {
      if (now() > crashedAt && person.synced) person.yjsClosed = true;
      else if (now() > crashedAt) yjsFailures++;
      person.synced = false;
      if (event && event.code >= 4000) refusals.push(`Yjs ${event.code} ${event.reason}`);
    });
    const socket = openSession(person, job.http);
    person.provider = provider;
    person.socket = socket;
    await sleep(job.joinEveryMs);
  }
  // A room that never fills (connections refused without a word, a cap) ends the run with a
  // count instead of waiting forever.
  const joined = () => people.filter((p) => p.synced && p.rostered).length;
  const joinDeadline = now() + 60_000;
  while (joined() < people.length) {
    if (refusals.length > 0) throw new Error(`refused: ${refusals[0]}`);
    if (now() > joinDeadline)
      throw new Error(`${joined()} of ${people.length} had the board and the roster after 60 s`);
    await sleep(50);
  }
  process.send!({ ready: true });

  const [what] = (await nextMessage()) as [{ crashed: number } | { dropped: number }];
  if ('dropped' in what) {
    crashedAt = what.dropped;
    // The page on 'offline': both closed at once; the server is not told (the network is gone).
    for (const p of people) {
      p.provider!.disconnect();
      p.socket!.disconnect();
    }
    const [back] = (await nextMessage()) as [{ back: number; http: string; ws: string }];
    // ... and on 'online': both opened again at once, on the network as it came back.
    for (const p of people) {
      p.provider!.serverUrl = back.ws;
      p.provider!.connect();
      p.socket = openSession(p, back.http);
    }
  } else {
    crashedAt = what.crashed;
  }
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const elu0 = performance.eventLoopUtilization();
  const back = () => people.every((p) => p.yjsAt && p.ioAt);
  const deadline = now() + 60_000;
  while (!back() && now() < deadline) await sleep(20);
  lag.disable();
  const elu = performance.eventLoopUtilization(elu0).utilization;

  process.send!({
    result: {
      backAt: people.map((p) => (p.yjsAt && p.ioAt ? Math.max(p.yjsAt, p.ioAt) : 0)),
      yjsAt: people.map((p) => p.yjsAt),
      ioAt: people.map((p) => p.ioAt),
      noticed: people.filter((p) => p.yjsClosed && p.ioClosed).length,
      yjsFailures,
      ioFailures,
      refusals,
      elu,
      lagP99: lag.percentile(99) / 1e6,
    } satisfies RestartResult,
  });
  // Everyone stays connected until the parent is done reading the server (or kills this).
  await nextMessage();
  for (const p of people) {
    p.provider?.destroy();
    p.socket?.close();
  }
  process.exit(0);
}

function nextMessage(): Promise<unknown[]> {
  return new Promise((resolve) => process.once('message', (...m: unknown[]) => resolve(m)));
}
