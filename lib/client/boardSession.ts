/**
 * One browser's live connection to one board:
 *
 * - a Y.Doc kept in sync with the server by the stock y-websocket provider (`/yjs/<boardId>`),
 *   and with a local IndexedDB copy (y-indexeddb) so the board opens and stays editable offline;
 * - Yjs awareness for fine-grained presence ("who is editing which assumption");
 * - a socket.io connection to the live session for the roster ("who is here").
 *
 * The session is an external store for React: `subscribe` / `getSnapshot` give the connection
 * state, roster and peers. `start()` / `stop()` open and close every connection and may be
 * called repeatedly (React StrictMode mounts effects twice); the Y.Doc survives restarts.
 */
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { IndexeddbPersistence } from 'y-indexeddb';
import { Awareness } from 'y-protocols/awareness';
import { io, type Socket } from 'socket.io-client';
import { z } from 'zod';
import {
  FATAL_CLOSE_CODES,
  SOCKET_IO_PATH,
  SocketEvent,
  YJS_PATH,
  closeReason,
  participantSchema,
  type ClientToServerEvents,
  type Role,
  type SessionAuth,
  type CloseCode,
  type Participant,
  type RosterEntry,
  type ServerToClientEvents,
} from '../protocol';
import { isAssumptionId, type AssumptionId } from '../model';
import { defineRoots } from '../board/schema';

/** Connection as the header shows it. */
export type ConnectionState =
  | { state: 'connecting' }
  | { state: 'live' }
  | { state: 'offline'; reason: string }
  | { state: 'error'; reason: string };

/** What a participant is working on right now (awareness field `editing`). */
export interface EditingTarget {
  scenarioId: string;
  assumptionId: AssumptionId;
}

/** Another tab's awareness state, validated. */
export interface PeerPresence {
  /** Awareness client id (one per tab). */
  awarenessId: number;
  /** The browser's stable id (one per person and device), when the peer sent it. */
  clientId: string | null;
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
  /** Who is on the board (socket.io), one entry per tab; null while the session is not connected. */
  roster: readonly RosterEntry[] | null;
  /** Other tabs' awareness states (never this tab). */
  peers: readonly PeerPresence[];
  /** This connection's role as the live session reports it (null until it does). */
  role: Role | null;
  /** The close code when the connection stopped for good (e.g. 4404, 4401). */
  fatalCode: number | null;
}

const editingSchema = z
  .object({ scenarioId: z.string().max(64), assumptionId: z.string() })
  .nullable()
  .catch(null)
  .transform((e): EditingTarget | null =>
    e && isAssumptionId(e.assumptionId)
      ? { scenarioId: e.scenarioId, assumptionId: e.assumptionId }
      : null,
  );

const peerStateSchema = z.object({
  user: participantSchema,
  clientId: z.string().max(64).nullable().optional().catch(null),
  editing: editingSchema.optional(),
  scenarioId: z.string().max(64).nullable().optional().catch(null),
});

const OFFLINE_REASON = 'Reconnecting… your changes are kept on this device.';
/** Back-off before retrying a socket.io handshake the server refused (e.g. while restarting). */
const SESSION_RETRY_MS = 5_000;

export class BoardSession {
  readonly doc = new Y.Doc();
  private listeners = new Set<() => void>();
  private snapshot: BoardSessionState = {
    connection: { state: 'connecting' },
    loaded: false,
    serverSynced: false,
    roster: null,
    peers: [],
    role: null,
    fatalCode: null,
  };

  private running = false;
  private provider: WebsocketProvider | null = null;
  private persistence: IndexeddbPersistence | null = null;
  private awareness: Awareness | null = null;
  private socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  private cleanups: (() => void)[] = [];
  private identity: Participant | null = null;
  private local: { editing: EditingTarget | null; scenarioId: string | null } = {
    editing: null,
    scenarioId: null,
  };
  private everLive = false;
  private wsSynced = false;
  private failures = 0;
  private fatal: string | null = null;

  constructor(
    readonly boardId: string,
    private readonly access: { token: string | null; clientId: string },
    private readonly hasBoard: (doc: Y.Doc) => boolean,
  ) {
    // Declare every root type before any update arrives (see defineRoots).
    defineRoots(this.doc);
  }

  // --- external store -------------------------------------------------------------------------

