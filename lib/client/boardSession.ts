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
import equal from 'fast-deep-equal/es6';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import { IndexeddbPersistence, clearDocument } from 'y-indexeddb';
import { Awareness } from 'y-protocols/awareness';
import { io, type Socket } from 'socket.io-client';
import {
  CLIENT_VERSION_FIELDS,
  CloseCode as CloseCodes,
  FATAL_CLOSE_CODES,
  PROTOCOL_VERSION,
  LINK_REPLACED_MESSAGE,
  SOCKET_IO_PATH,
  SOCKET_IO_TRANSPORTS,
  TAB_PARAM,
  newTabId,
  SocketEvent,
  YJS_PATH,
  YMessage,
  closeReason,
  readCloseReason,
  type ApiErrorCode,
  type ClientToServerEvents,
  type CloseCode,
  type Participant,
  type ServerToClientEvents,
} from '../protocol';
import { defineRoots } from '../board/layout';
import { SCHEMA_VERSION } from '../board/schemaVersion';
import { ApiRequestError } from './apiClient';
import { applyRosterChanges } from './liveView';
import { inspectStoredCopy, storedCopyVerdict, unsentEditsFile } from './storedCopy';
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
import { withTimeout } from '../withTimeout';

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
/** How long after the first sync a refusal still counts as the board refusing the stored copy. */
const MERGE_WATCH_MS = 10_000;
/** The IndexedDB name of the board copy, and of edits set aside because they could not merge. */
const storedCopyName = (boardId: string) => `board-${boardId}`;
const asideName = (boardId: string) => `board-${boardId}-unsent`;

/** How long the page waits for its stored copy before it connects without checking it. */
const STORED_COPY_WAIT_MS = 3_000;

/**
 * Empty a y-indexeddb copy's stored updates through its own connection (deleting the database
 * would wait for every other tab holding it open).
 */
