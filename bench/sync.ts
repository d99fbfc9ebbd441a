/**
 * Sync benchmarks against the real server in its own process (SQLite in a temp folder,
 * validation and persistence on), with headless stock y-websocket clients:
 *   - how soon an edit is on disk;
 *   - server RSS per connection.
 * Edit-to-remote latency runs with its clients in worker processes (`bench/scale.ts`, scenario
 * `sync`; `npm run bench` starts it after this): in this process they would share one thread.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
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
  }[] = [
    { boards: 1, clients: 20 },
    { boards: 50, clients: 10 },
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
