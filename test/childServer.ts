import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

export interface ChildServer {
  port: number;
  process: ChildProcess;
  /** SIGKILL: no shutdown hooks run. */
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Start test/fixtures/apiServer.ts in its own process (through tsx, or `compiled`: the fixture
 * bundled by `bundleChildServer`, which starts faster) and wait for its port.
 */
export function startChildServer(
  env: Record<string, string>,
  nodeFlags: string[] = [],
  compiled?: string,
): Promise<ChildServer> {
  const root = path.resolve(import.meta.dirname, '..');
  const child = spawn(
    process.execPath,
    [...nodeFlags, ...(compiled ? [compiled] : ['--import', 'tsx', 'test/fixtures/apiServer.ts'])],
    {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error('child server did not start')), 20_000);
    lines.on('line', (line) => {
      try {
        const { port } = JSON.parse(line) as { port?: number };
        if (typeof port !== 'number') return;
        clearTimeout(timer);
        resolve({
          port,
          process: child,
          kill9: async () => {
            child.kill('SIGKILL');
            await exited;
          },
          stop: async () => {
            child.kill('SIGTERM');
            await exited;
          },
        });
      } catch {
        // not our line (a log line); keep waiting
      }
    });
    child.once('exit', (code) => reject(new Error(`child server exited with ${code}`)));
  });
}

/**
 * The fixture compiled as `npm run build:server` compiles the server (esbuild, dependencies
 * left external), into dist/ so that node_modules resolves. Returns the file to run.
 */
export async function bundleChildServer(): Promise<string> {
  const { build } = await import('esbuild');
  const root = path.resolve(import.meta.dirname, '..');
  const outfile = path.join(root, 'dist', 'test', `apiServer-${process.pid}.js`);
  await build({
    entryPoints: [path.join(root, 'test', 'fixtures', 'apiServer.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}