function clearUpdates(persistence: IndexeddbPersistence): Promise<void> {
  const db = persistence.db;
  if (!db) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(['updates'], 'readwrite');
    tx.objectStore('updates').clear();
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('could not clear the stored copy'));
  });
}
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
    people: 0,
    peers: [],
    role: null,
    fatalCode: null,
    me: null,
    joinNotice: null,
    notice: null,
    unsentEdits: null,
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
  /** Why, as an API error code, when the server named one (the page words it). */
  private fatalReason: ApiErrorCode | null = null;
  /** Reading the stored copy before connecting (once per session; see checkStoredCopy). */
  private storedCopyCheck: Promise<void> | null = null;
  /** Whether start() has opened the connections (stop() closes them). */
  private opened = false;
  /** Whether this start's credential request went out before open() (see setIdentity). */
  private askedBeforeOpen = false;
  /**
   * The stored copy being merged, kept until the board accepted it: a refusal before this tab's
   * own first edit, or within MERGE_WATCH_MS of the first sync, sets it aside (storedCopy.ts).
   */
  private mergeWatch: Y.Doc | null = null;
  /** Edits set aside for the download (unsentEdits in the snapshot). */
  private unsent: { stored: Y.Doc; reason: string } | null = null;
  /**
   * This page's id in every handshake (TAB_PARAM): when it connects again, the server drops its
   * previous connection at once rather than hold it half-open after a network drop.
   */
  private readonly tab = newTabId();

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
  private showNotice(message: string, about: { refusal?: string; reset?: number } = {}): void {
    this.update({ notice: { key: ++this.noticeKey, message, ...about } });
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

  /**
   * Check the stored copy (once), then open the IndexedDB copy, the Yjs connection and (once an
   * identity is set) the live session.
   */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.storedCopyCheck ??= this.checkStoredCopy();
    void this.storedCopyCheck.then(() => {
      if (this.running && !this.opened) this.open();
    });
  }

  /**
   * Read the board copy this browser kept before it meets the server: a copy that cannot be
   * merged (storedCopyVerdict) is set aside under its own name and offered as a download, and
   * the board opens from the server. Without IndexedDB there is nothing stored to lose.
   */
  private async checkStoredCopy(): Promise<void> {
    try {
      const stored = new Y.Doc();
      defineRoots(stored);
      const reader = new IndexeddbPersistence(storedCopyName(this.boardId), stored);
      try {
        // A copy that does not open in time (storage blocked by another tab) merges as before.
        await withTimeout(reader.whenSynced, STORED_COPY_WAIT_MS);
        await this.offerKeptAside();
        const holdsBoard = this.hasBoard(stored);
        const verdict = storedCopyVerdict(inspectStoredCopy(stored, holdsBoard, SCHEMA_VERSION));
        if (verdict.action === 'offerDownload') {
          await this.setAside(stored, verdict.reason);
          await clearUpdates(reader);
        } else if (holdsBoard) {
          this.mergeWatch = stored;
        }
      } finally {
        // Not awaited: a database that never opened never closes either.
        void reader.destroy();
      }
    } catch {
      // No IndexedDB (private mode, blocked storage): the board opens from the server.
    }
  }

  /**
   * Offer `stored` for download, and keep it under its own IndexedDB name (merged with any kept
   * before) so a reload offers it again until the person has saved it.
   */
  private async setAside(stored: Y.Doc, reason: string): Promise<void> {
    this.unsent = { stored, reason };
    this.update({ unsentEdits: { reason } });
    const aside = new IndexeddbPersistence(asideName(this.boardId), stored);
    try {
      await withTimeout(aside.whenSynced, STORED_COPY_WAIT_MS);
      await aside.set('reason', reason);
    } finally {
      void aside.destroy();
    }
  }

  /** Offer again edits set aside on an earlier visit and not yet saved. */
  private async offerKeptAside(): Promise<void> {
    const name = asideName(this.boardId);
    const known = await indexedDB.databases?.();
    if (known && !known.some((d) => d.name === name)) return;
    const stored = new Y.Doc();
    defineRoots(stored);
    const aside = new IndexeddbPersistence(name, stored);
    try {
      await withTimeout(aside.whenSynced, STORED_COPY_WAIT_MS);
      const reason: unknown = await aside.get('reason');
      if (typeof reason === 'string' && this.hasBoard(stored)) {
        this.unsent = { stored, reason };
        this.update({ unsentEdits: { reason } });
      }
    } finally {
      void aside.destroy();
    }
  }

  /** The board refused what this tab sent while the stored copy merged: set the copy aside. */
  private mergeRefused(message: string): void {
    const stored = this.mergeWatch;
    this.mergeWatch = null;
    if (!stored) return;
    const facts = inspectStoredCopy(stored, true, SCHEMA_VERSION);
    const verdict = storedCopyVerdict({ ...facts, refusal: message });
    if (verdict.action === 'offerDownload') void this.setAside(stored, verdict.reason);
  }

  /** The unsent edits as a JSON file's text (null when there are none). */
  unsentEditsJson(): string | null {
    if (!this.unsent) return null;
    const file = unsentEditsFile({
      boardId: this.boardId,
      stored: this.unsent.stored,
      live: this.snapshot.serverSynced ? this.doc : null,
      reason: this.unsent.reason,
    });
    return JSON.stringify(file, null, 2);
  }

  /** Forget the unsent edits (after the person saved the file). */
  discardUnsentEdits(): void {
    this.unsent = null;
    this.update({ unsentEdits: null });
    void clearDocument(asideName(this.boardId)).catch(() => undefined);
  }

  private open(): void {
    this.opened = true;
    const { doc, boardId } = this;

    const persistence = new IndexeddbPersistence(storedCopyName(boardId), doc);
    this.persistence = persistence;
    void persistence.whenSynced.then(() => {
      if (this.persistence === persistence) this.refreshLoaded();
    });

    const awareness = new Awareness(doc);
    this.awareness = awareness;
    const onAwareness = () => this.readPeers();
    awareness.on('change', onAwareness);
    this.cleanups.push(() => awareness.off('change', onAwareness));

    const onDocUpdate = (_update: Uint8Array, origin: unknown) => {
      if (!this.snapshot.loaded) this.refreshLoaded();
      // This tab's own edit: refusals from now on are about it, not about the stored copy.
      if (origin !== this.provider && origin !== this.persistence) this.mergeWatch = null;
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
    // setIdentity may have asked already, while the stored copy was read: ask again only if
    // that request is neither under way, nor done, nor waiting to retry.
    const retrying = this.issueRetry !== null;
    const asked = this.askedBeforeOpen && (this.issuing || retrying || this.credential !== null);
    if (this.identity && !asked) void this.ensureCredential();
    // A refused request (credentialRefused) shows the board read-only meanwhile, as after open.
    if (!this.identity || stored || this.credential || retrying) this.openProvider();
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
    // Only after open(): the provider must share the session's awareness (this.awareness), or
    // this tab's presence would go to an awareness no connection carries.
    if (this.provider || !this.running || !this.opened) return;
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const token = this.credential ?? this.access.token;
    const provider = new WebsocketProvider(
      `${scheme}://${window.location.host}${YJS_PATH}`,
      this.boardId,
      this.doc,
      {
        awareness: this.awareness ?? undefined,
        params: {
          ...(token ? { token } : {}),
          ...CLIENT_VERSIONS,
          [TAB_PARAM]: this.tab,
        },
        // Stop only when reconnecting cannot help (unknown board, refused credentials); a rate limit
        // or a slow connection is worth another try.
        shouldReconnect: (event) => !FATAL_CLOSE_CODES.has(event.code),
        connect: !this.fatal && navigator.onLine,
        // No BroadcastChannel between this browser's tabs: each tab has its own connection and
        // gets every change through the server, and posting every update and presence change to
        // the other tabs cost the lever drag a structured clone per pointer move (bench/phone.ts).
        disableBc: true,
      },
    );
    this.provider = provider;
    // The server says why it refused a change (our own message type; see lib/protocol.ts).
    provider.messageHandlers[YMessage.notice] = (_encoder, decoder) => {
      const notice = parseNotice(decoding.readVarString(decoder));
      if (!notice) return;
      this.showNotice(noticeWords(notice), { refusal: notice.kind });
      if (this.mergeWatch && notice.kind !== 'viewOnly') this.mergeRefused(notice.message);
    };
    provider.on('status', () => this.updateConnection());
    provider.on('sync', (synced) => {
      this.wsSynced = synced;
      if (synced) {
        if (this.mergeWatch && !this.everLive) {
          const watched = this.mergeWatch;
          setTimeout(() => {
            if (this.mergeWatch === watched) this.mergeWatch = null;
          }, MERGE_WATCH_MS);
        }
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
      if (words && event) this.showNotice(words, { reset: event.code });
      this.updateConnection();
    });
    provider.on('closed', ({ code, reason }) => {
      // The server's reason is the most specific ("Your link was replaced by the moderator…");
      // an access refusal names its code first, for the page to say in the reader's language.
      const said = readCloseReason(reason);
      this.stopWithError(
        said.message || closeReason[code as CloseCode] || `connection closed (${code})`,
        code,
        said.code,
      );
    });
    this.updateConnection();
  }

  /** Close everything this session opened; the document stays in memory for a later start(). */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.opened = false;
    this.askedBeforeOpen = false;
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
    if (!this.opened) return; // open() connects with it
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
        err instanceof ApiRequestError ? err.code : null,
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
    if (this.opened) {
      if (!this.credentialFits()) void this.ensureCredential();
    } else if (this.running) {
      // The credential does not depend on the stored copy: ask while IndexedDB is read, so the
      // connections open a round trip sooner (bench/phone.ts, first chart). open() uses it; a
      // name changed meanwhile is issued after (ensureCredential's reissue).
      this.askedBeforeOpen = true;
      void this.ensureCredential();
    }
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
    // This tab's own presence (what it is editing) changes on every pointerdown: that is not a
    // change of the others, and must not re-render the board in the input event.
    const peers = peersOf(awareness);
    if (!equal(peers, this.snapshot.peers)) this.update({ peers });
  }

  /** The live session, with the credential (read again on every reconnect). */
  private openSocket(): void {
    if (this.socket || !this.credential || !this.running) return;
    let presented: string | null = null;
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
      path: SOCKET_IO_PATH,
      transports: SOCKET_IO_TRANSPORTS,
      auth: (send) => {
        presented = this.credential;
        send({
          boardId: this.boardId,
          token: presented ?? '',
          ...CLIENT_VERSIONS,
          [TAB_PARAM]: this.tab,
        });
      },
      autoConnect: !this.fatal && navigator.onLine,
    });
    this.socket = socket;
    let retry: ReturnType<typeof setTimeout> | null = null;
    socket.on(SocketEvent.snapshot, (snapshot) => {
      this.update({ roster: snapshot.roster, people: snapshot.people, role: snapshot.role });
      // Renamed while the handshake was in flight: present the newer credential.
      if (this.credential && this.credential !== presented) this.reauthenticate(this.credential);
    });
    // The server batches what changed: the roster here, the rest in the live store (below).
    socket.on(SocketEvent.changes, (changes) => {
      if (!this.snapshot.roster) return;
      const update: Partial<BoardSessionState> = {};
      if (changes.roster) update.roster = applyRosterChanges(this.snapshot.roster, changes.roster);
      if (changes.people !== undefined) update.people = changes.people;
      if (Object.keys(update).length > 0) this.update(update);
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
  private stopWithError(
    reason: string,
    code: number | null = null,
    reasonCode: ApiErrorCode | null = null,
  ): void {
    // The page adds its own full stop; the Yjs endpoint's short reason gets the full sentence.
    const clean = reason.trim().replace(/\.$/, '');
    this.fatal =
      clean === LINK_REPLACED_MESSAGE || /link(s)? .*replaced|replaced the links/i.test(clean)
        ? LINK_REPLACED
        : clean;
    this.fatalReason = reasonCode;
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
      connection = { state: 'error', reason: this.fatal, code: this.fatalReason };
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
