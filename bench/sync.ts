/**
 * Sync benchmarks against the real server in its own process (SQLite in a temp folder,
 * validation and persistence on), with headless stock y-websocket clients:
 *   - edit-to-remote latency p50/p99 at 1 board x 20 clients and 50 boards x 10 clients,
 *     counting lost updates (every other client must receive every edit's struct);
 *   - how soon an edit is on disk;
 *   - server RSS per connection.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { readBoard } from '../lib/board/boardState';
import { setAssumption } from '../lib/board/scenarios';

process.setMaxListeners(0); // each in-process y-websocket client adds an exit listener
import { connectClient, createBoard, tempDir, type TestClient } from '../test/helpers';
import { startChildServer } from '../test/childServer';
import { fmtMs, summarize } from './stats';

const rssKb = (pid: number): number => {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Board {
  id: string;
  token: string;
  clients: TestClient[];
  scenarioId: string;
}

async function openBoards(port: number, boards: number, clientsPerBoard: number): Promise<Board[]> {
  const out: Board[] = [];
  for (let b = 0; b < boards; b++) {
    const { id, tokens } = await createBoard(`http://127.0.0.1:${port}`, { title: `bench ${b}` });
    const clients: TestClient[] = [];
    for (let c = 0; c < clientsPerBoard; c++)
      clients.push(connectClient(`ws://127.0.0.1:${port}/yjs`, id, tokens.editor));
    await Promise.all(clients.map((c) => c.synced));
    out.push({
      id,
      token: tokens.editor,
      clients,
      scenarioId: readBoard(clients[0]!.doc).scenarios[0]!.id,
    });
  }
  return out;
}

/**
 * Each edit sets trainingOutput on one client; every other client of the board records when the
 * edit's own Yjs struct reaches it (its state vector covers the sender's clock after the edit),
 * so a later concurrent edit winning the field does not hide a delivery, and a delivery counts
 * once. Edits are spread over boards and clients at `editsPerSecond`, each due at its scheduled
 * time; latency counts from that time (no coordinated omission).
 */
async function measureLatency(boards: Board[], edits: number, editsPerSecond: number) {
  const latencies: number[] = [];
  let received = 0;
  /** Per receiving client: per sender's Yjs client id, its edits not yet seen (clock order). */
  const pending = new Map<TestClient, Map<number, { clock: number; due: number }[]>>();
  for (const board of boards) {
    for (const client of board.clients) {
      const queues = new Map<number, { clock: number; due: number }[]>();
      pending.set(client, queues);
      client.doc.on('update', (_u: Uint8Array, origin: unknown) => {
        if (origin !== client.provider) return; // only what arrives from the server
        const now = performance.now();
        for (const [sender, queue] of queues) {
          const state = Y.getState(client.doc.store, sender);
          while (queue.length > 0 && queue[0]!.clock <= state) {
            latencies.push(now - queue.shift()!.due);
            received++;
          }
        }
      });
    }
  }
  const gap = 1000 / editsPerSecond;
  /** How late each edit left (the harness's own lag: it shares one thread with every client). */
  const sendLag: number[] = [];
  const start = performance.now();
  for (let i = 0; i < edits; i++) {
    const board = boards[i % boards.length]!;
    const client = board.clients[Math.floor(i / boards.length) % board.clients.length]!;
    const due = start + i * gap;
    sendLag.push(performance.now() - due);
    setAssumption(client.doc, board.scenarioId, 'trainingOutput', 100_000 + i); // unique per edit
    const edit = { clock: Y.getState(client.doc.store, client.doc.clientID), due };
    for (const other of board.clients) {
      if (other === client) continue;
      const queues = pending.get(other)!;
      const queue = queues.get(client.doc.clientID) ?? [];
      queues.set(client.doc.clientID, queue);
      queue.push(edit);
    }
    const wait = start + (i + 1) * gap - performance.now();
    if (wait > 1) await sleep(wait);
    else if (i % 20 === 0) await sleep(0);
  }
  const expected = edits * (boards[0]!.clients.length - 1);
  const deadline = performance.now() + 5000;
  while (received < expected && performance.now() < deadline) await sleep(20);
  return {
    ...summarize(latencies),
    expected,
    lost: expected - received,
    sendLagP99: summarize(sendLag).p99,
  };
}

