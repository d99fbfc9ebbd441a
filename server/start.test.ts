/**
 * server/start.sh (`npm start`, the Docker image's command) with the real sh and node: the flags
 * the production server gets (server/nodeFlags.sh: V8's helper threads sized to the cores, the
 * same flags bench:scale gives the server it measures), and that node replaces the
 * shell (so SIGTERM from an orchestrator reaches the server, not a shell that ignores it). The
 * compiled server is replaced by a script that prints what it was started with, and `nproc` by
 * one that prints a chosen core count.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const scripts = ['start.sh', 'nodeFlags.sh'];
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

interface Started {
  execArgv: string[];
  nodeEnv: string | undefined;
  argv: string[];
  pid: number;
  parentPid: number;
}

/** A copy of the app's layout: server/'s scripts and a dist/server/index.js that reports itself. */
function layout(withServer = true): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-start-'));
  dirs.push(root);
  fs.mkdirSync(path.join(root, 'server'));
  for (const name of scripts)
    fs.copyFileSync(path.join(import.meta.dirname, name), path.join(root, 'server', name));
  if (withServer) {
    fs.mkdirSync(path.join(root, 'dist', 'server'), { recursive: true });
    fs.writeFileSync(
      path.join(root, 'dist', 'server', 'index.js'),
      'console.log(JSON.stringify({ execArgv: process.execArgv, nodeEnv: process.env.NODE_ENV, argv: process.argv.slice(2), pid: process.pid, parentPid: process.ppid }));',
    );
  }
  return root;
}

/** Run start.sh from elsewhere, as `npm start` and the image do, on a machine of `cores`. */
async function start(root: string, cores: number, env: Record<string, string> = {}) {
  const bin = path.join(root, 'fakebin');
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(path.join(bin, 'nproc'), `#!/bin/sh\necho ${cores}\n`, { mode: 0o755 });
  // The shell that runs the script prints its own pid first: exec keeps it for node.
  const { stdout } = await run(
    'sh',
    ['-c', 'echo $$; exec sh "$0" --extra', path.join(root, 'server', 'start.sh')],
    {
      cwd: os.tmpdir(),
      env: {
        ...process.env,
        PATH: `${bin}:${path.dirname(process.execPath)}:${process.env.PATH}`,
        NODE_ENV: 'test',
        NODE_OPTIONS: '',
        ...env,
      },
    },
  );
  const [shellPid, json] = stdout.trim().split('\n');
  return { shellPid: Number(shellPid), started: JSON.parse(json!) as Started };
}

/** How start.sh failed (its exit code and what it said), or null if it started the server. */
const failure = (started: Promise<unknown>) =>
  started.then(
    () => null,
    (err: { code: number; stderr: string }) => err,
  );

const poolSize = (s: Started) =>
  s.execArgv.find((a) => a.startsWith('--v8-pool-size='))?.split('=')[1];

describe('server/start.sh', () => {
  it('starts the compiled server in production mode, with source maps and its arguments', async () => {
    const { started } = await start(layout(), 2);
    expect(started.nodeEnv).toBe('production');
    expect(started.execArgv).toContain('--enable-source-maps');
    expect(started.argv).toEqual(['--extra']);
  });

  it('leaves the event loop a core and gives V8 the rest, up to Node’s four', async () => {
    const root = layout();
    const byCores: Record<number, string> = { 1: '1', 2: '1', 3: '2', 4: '3', 5: '4', 16: '4' };
    for (const [cores, pool] of Object.entries(byCores))
      expect(poolSize((await start(root, Number(cores))).started), `${cores} cores`).toBe(pool);
  });

  it('takes the operator’s V8_POOL_SIZE over the computed one', async () => {
    const { started } = await start(layout(), 2, { V8_POOL_SIZE: '3' });
    expect(poolSize(started)).toBe('3');
  });

  it('refuses a V8_POOL_SIZE that is not a whole number of threads, which node would ignore', async () => {
    for (const bad of ['abc', '0', '-3', '2.5', '01']) {
      const failed = await failure(start(layout(), 2, { V8_POOL_SIZE: bad }));
      expect(failed?.code, bad).toBe(2);
      expect(failed?.stderr, bad).toMatch(/V8_POOL_SIZE must be a whole number/);
    }
  });

  it('replaces its shell with node, so signals reach the server', async () => {
    const { shellPid, started } = await start(layout(), 2);
    expect(started.pid).toBe(shellPid);
  });

  it('says what to do when nothing is built', async () => {
    const failed = await failure(start(layout(false), 2));
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toMatch(/run npm run build first/);
  });
});
