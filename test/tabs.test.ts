/**
 * A tab that connects again replaces its previous connection at once (server/tabConnections.ts).
 * After a venue's network drops and comes back, a phone's old connections may still look open to
 * the server (half-open) until the heartbeats find them, up to a minute: here the old connection
 * is one that simply stops answering, which is all the server can see of a dead network. Real
 * server on port 0, real sockets.
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TAB_PARAM } from '../lib/protocol';
import {
  connectSession,
  createBoard,
  followSession,
  issueCredential,
  sessionReady,
  startServer,
  waitFor,
  type CreatedBoard,
  type TestServer,
} from './helpers';
import { closeAfterTest } from './teardown';

let s: TestServer;
let board: CreatedBoard;
beforeAll(async () => {
  s = await startServer();
  board = await createBoard(s.http);
});
afterAll(async () => {
  await s.close();
});

const TAB_A = 'tabaaaaaaaaaaaaaaa';
const TAB_B = 'tabbbbbbbbbbbbbbbb';

/** A Yjs connection as the page opens it, that never answers pings (a dead network's view). */
async function yjs(credential: string, tab: string) {
  const url = `${s.ws}/${board.id}?token=${encodeURIComponent(credential)}&${TAB_PARAM}=${tab}`;
  const ws = closeAfterTest(new WebSocket(url, { autoPong: false }), (w) => w.terminate());
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, closed };
}

/** The board's Yjs connections on the server. */
const peers = async () => (await s.server.hub.withBoard(board.id, (b) => b.peers.size)) ?? 0;

/** Wait until the server has `n` Yjs connections on the board. */
async function peersAre(n: number, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while ((await peers()) !== n) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${await peers()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('a tab that connects again', () => {
  it('Yjs: its previous connection is dropped at once; other tabs and other people keep theirs', async () => {
    const ann = (await issueCredential(s.http, board.id, board.tokens.editor, 'Ann')).credential;
    const bo = (await issueCredential(s.http, board.id, board.tokens.editor, 'Bo')).credential;
    const base = await peers();
    const first = await yjs(ann, TAB_A);
    const otherTab = await yjs(ann, TAB_B);
    const someoneElse = await yjs(bo, TAB_A); // the same tab id, another person: not Ann's
    const noTab = await yjs(ann, 'x'); // not a tab id: ignored, as for clients that send none
    await peersAre(base + 4, 'four connections attached');

    const again = await yjs(ann, TAB_A);
    expect(await first.closed).toBe(1006); // dropped, no close handshake: it may be gone
    await peersAre(base + 4, 'the new one in, the old one out');
    for (const kept of [otherTab, someoneElse, noTab, again])
      expect(kept.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('socket.io: its previous live session is dropped at once and the room counts it once', async () => {
    const cy = (await issueCredential(s.http, board.id, board.tokens.editor, 'Cy')).credential;
    const watcher = (await issueCredential(s.http, board.id, board.tokens.viewer, 'Di')).credential;
    const open = async (credential: string, tab?: string) => {
      const socket = closeAfterTest(
        connectSession(s.http, board.id, credential, tab ? { [TAB_PARAM]: tab } : {}),
        (x) => x.disconnect(),
      );
      await sessionReady(socket);
      return socket;
    };
    const listener = await open(watcher);
    const view = followSession(listener);
    const first = await open(cy, TAB_A);
    const otherTab = await open(cy, TAB_B);
    await waitFor(() => view.present === 3, 'three connections counted');

    const gone = new Promise<string>((resolve) => first.once('disconnect', resolve));
    const again = await open(cy, TAB_A);
    expect(await gone).toBe('transport close');
    await waitFor(() => view.present === 3, 'counted once: the new session, not the old');
    expect(view.people).toBe(2);
    expect(otherTab.connected && again.connected).toBe(true);
  });
});
