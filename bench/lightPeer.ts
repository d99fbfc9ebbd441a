/**
 * A light Yjs participant for bench/scaleWorker.ts: the wire traffic of a stock y-websocket client
 * (as the server sees it) without a Y.Doc. A plenary generator drives hundreds of participants;
 * with stock clients each one applied every edit to its own document and parsed every presence
 * state, so the generators, not the server, were the bottleneck (issue 12).
 *
 * What it sends is byte for byte what a fresh stock client (`new WebsocketProvider`, empty doc,
 * awareness state `{}`) sends:
 * - on open: sync step 1 with an empty state vector, then its awareness state `{}` at clock 0;
 * - to the server's sync step 1: sync step 2 of an empty document (the stock client's doc is still
 *   empty then: the server greets before it answers);
 * - each presence change: its state at the next clock (the stock client's `setLocalStateField`);
 * - its state again when it sent none for 15 s (the stock awareness's renewal);
 * - every awareness entry it receives that is newer than what it knew, echoed back as received
 *   (the stock client re-sends every remote change it applies, yjs#732; it re-encodes the parsed
 *   state with JSON.stringify, which gives back the bytes the server relayed; it lists added,
 *   updated and removed ids in that order, this one in the order received: the same entries).
 * What it reads: only the framing. Document updates are counted, not applied (so delivery is
 * still checked for every participant: each must count every edit); awareness entries are sliced,
 * their JSON never parsed. Not reproduced: the stock client's removal of a remote state after 30 s
 * of silence (in the plenary everyone present sends presence every second).
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { TAB_PARAM, YMessage } from '../lib/protocol';

const SYNC_STEP1 = 0;
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;
/** The stock awareness renews its own state when it is this old (outdatedTimeout / 2). */
const RENEW_MS = 15_000;
const NULL_STATE = Buffer.from('null');

/** Sync step 1 of an empty document: [sync, step 1, state vector of length 1: 0 clients]. */
const EMPTY_STEP1 = new Uint8Array([YMessage.sync, SYNC_STEP1, 1, 0]);
/** Sync step 2 of an empty document: an update with no structs and no deletions. */
const EMPTY_STEP2 = new Uint8Array([YMessage.sync, SYNC_STEP2, 2, 0, 0]);

export class LightPeer {
  ws!: WebSocket;
  /** A random 32-bit id, as Yjs picks a client id. */
  readonly clientId = Math.floor(Math.random() * 2 ** 32) >>> 0;
  private clock = 0;
  private state = '{}';
  private lastSent = 0;
  /** Remote awareness clocks, times 2, plus 1 while the state is not null. */
  private known = new Map<number, number>();
  /** Document updates received after the sync (each is one accepted edit). */
  updates = 0;
  echoes = 0;
  /** Connections that failed before opening (e.g. reset by a server too busy to accept). */
  retries = 0;
  readonly synced: Promise<void>;
  /** The connection closed after it had opened. */
  readonly closed: Promise<{ code: number; reason: string }>;
  private markSynced!: () => void;
  private markClosed!: (c: { code: number; reason: string }) => void;

  constructor(
    private readonly url: string,
    boardId: string,
    token: string,
    /** The page's tab id (TAB_PARAM), as the board page sends it. */
    tab: string,
  ) {
    this.url = `${url}/${boardId}?token=${encodeURIComponent(token)}&${TAB_PARAM}=${tab}`;
    this.synced = new Promise((resolve) => (this.markSynced = resolve));
    this.closed = new Promise((resolve) => (this.markClosed = resolve));
    this.connect();
  }

  /** Connect; a connection that never opened is tried again, as the stock client reconnects. */
  private connect(): void {
    const ws = new WebSocket(this.url, { perMessageDeflate: false });
    this.ws = ws;
    let opened = false;
    ws.once('close', (code, reason) => {
      if (opened) return this.markClosed({ code, reason: reason.toString() });
      this.retries++;
      setTimeout(() => this.connect(), 500);
    });
    ws.on('open', () => {
      opened = true;
      ws.send(EMPTY_STEP1);
      this.sendState();
    });
    ws.on('message', (data: Buffer) => {
      const d = decoding.createDecoder(data);
      const type = decoding.readVarUint(d);
      if (type === YMessage.sync) {
        const step = decoding.readVarUint(d);
        if (step === SYNC_UPDATE) this.updates++;
        else if (step === SYNC_STEP1) ws.send(EMPTY_STEP2);
        else if (step === SYNC_STEP2) this.markSynced();
      } else if (type === YMessage.awareness) {
        this.echo(decoding.readVarUint8Array(d));
      }
      // Notices (type 5) are ignored, as the stock client ignores unknown types.
    });
    ws.on('error', () => undefined); // 'close' follows
  }

  /** The stock client's `awareness.setLocalStateField(key, value)` on a `{}` state. */
  setPresence(state: Record<string, unknown>): void {
    this.state = JSON.stringify(state);
    this.clock++;
    this.sendState();
  }

  /** The stock awareness's renewal: its own state again when none went out for 15 s. */
  renewIfStale(now: number): void {
    if (now - this.lastSent >= RENEW_MS) {
      this.clock++;
      this.sendState();
    }
  }

  private sendState(): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    this.lastSent = Date.now();
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, YMessage.awareness);
    const inner = encoding.createEncoder();
    encoding.writeVarUint(inner, 1);
    encoding.writeVarUint(inner, this.clientId);
    encoding.writeVarUint(inner, this.clock);
    encoding.writeVarString(inner, this.state);
    encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
    this.ws.send(encoding.toUint8Array(e));
  }

  /**
   * y-protocols' applyAwarenessUpdate without parsing states: an entry is applied (and so echoed
   * by the stock provider) when its clock is newer, or equal with null while the state is held.
   */
  private echo(update: Uint8Array): void {
    const d = decoding.createDecoder(update);
    const count = decoding.readVarUint(d);
    let changed = 0;
    const entries = encoding.createEncoder();
    for (let i = 0; i < count; i++) {
      const id = decoding.readVarUint(d);
      const clock = decoding.readVarUint(d);
      const raw = decoding.readVarUint8Array(d);
      if (id === this.clientId) continue;
      const isNull = raw.length === 4 && NULL_STATE.equals(raw);
      const k = this.known.get(id);
      const kClock = k === undefined ? -1 : k >> 1;
      const held = k !== undefined && (k & 1) === 1;
      if (!(kClock < clock || (kClock === clock && isNull && held))) continue;
      if (k === undefined && isNull) {
        // The stock client notes the clock of an unknown id's removal but reports no change.
        this.known.set(id, clock * 2);
        continue;
      }
      this.known.set(id, clock * 2 + (isNull ? 0 : 1));
      encoding.writeVarUint(entries, id);
      encoding.writeVarUint(entries, clock);
      encoding.writeVarUint8Array(entries, raw);
      changed++;
    }
    if (changed === 0) return;
    const out = encoding.createEncoder();
    encoding.writeVarUint(out, YMessage.awareness);
    const inner = encoding.createEncoder();
    encoding.writeVarUint(inner, changed);
    encoding.writeUint8Array(inner, encoding.toUint8Array(entries));
    encoding.writeVarUint8Array(out, encoding.toUint8Array(inner));
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(encoding.toUint8Array(out));
    this.echoes++;
  }

  destroy(): void {
    this.ws.close();
  }
}