  subscribe = (onChange: () => void): (() => void) => {
    this.listeners.add(onChange);
    return () => this.listeners.delete(onChange);
  };

  getSnapshot = (): BoardSessionState => this.snapshot;

  private update(patch: Partial<BoardSessionState>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const l of this.listeners) l();
  }

  // --- lifecycle ------------------------------------------------------------------------------

  /** Open the IndexedDB copy, the Yjs connection and (once an identity is set) the live session. */
  start(): void {
    if (this.running) return;
    this.running = true;
    const { doc, boardId } = this;

    const persistence = new IndexeddbPersistence(`board-${boardId}`, doc);
    this.persistence = persistence;
    void persistence.whenSynced.then(() => {
      if (this.persistence === persistence) this.refreshLoaded();
    });

    const awareness = new Awareness(doc);
    this.awareness = awareness;
    this.publishLocalState();
    const onAwareness = () => this.readPeers();
    awareness.on('change', onAwareness);
    this.cleanups.push(() => awareness.off('change', onAwareness));

    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const provider = new WebsocketProvider(
      `${scheme}://${window.location.host}${YJS_PATH}`,
      boardId,
      doc,
      {
        awareness,
        params: this.access.token ? { token: this.access.token } : {},
        // Stop only when reconnecting cannot help (unknown board, refused credentials); a rate limit
        // or a slow connection is worth another try.
        shouldReconnect: (event) => !FATAL_CLOSE_CODES.has(event.code),
      },
    );
    this.provider = provider;
    provider.on('status', () => this.updateConnection());
    provider.on('sync', (synced) => {
      this.wsSynced = synced;
      if (synced) {
        this.everLive = true;
        this.failures = 0;
        this.update({ serverSynced: true });
        this.refreshLoaded();
      }
      this.updateConnection();
    });
    provider.on('connection-close', (event) => {
      // Emitted before the provider updates its own flags, so track the state here.
      this.wsSynced = false;
      if (event) this.failures++;
      this.updateConnection();
    });
    provider.on('closed', ({ code, reason }) => {
      // The server's reason is the most specific ("this link was replaced by the moderator…").
      this.stopWithError(
        reason || closeReason[code as CloseCode] || `connection closed (${code})`,
        code,
      );
    });

    const onDocUpdate = () => {
      if (!this.snapshot.loaded) this.refreshLoaded();
    };
    doc.on('update', onDocUpdate);
    this.cleanups.push(() => doc.off('update', onDocUpdate));

    // The browser knows before the socket does: a dropped network can leave a WebSocket looking
    // open for many seconds. Go offline at once (edits keep landing in IndexedDB) and reconnect
    // as soon as the network is back.
    const onOnline = () => {
      if (!this.fatal) {
        if (navigator.onLine) {
          this.provider?.connect();
          if (this.socket && !this.socket.connected) this.socket.connect();
        } else {
          this.provider?.disconnect();
          this.socket?.disconnect();
        }
      }
      this.updateConnection();
    };
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOnline);
    this.cleanups.push(() => {
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOnline);
    });

    if (this.identity) this.openSocket(this.identity);
    this.updateConnection();
  }

  /** Close everything this session opened; the document stays in memory for a later start(). */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    // Say goodbye first so the others' presence updates at once rather than after a timeout.
    this.awareness?.setLocalState(null);
    this.provider?.destroy();
    this.provider = null;
    this.awareness?.destroy();
    this.awareness = null;
    void this.persistence?.destroy();
    this.persistence = null;
    this.socket?.disconnect();
    this.socket = null;
    this.wsSynced = false;
    this.snapshot = { ...this.snapshot, roster: null, peers: [] };
  }

  // --- identity and presence ------------------------------------------------------------------

  /** Set or change who this tab is; connects the live session on first call. */
  setIdentity(identity: Participant): void {
    const changed =
      !this.identity ||
      this.identity.name !== identity.name ||
      this.identity.color !== identity.color;
    this.identity = identity;
    if (!changed) return;
    this.publishLocalState();
    if (!this.running) return;
    if (this.socket) this.socket.emit(SocketEvent.rename, identity);
    else this.openSocket(identity);
  }

  /** Announce (or clear) the assumption this tab is editing. */
  setEditing(editing: EditingTarget | null): void {
    const current = this.local.editing;
    if (
      current === editing ||
      (current &&
        editing &&
        current.scenarioId === editing.scenarioId &&
        current.assumptionId === editing.assumptionId)
    ) {
      return;
    }
    this.local.editing = editing;
    this.awareness?.setLocalStateField('editing', editing);
  }

  /** Announce the scenario this tab is looking at. */
  setViewing(scenarioId: string | null): void {
    if (this.local.scenarioId === scenarioId) return;
    this.local.scenarioId = scenarioId;
    this.awareness?.setLocalStateField('scenarioId', scenarioId);
  }

  private publishLocalState(): void {
    if (!this.awareness || !this.identity) return;
    this.awareness.setLocalState({
      user: this.identity,
      clientId: this.access.clientId,
      editing: this.local.editing,
      scenarioId: this.local.scenarioId,
    });
  }

  private readPeers(): void {
    const awareness = this.awareness;
    if (!awareness) return;
    const peers: PeerPresence[] = [];
    for (const [clientId, state] of awareness.getStates()) {
      if (clientId === awareness.clientID) continue;
      const parsed = peerStateSchema.safeParse(state);
      if (!parsed.success) continue;
      peers.push({
        awarenessId: clientId,
        clientId: parsed.data.clientId ?? null,
        user: parsed.data.user,
        editing: parsed.data.editing ?? null,
        scenarioId: parsed.data.scenarioId ?? null,
      });
    }
    this.update({ peers });
  }

  private openSocket(identity: Participant): void {
    const auth = (participant: Participant): SessionAuth => ({
      boardId: this.boardId,
      participant,
      token: this.access.token ?? '',
      clientId: this.access.clientId,
    });
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
      path: SOCKET_IO_PATH,
      auth: auth(identity),
    });
    this.socket = socket;
    let retry: ReturnType<typeof setTimeout> | null = null;
    socket.on(SocketEvent.snapshot, (snapshot) =>
      this.update({ roster: snapshot.roster, role: snapshot.role }),
    );
    socket.on(SocketEvent.roster, (roster) => this.update({ roster }));
    socket.on(SocketEvent.revoked, (message) => this.stopWithError(message));
    socket.on('connect', () => {
      // The identity may have changed while the handshake was in flight.
      if (this.identity && this.identity !== identity)
        socket.emit(SocketEvent.rename, this.identity);
    });
    socket.on('disconnect', () => this.update({ roster: null }));
    socket.on('connect_error', (err: Error & { data?: { status?: unknown } }) => {
      this.update({ roster: null });
      // A refusal for access (401/403/404) is final: the Yjs connection reports it to the person.
      const status = err.data?.status;
      if (status === 401 || status === 403 || status === 404) return;
      // Any other refusal by the server's middleware is not retried by socket.io itself.
      if (!socket.active && !this.fatal && retry === null) {
        retry = setTimeout(() => {
          retry = null;
          if (this.socket === socket && !this.fatal) {
            socket.auth = auth(this.identity ?? identity);
            socket.connect();
          }
        }, SESSION_RETRY_MS);
      }
    });
    this.cleanups.push(() => {
      if (retry !== null) clearTimeout(retry);
    });
  }

  /** Stop reconnecting for good and say why (unknown board, link revoked…). */
  private stopWithError(reason: string, code: number | null = null): void {
    this.fatal = reason;
    this.provider?.disconnect();
    this.socket?.disconnect();
    this.update({ fatalCode: code, roster: null });
    this.updateConnection();
  }

  // --- connection state -----------------------------------------------------------------------

  private refreshLoaded(): void {
    const loaded = this.hasBoard(this.doc);
    if (loaded !== this.snapshot.loaded) this.update({ loaded });
  }

  private updateConnection(): void {
    let connection: ConnectionState;
    if (this.fatal) {
      connection = { state: 'error', reason: this.fatal };
    } else if (this.provider && this.wsSynced) {
      connection = { state: 'live' };
    } else if (typeof navigator !== 'undefined' && !navigator.onLine) {
      connection = {
        state: 'offline',
        reason: 'This device is offline. Your changes are kept and sync when you are back.',
      };
    } else if (this.everLive || this.failures > 0) {
      connection = { state: 'offline', reason: OFFLINE_REASON };
    } else {
      connection = { state: 'connecting' };
    }
    const current = this.snapshot.connection;
    const same =
      current.state === connection.state &&
      ('reason' in current ? current.reason : null) ===
        ('reason' in connection ? connection.reason : null);
    if (!same) this.update({ connection });
  }
}
