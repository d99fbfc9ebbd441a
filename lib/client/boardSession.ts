/**
 * One browser's live connection to one board:
 *
 * - a Y.Doc kept in sync with the server by the stock y-websocket provider (`/yjs/<boardId>`),
 *   and with a local IndexedDB copy (y-indexeddb) so the board opens and stays editable offline;
 * - Yjs awareness for fine-grained presence ("who is editing which assumption");
 * - a socket.io connection to the live session for the roster ("who is here").
 *
 * Identity: once the person has a display name, the session gets a participant credential for
 * it from the server (identity.ts) and presents it on both transports, so the server attributes
 * everything to that participant id. Before that (the name prompt, read-only views) the Yjs
 * connection uses the board link alone and there is no live session.
 *
 * The session is an external store for React: `subscribe` / `getSnapshot` give the connection
 * state, roster and peers. `start()` / `stop()` open and close every connection and may be
 * called repeatedly (React StrictMode mounts effects twice); the Y.Doc survives restarts.
 */
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import { IndexeddbPersistence } from 'y-indexeddb';
import { Awareness } from 'y-protocols/awareness';
import { io, type Socket } from 'socket.io-client';
import {
  CLIENT_VERSION_FIELDS,
  CloseCode as CloseCodes,
  FATAL_CLOSE_CODES,
  PROTOCOL_VERSION,
  LINK_REPLACED_MESSAGE,
  SOCKET_IO_PATH,
  SocketEvent,
  YJS_PATH,
  YMessage,
  closeReason,
  type ClientToServerEvents,
  type CloseCode,
  type Participant,
  type ServerToClientEvents,
} from '../protocol';
import { defineRoots } from '../board/schema';
import { SCHEMA_VERSION } from '../board/schemaVersion';
import { ApiRequestError } from './api';
import { applyRosterChanges } from './liveView';
import {
  LINK_REPLACED,
  SAVING_PAUSED_REASON,
  type BoardSessionState,
  type ConnectionState,
  type EditingTarget,
} from './sessionState';
import { peersOf } from './peers';
import { RESET_WORDS, noticeWords, parseNotice } from './yjsNotices';
import { LiveRequests, LiveStore, followLiveSession, type LiveSocket } from './liveSession';
import { obtainCredential, storedCredential, type HeldCredential } from './identity';

export {
  LINK_REPLACED,
  REACTION_TTL_MS,
  SAVING_PAUSED_REASON,
  type BoardSessionState,
  type ConnectionState,
  type EditingTarget,
  type LiveReaction,
  type LiveSessionState,
  type PeerPresence,
} from './sessionState';

/**
 * This client's versions, sent in every handshake (Yjs query parameters, socket.io auth): a server
 * that serves only newer clients closes with CloseCode.clientOutdated and the page asks for a
 * reload. The board's IndexedDB copy keeps unsent edits across it.
 */
const CLIENT_VERSIONS = {
  [CLIENT_VERSION_FIELDS.protocol]: String(PROTOCOL_VERSION),
  [CLIENT_VERSION_FIELDS.schema]: String(SCHEMA_VERSION),
};

const OFFLINE_REASON = 'Reconnecting… your changes are kept on this device.';
/** Back-off before retrying a socket.io handshake the server refused (e.g. while restarting). */
const SESSION_RETRY_MS = 5_000;

