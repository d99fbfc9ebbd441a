/**
 * Start-up cost of the production server: the compiled bundle (`node dist/server/index.js`, what
 * `npm start` runs) against the TypeScript entry through tsx (what `npm start` ran before).
 * Each run starts a fresh process on SQLite in a new folder, times process start to the
 * "listening" log line, then reads RSS 2 s later. Needs `npm run build` first.
 * `npm run bench:startup` (BENCH_STARTUP_RUNS, default 3).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const runs = Number(process.env.BENCH_STARTUP_RUNS ?? 3);
const variants = {
  compiled: ['dist/server/index.js'],
  tsx: ['--import', 'tsx', 'server/index.ts'],
} as const;

function once(args: readonly string[]): Promise<{ startMs: number; rssMb: number }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-startup-'));
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening`)));
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes('Scenario Board on')) return;
      output = '';
      const startMs = performance.now() - started;
      setTimeout(() => {
        const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
        child.removeAllListeners('exit');
        child.once('exit', () => resolve({ startMs, rssMb: rssKb / 1024 }));
        child.kill('SIGTERM');
      }, 2000);
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

for (const [name, args] of Object.entries(variants)) {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await once(args));
  const start = median(results.map((r) => r.startMs));
  const rss = median(results.map((r) => r.rssMb));
  console.log(
    `${name.padEnd(8)} start to listening ${start.toFixed(0)} ms, RSS after 2 s ${rss.toFixed(0)} MB (median of ${runs})`,
  );
}
