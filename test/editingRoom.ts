/**
 * A room of participants editing one board through a load balancer, as browsers do: each has a
 * participant credential, a y-websocket provider (default reconnection) and a socket.io live
 * session with the board page's transport (a WebSocket at once, no long-polling: one connection,
 * on one instance, so no stickiness is needed).
 *
 * Each participant owns one slot (a scenario's assumption) and writes increasing values to it,
 * connected or not (edits made offline are sent when the connection is back). So:
 *   - "converged": every participant holds every slot's last written value;
 *   - an edit is "acknowledged" once another participant has seen it. The server stores an
 *     update before it relays it (server/README.md, S6), so a value someone else saw is in the
 *     database; the highest such value per slot must survive whatever happens to an instance.
 */
import * as Y from 'yjs';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { io, type Socket } from 'socket.io-client';
import { ROOT } from '../lib/board/layout';
import { addScenario, setAssumption } from '../lib/board/scenarios';
import { readBoard } from '../lib/board/boardState';
import {
  SOCKET_IO_PATH,
  SOCKET_IO_TRANSPORTS,
  SocketEvent,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '../lib/protocol';
import { connectClient, issueCredential, waitFor, type CreatedBoard } from './helpers';

/** Assumptions with wide integer ranges: any counter value is stored as written. */
const SLOT_KEYS = ['trainingOutput', 'organicSignups'] as const;
type SlotKey = (typeof SLOT_KEYS)[number];

interface Slot {
  scenarioId: string;
  key: SlotKey;
}
const slotName = (s: Slot) => `${s.scenarioId}/${s.key}`;

export interface Participant {
  index: number;
  doc: Y.Doc;
  provider: WebsocketProvider;
  session: Socket<ServerToClientEvents, ClientToServerEvents>;
  slot: Slot;
  /** The last value this participant wrote to its slot. */
  written: number;
  /** Yjs: set on a connection close, cleared (and measured) at the next sync. */
  closedAt: number | null;
  /** socket.io: set on a disconnect, cleared (and measured) at the next session snapshot. */
  sessionLostAt: number | null;
  /** The live session as this participant last heard it: timer running, a poll open. */
  live: { timerRunning: boolean; pollOpen: boolean };
}

export class EditingRoom {
  readonly participants: Participant[] = [];
  /** Per slot, the highest value some other participant has seen. */
  readonly acknowledged = new Map<string, number>();
  /** Close-to-resynced times of Yjs connections, ms. */
  readonly yjsReconnects: number[] = [];
  /** Disconnect-to-snapshot times of live sessions, ms. */
  readonly sessionReconnects: number[] = [];
  private editing: NodeJS.Timeout[] = [];
  /** Connection events (ms since the room opened), for reading a timeline when a test fails. */
  readonly events: string[] = [];
  private readonly openedAt = Date.now();
  private note(index: number, what: string): void {
    this.events.push(`${Date.now()} P${index} ${what}`);
  }

  private constructor(
    private readonly http: string,
    private readonly ws: string,
    readonly board: CreatedBoard,
    private readonly scenarioIds: string[],
  ) {}

  /**
   * Set up the board (enough scenarios for `size` slots) and connect `size` participants through
   * the balancer at `http` (its `/yjs` for Yjs).
   */
  static async open(http: string, board: CreatedBoard, size: number): Promise<EditingRoom> {
    const ws = `${http.replace(/^http/, 'ws')}/yjs`;
    const scenarios = Math.ceil(size / SLOT_KEYS.length);
    const setup = connectClient(ws, board.id, board.token);
    await setup.synced;
    for (let i = readBoard(setup.doc).scenarios.length; i < scenarios; i++)
      addScenario(setup.doc, { name: `Group ${i}` });
    await waitFor(() => setup.provider.synced, 'scenarios sent', 15_000);
    // A fresh reader sees them: they are stored.
    const check = connectClient(ws, board.id, board.token);
    await check.synced;
    await waitFor(
      () => readBoard(check.doc).scenarios.length === scenarios,
      'the scenarios to be stored',
      15_000,
    );
    const scenarioIds = readBoard(check.doc).scenarios.map((s) => s.id);
    setup.destroy();
    check.destroy();
    const room = new EditingRoom(http, ws, board, scenarioIds);
    await Promise.all(Array.from({ length: size }, (_, i) => room.join(i)));
    return room;
  }

  private async join(index: number): Promise<void> {
    const { credential } = await issueCredential(
      this.http,
      this.board.id,
      this.board.tokens.editor,
      `P${index}`,
    );
    const slot: Slot = {
      scenarioId: this.scenarioIds[index % this.scenarioIds.length]!,
      key: SLOT_KEYS[Math.floor(index / this.scenarioIds.length)]!,
    };
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(this.ws, this.board.id, doc, {
      params: { token: credential },
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
    const session: Participant['session'] = io(this.http, {
      path: SOCKET_IO_PATH,
      auth: { boardId: this.board.id, token: credential },
      transports: SOCKET_IO_TRANSPORTS,
      forceNew: true,
    });
    const p: Participant = {
      index,
      doc,
      provider,
      session,
      slot,
      written: 0,
      closedAt: null,
      sessionLostAt: null,
      live: { timerRunning: false, pollOpen: false },
    };
    provider.on('connection-close', (event: CloseEvent | null) => {
      this.note(index, `yjs closed ${event?.code ?? ''}`);
      p.closedAt ??= Date.now();
    });
    provider.on('sync', (synced: boolean) => {
      if (!synced || p.closedAt === null) return;
      this.note(index, 'yjs synced');
      this.yjsReconnects.push(Date.now() - p.closedAt);
      p.closedAt = null;
    });
    session.on('disconnect', (reason) => {
      this.note(index, `session lost: ${reason}`);
      p.sessionLostAt ??= Date.now();
    });
    session.on(
      SocketEvent.timerState,
      (timer) => (p.live = { ...p.live, timerRunning: timer.running }),
    );
    session.on(SocketEvent.pollState, (poll) => (p.live = { ...p.live, pollOpen: poll !== null }));
    session.on('connect_error', (err) => this.note(index, `session refused: ${err.message}`));
    session.io.on('reconnect_attempt', (n) => this.note(index, `session attempt ${n}`));
    session.io.on('reconnect_error', (err) =>
      this.note(index, `session attempt failed ${err.message}`),
    );
    session.on('connect', () =>
      this.note(index, `session connect ${session.io.engine.transport.name}`),
    );
    session.on(SocketEvent.snapshot, (snapshot) => {
      p.live = { timerRunning: snapshot.timer.running, pollOpen: snapshot.poll !== null };
      if (p.sessionLostAt === null) return;
      this.note(index, 'session back');
      this.sessionReconnects.push(Date.now() - p.sessionLostAt);
      p.sessionLostAt = null;
    });
    // What this participant sees of the others' slots counts as acknowledged.
    doc.getMap(ROOT.scenarios).observeDeep((events) => {
      for (const event of events) {
        const [scenarioId, field] = event.path;
        if (field !== 'values' || typeof scenarioId !== 'string') continue;
        const keys = (event as Y.YMapEvent<number>).keysChanged as Set<string>;
        for (const key of keys) {
          const name = `${scenarioId}/${key}`;
          if (name === slotName(slot)) continue;
          const value = (event.target as Y.Map<number>).get(key);
          if (typeof value === 'number' && value > (this.acknowledged.get(name) ?? 0))
            this.acknowledged.set(name, value);
        }
      }
    });
    this.participants.push(p);
    // Both listened for from the start: either may come first.
    await Promise.all([
      new Promise<void>((resolve) => {
        if (provider.synced) resolve();
        else provider.once('sync', (synced: boolean) => synced && resolve());
      }),
      new Promise<void>((resolve, reject) => {
        session.once(SocketEvent.snapshot, () => resolve());
        session.once('connect_error', reject);
      }),
    ]);
  }

  /** Every participant writes the next value to its slot every `intervalMs`, online or not. */
  startEditing(intervalMs: number): void {
    for (const p of this.participants) {
      const edit = () => {
        p.written += 1;
        setAssumption(p.doc, p.slot.scenarioId, p.slot.key, p.written);
      };
      // Spread over the interval so the room does not write in lockstep.
      const offset = setTimeout(() => {
        edit();
        this.editing.push(setInterval(edit, intervalMs));
      }, Math.random() * intervalMs);
      this.editing.push(offset);
    }
  }

  stopEditing(): void {
    for (const timer of this.editing) clearInterval(timer);
    this.editing = [];
  }

  /** Edits written so far, all participants together. */
  get editsWritten(): number {
    return this.participants.reduce((sum, p) => sum + p.written, 0);
  }

  /** Whether `doc` holds every slot's last written value. */
  holdsEveryLastEdit(doc: Y.Doc): boolean {
    const scenarios = doc.getMap<Y.Map<unknown>>(ROOT.scenarios);
    return this.participants.every((p) => {
      const values = scenarios.get(p.slot.scenarioId)?.get('values') as Y.Map<number> | undefined;
      return values?.get(p.slot.key) === p.written;
    });
  }

  /** Wait until every participant holds every slot's last written value. */
  async waitConverged(timeoutMs: number): Promise<number> {
    const start = Date.now();
    await waitFor(
      () => this.participants.every((p) => this.holdsEveryLastEdit(p.doc)),
      'every participant to hold every last edit',
      timeoutMs,
    );
    return Date.now() - start;
  }

  /** Acknowledged values (seen by another participant) that `doc` does not hold. */
  lostAcknowledged(doc: Y.Doc): string[] {
    const scenarios = doc.getMap<Y.Map<unknown>>(ROOT.scenarios);
    const lost: string[] = [];
    for (const [name, value] of this.acknowledged) {
      const [scenarioId, key] = name.split('/');
      const values = scenarios.get(scenarioId!)?.get('values') as Y.Map<number> | undefined;
      const held = values?.get(key!);
      if (typeof held !== 'number' || held < value) lost.push(`${name}: ${value} -> ${held}`);
    }
    return lost;
  }

  /** Whether every live session is connected and has its snapshot again. */
  get sessionsBack(): boolean {
    return this.participants.every((p) => p.session.connected && p.sessionLostAt === null);
  }

  close(): void {
    this.stopEditing();
    for (const p of this.participants) {
      p.session.disconnect();
      p.provider.destroy();
      p.doc.destroy();
    }
  }
}
