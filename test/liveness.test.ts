/**
 * Liveness on the Yjs endpoint: every connection is pinged once per HEARTBEAT_MS and closed once
 * it leaves a ping unanswered; the pings are spread over the period, not sent all at once
 * (server/yjsEndpoint.ts). Real server on port 0, real sockets.
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createBoard, startServer, type TestServer } from './helpers';

const HEARTBEAT_MS = 600;
let s: TestServer;
beforeAll(async () => {
  s = await startServer({ HEARTBEAT_MS: String(HEARTBEAT_MS) });
});
afterAll(async () => {
  await s.close();
});

/** A Yjs connection that records when it was pinged and how it closed. */
function connect(url: string, answersPings: boolean) {
  const ws = new WebSocket(url, { autoPong: answersPings });
  const pings: number[] = [];
  ws.on('ping', () => pings.push(performance.now()));
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, pings, closed, opened };
}

it('closes a connection that stops answering pings and keeps one that answers, one ping per period each', async () => {
  const board = await createBoard(s.http);
  const url = `${s.ws}/${board.id}?token=${encodeURIComponent(board.tokens.editor)}`;
  const peers = Array.from({ length: 6 }, () => connect(url, true));
  const silent = connect(url, false);
  await Promise.all([...peers, silent].map((p) => p.opened));
  const started = performance.now();

  // Pinged once, then closed at its next turn (about two periods).
  const code = await silent.closed;
  const silentFor = performance.now() - started;
  expect(code).toBe(1006); // terminated: no close frame for a peer that stopped reading
  expect(silentFor).toBeLessThan(HEARTBEAT_MS * 3);
  expect(silent.pings).toHaveLength(1);

  await new Promise((r) => setTimeout(r, HEARTBEAT_MS * 3));
  for (const peer of peers) {
    expect(peer.ws.readyState).toBe(WebSocket.OPEN);
    // A period apart, whatever slice the connection is in.
    const gaps = peer.pings.slice(1).map((t, i) => t - peer.pings[i]!);
    expect(peer.pings.length).toBeGreaterThanOrEqual(3);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThan(HEARTBEAT_MS * 0.7);
      expect(gap).toBeLessThan(HEARTBEAT_MS * 1.5);
    }
  }
  // Spread over the period: six connections joined one after another are not all pinged at once.
  const firstPings = peers.map((p) => p.pings[0]!);
  expect(Math.max(...firstPings) - Math.min(...firstPings)).toBeGreaterThan(HEARTBEAT_MS / 30);
  for (const peer of peers) peer.ws.close();
});