export class BoardSession extends LiveRequests {
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
    me: null,
    joinNotice: null,
    notice: null,
  };

  /** The live session's own store (timer, poll, hands, Q&A, reactions). */
  private readonly liveStore = new LiveStore();

  private running = false;
  private provider: WebsocketProvider | null = null;
  private persistence: IndexeddbPersistence | null = null;
  private awareness: Awareness | null = null;
  private socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  private cleanups: (() => void)[] = [];
  /** The name and colour the person chose (null: not yet). */
  private identity: Participant | null = null;
  /** The participant credential both transports present (null: the board link alone). */
  private credential: string | null = null;
  private issuing = false;
  private reissue = false;
  private issueRetry: ReturnType<typeof setTimeout> | null = null;
  private local: { editing: EditingTarget | null; scenarioId: string | null } = {
    editing: null,
    scenarioId: null,
  };
  private everLive = false;
  private wsSynced = false;
  private failures = 0;
  /** The server closed with "saving paused" and has not synced since. */
  private savingPaused = false;
  private fatal: string | null = null;

  constructor(
    readonly boardId: string,
    private readonly access: { token: string | null },
    private readonly hasBoard: (doc: Y.Doc) => boolean,
  ) {
    super();
    // Declare every root type before any update arrives (see defineRoots).
    defineRoots(this.doc);
  }

  // --- external store -------------------------------------------------------------------------

  subscribe = (onChange: () => void): (() => void) => {
    this.listeners.add(onChange);
    return () => this.listeners.delete(onChange);
  };

  getSnapshot = (): BoardSessionState => this.snapshot;

  private noticeKey = 0;
  private showNotice(message: string): void {
    this.update({ notice: { key: ++this.noticeKey, message } });
  }

  private update(patch: Partial<BoardSessionState>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const l of this.listeners) l();
  }

  // --- live-session store (timer, poll, hands, reactions) -------------------------------------

  subscribeLive = this.liveStore.subscribe;

  getLive = this.liveStore.get;

  protected liveSocket(): LiveSocket | null {
    return this.socket;
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
    const onAwareness = () => this.readPeers();
    awareness.on('change', onAwareness);
    this.cleanups.push(() => awareness.off('change', onAwareness));

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
          if (this.identity && !this.credentialFits()) void this.ensureCredential();
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
      if (this.issueRetry !== null) clearTimeout(this.issueRetry);
      this.issueRetry = null;
    });

    // A credential this device already holds for this link works at once (offline too); a name
    // without one waits for the server to issue it, so edits are never sent without it.
    const stored = storedCredential(boardId, this.access.token);
    if (stored) this.adoptCredential(stored);
    this.publishLocalState();
    if (this.identity) void this.ensureCredential();
    if (!this.identity || stored) this.openProvider();
    if (this.credential) this.openSocket();
    this.updateConnection();
  }

  /**
   * The token for API calls made under this person's name (e.g. recording the decision): the
   * participant credential once issued, else the board link.
   */
  signedToken(): string | null {
    return this.credential ?? this.access.token;
  }

  /** The Yjs connection, with the credential if there is one, else the board link. */
  private openProvider(): void {
    if (this.provider || !this.running) return;
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const token = this.credential ?? this.access.token;
    const provider = new WebsocketProvider(
      `${scheme}://${window.location.host}${YJS_PATH}`,
      this.boardId,
      this.doc,
      {
        awareness: this.awareness ?? undefined,
        params: token ? { token, ...CLIENT_VERSIONS } : { ...CLIENT_VERSIONS },
        // Stop only when reconnecting cannot help (unknown board, refused credentials); a rate limit
        // or a slow connection is worth another try.
        shouldReconnect: (event) => !FATAL_CLOSE_CODES.has(event.code),
        connect: !this.fatal && navigator.onLine,
      },
    );
    this.provider = provider;
    // The server says why it refused a change (our own message type; see lib/protocol.ts).
    provider.messageHandlers[YMessage.notice] = (_encoder, decoder) => {
      const notice = parseNotice(decoding.readVarString(decoder));
      if (notice) this.showNotice(noticeWords(notice));
    };
    provider.on('status', () => this.updateConnection());
    provider.on('sync', (synced) => {
      this.wsSynced = synced;
      if (synced) {
        this.everLive = true;
        this.failures = 0;
        this.savingPaused = false;
        this.update({ serverSynced: true });
        this.refreshLoaded();
      }
      this.updateConnection();
    });
    provider.on('connection-close', (event) => {
      // Emitted before the provider updates its own flags, so track the state here.
      this.wsSynced = false;
      if (event) this.failures++;
      // Set until the next successful sync: the retries meanwhile may close in other ways.
      if (event?.code === CloseCodes.savingPaused) this.savingPaused = true;
      const words = event ? RESET_WORDS[event.code] : undefined;
      if (words) this.showNotice(words);
      this.updateConnection();
    });
    provider.on('closed', ({ code, reason }) => {
      // The server's reason is the most specific ("Your link was replaced by the moderator…").
      this.stopWithError(
        reason || closeReason[code as CloseCode] || `connection closed (${code})`,
        code,
      );
    });
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

  // --- participant credential -----------------------------------------------------------------

  /** Whether the credential in use carries the chosen name and colour. */
  private credentialFits(): boolean {
    const me = this.snapshot.me;
    return (
      this.credential !== null &&
      me !== null &&
      me.name === this.identity?.name &&
      me.color === this.identity.color
    );
  }

  /**
   * Get (or re-issue, after a rename) the credential for the chosen name, then present it on
   * both transports. One request at a time; a name chosen meanwhile is issued right after.
   */
  private async ensureCredential(): Promise<void> {
    if (this.issuing) {
      this.reissue = true;
      return;
    }
    const linkToken = this.access.token;
    if (!linkToken) return;
    this.issuing = true;
    try {
      do {
        this.reissue = false;
        const wanted = this.identity;
        if (!wanted || !this.running || this.fatal) return;
        let issued: HeldCredential;
        try {
          issued = await obtainCredential(this.boardId, linkToken, wanted);
        } catch (err) {
          this.credentialRefused(err);
          return;
        }
        if (this.running && !this.fatal) this.adoptCredential(issued);
      } while (this.reissue);
    } finally {
      this.issuing = false;
    }
  }

  /** Present a (new) credential: reconnect Yjs with it, and open or re-authenticate the session. */
  private adoptCredential({ credential, participant }: HeldCredential): void {
    const previous = this.credential;
    this.credential = credential;
    this.update({ me: participant, joinNotice: null });
    this.publishLocalState();
    if (!this.running) return;
    if (!this.provider) this.openProvider();
    else if (previous !== credential) {
      // The server binds who a Yjs connection is when it opens: reopen it with the credential.
      this.provider.params = { token: credential, ...CLIENT_VERSIONS };
      if (this.provider.shouldConnect) {
        this.provider.disconnect();
        this.provider.connect();
      }
    }
    if (!this.socket) this.openSocket();
    else if (previous !== credential) this.reauthenticate(credential);
  }

  /** Tell the live session about a re-issued credential (same id); reconnect if it refuses. */
  private reauthenticate(credential: string): void {
    const socket = this.socket;
    if (!socket?.connected) return; // the next connect presents it
    void this.request((s, ack) => s.emit(SocketEvent.reauth, { token: credential }, ack)).then(
      (result) => {
        if (this.socket !== socket || this.credential !== credential || result.ok) return;
        socket.disconnect();
        socket.connect();
      },
    );
  }

  /** The server did not issue a credential: say why, stop if the link is dead, else retry. */
  private credentialRefused(err: unknown): void {
    const status = err instanceof ApiRequestError ? err.status : 0;
    if (status === 401 || status === 403) {
      this.stopWithError(
        err instanceof Error ? err.message : 'link not valid',
        status === 401 ? CloseCodes.unauthorized : CloseCodes.forbidden,
      );
      return;
    }
    if (status === 404) {
      this.stopWithError(closeReason[CloseCodes.boardNotFound], CloseCodes.boardNotFound);
      return;
    }
    const retryMs =
      err instanceof ApiRequestError && err.retryAfterMs !== null
        ? err.retryAfterMs
        : SESSION_RETRY_MS;
    this.update({
      joinNotice:
        status === 429 && err instanceof Error
          ? `${err.message.charAt(0).toUpperCase()}${err.message.slice(1)}.`
          : 'Joining the board…',
    });
    // Show the board meanwhile (read-only in the UI until the credential arrives).
    this.openProvider();
    if (this.issueRetry === null) {
      this.issueRetry = setTimeout(() => {
        this.issueRetry = null;
        void this.ensureCredential();
      }, retryMs);
    }
  }

  // --- identity and presence ------------------------------------------------------------------

  /**
   * Set or change the name and colour this person chose: the server issues (or re-issues, keeping
   * the participant id) a credential for it, and both transports switch to it.
   */
  setIdentity(identity: Participant): void {
    const changed =
      !this.identity ||
      this.identity.name !== identity.name ||
      this.identity.color !== identity.color;
    this.identity = identity;
    if (!changed) return;
    this.publishLocalState();
    if (this.running && !this.credentialFits()) void this.ensureCredential();
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
    const me = this.snapshot.me;
    const user = me ? { name: me.name, color: me.color } : this.identity;
    if (!this.awareness || !user) return;
    this.awareness.setLocalState({
      user,
      participantId: me?.id ?? null,
      editing: this.local.editing,
      scenarioId: this.local.scenarioId,
    });
  }

  private readPeers(): void {
    const awareness = this.awareness;
    if (!awareness) return;
    this.update({ peers: peersOf(awareness) });
  }

  /** The live session, with the credential (read again on every reconnect). */
  private openSocket(): void {
    if (this.socket || !this.credential || !this.running) return;
    let presented: string | null = null;
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
      path: SOCKET_IO_PATH,
      auth: (send) => {
        presented = this.credential;
        send({ boardId: this.boardId, token: presented ?? '', ...CLIENT_VERSIONS });
      },
      autoConnect: !this.fatal && navigator.onLine,
    });
    this.socket = socket;
    let retry: ReturnType<typeof setTimeout> | null = null;
    socket.on(SocketEvent.snapshot, (snapshot) => {
      this.update({ roster: snapshot.roster, role: snapshot.role });
      // Renamed while the handshake was in flight: present the newer credential.
      if (this.credential && this.credential !== presented) this.reauthenticate(this.credential);
    });
    // The server batches what changed: the roster here, the rest in the live store (below).
    socket.on(SocketEvent.changes, (changes) => {
      if (changes.roster && this.snapshot.roster)
        this.update({ roster: applyRosterChanges(this.snapshot.roster, changes.roster) });
    });
    socket.on(SocketEvent.revoked, (message) => this.stopWithError(message));
    socket.on('disconnect', () => this.update({ roster: null }));
    socket.on('connect_error', (err: Error & { data?: { status?: unknown } }) => {
      this.update({ roster: null });
      // A refusal for access (401/403/404) is final: the Yjs connection reports it to the person.
      const status = err.data?.status;
      if (status === 401 || status === 403 || status === 404) return;
      // Too old for this server: stop, and the page asks for a reload (offline edits are kept).
      if (status === 426) {
        this.stopWithError(closeReason[CloseCodes.clientOutdated], CloseCodes.clientOutdated);
        return;
      }
      // Any other refusal by the server's middleware is not retried by socket.io itself.
      if (!socket.active && !this.fatal && retry === null) {
        retry = setTimeout(() => {
          retry = null;
          if (this.socket === socket && !this.fatal) socket.connect();
        }, SESSION_RETRY_MS);
      }
    });
    this.cleanups.push(() => {
      if (retry !== null) clearTimeout(retry);
      this.liveStore.stop();
    });
    followLiveSession(socket, this.liveStore, () => this.socket === socket);
  }

  /** Stop reconnecting for good and say why (unknown board, link revoked…). */
  private stopWithError(reason: string, code: number | null = null): void {
    // The page adds its own full stop; the Yjs endpoint's short reason gets the full sentence.
    const clean = reason.trim().replace(/\.$/, '');
    this.fatal =
      clean === LINK_REPLACED_MESSAGE || /link(s)? .*replaced|replaced the links/i.test(clean)
        ? LINK_REPLACED
        : clean;
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
    } else if (this.savingPaused) {
      connection = { state: 'paused', reason: SAVING_PAUSED_REASON };
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