async function measureDiskLatency(port: number, dbFile: string, board: Board, samples: number) {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  const maxSeq = db.prepare<[string], { s: number | null }>(
    'SELECT max(seq) AS s FROM board_updates WHERE board_id = ?',
  );
  const times: number[] = [];
  const client = board.clients[0]!;
  for (let i = 0; i < samples; i++) {
    const before = maxSeq.get(board.id)?.s ?? 0;
    const t = performance.now();
    setAssumption(client.doc, board.scenarioId, 'conversionRate', 2 + (i % 40));
    while ((maxSeq.get(board.id)?.s ?? 0) === before && performance.now() - t < 1000)
      await sleep(0);
    times.push(performance.now() - t);
  }
  db.close();
  void port;
  return summarize(times);
}

export async function benchSync(): Promise<void> {
  const scenarios: {
    boards: number;
    clients: number;
    edits: number;
    rate: number;
    target: string;
  }[] = [
    { boards: 1, clients: 20, edits: 2000, rate: 200, target: 'p50 <= 2 ms, p99 <= 10 ms' },
    { boards: 50, clients: 10, edits: 5000, rate: 500, target: 'p99 <= 25 ms' },
  ];
  for (const sc of scenarios) {
    const dataDir = tempDir('sb-bench-');
    const server = await startChildServer(
      {
        DATA_DIR: dataDir,
        LOG_LEVEL: 'error',
        RATE_LIMIT_PER_SECOND: '1000',
        RATE_LIMIT_BURST: '2000',
      },
      ['--expose-gc'],
    );
    try {
      const settledRss = async () => {
        server.process.kill('SIGUSR2'); // full GC in the server, so RSS reflects live memory
        await sleep(500);
        return rssKb(server.process.pid!);
      };
      const rssIdle = await settledRss();
      // Load every board with one client first, so the per-connection figure excludes boards.
      const boards = await openBoards(server.port, sc.boards, 1);
      const rssBoards = await settledRss();
      for (const b of boards) {
        for (let c = 1; c < sc.clients; c++)
          b.clients.push(connectClient(`ws://127.0.0.1:${server.port}/yjs`, b.id, b.token));
      }
      await Promise.all(boards.flatMap((b) => b.clients.map((c) => c.synced)));
      const rssAfter = await settledRss();
      const connections = sc.boards * sc.clients;
      const added = connections - sc.boards;
      const result = await measureLatency(boards, sc.edits, sc.rate);
      console.log(
        `sync ${sc.boards} board(s) x ${sc.clients} clients, ${sc.edits} edits at ${sc.rate}/s: ` +
          `p50 ${fmtMs(result.p50)}, p99 ${fmtMs(result.p99)}, max ${fmtMs(result.max)}; ` +
          `${result.expected - result.lost}/${result.expected} deliveries, lost ${result.lost} (target ${sc.target}, 0 lost); ` +
          `harness send lag p99 ${fmtMs(result.sendLagP99)}` +
          (result.sendLagP99 > 5
            ? ' (the clients share the bench process: it is a bottleneck)'
            : ''),
      );
      console.log(
        `memory: server RSS ${(rssIdle / 1024).toFixed(1)} MB idle, ${(rssBoards / 1024).toFixed(1)} MB with ${sc.boards} ` +
          `board(s) loaded (${((rssBoards - rssIdle) / sc.boards).toFixed(0)} KB per board incl. its first connection), ` +
          `${(rssAfter / 1024).toFixed(1)} MB with ${connections} connections: ` +
          `${((rssAfter - rssBoards) / added).toFixed(1)} KB per further connection (target <= 30 KB)`,
      );
      if (sc.boards === 1) {
        const disk = await measureDiskLatency(
          server.port,
          path.join(dataDir, 'boards.sqlite'),
          boards[0]!,
          200,
        );
        console.log(
          `disk: edit sent -> row committed in SQLite: p50 ${fmtMs(disk.p50)}, p99 ${fmtMs(disk.p99)} (target <= 100 ms)`,
        );
      }
      for (const b of boards) for (const c of b.clients) c.destroy();
    } finally {
      await server.stop();
    }
  }
}
