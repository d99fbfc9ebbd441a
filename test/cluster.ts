/**
 * A deployment made of real processes, for the fault-tolerance tests: a private Redis
 * (redis-server on a free port, so a test may stop it without touching the machine's shared
 * Redis), a throwaway PostgreSQL schema, server instances as child processes on fixed ports (a
 * restarted instance takes its predecessor's address), and HAProxy in front with the deployment's
 * own configuration (deploy/haproxy.cfg).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Pool, escapeIdentifier } from 'pg';
import { PostgresStorage } from '../server/storage/postgres';
import { bundleChildServer, startChildServer, type ChildServer } from './childServer';
import { tempDir } from './helpers';

export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ROOT = path.resolve(import.meta.dirname, '..');
export const HAPROXY_CONFIG = path.join(ROOT, 'deploy', 'haproxy.cfg');

/** A port free now (bound to port 0 and released), for a process that must be told its port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.once('error', reject);
  });
}

/** Resolves once something accepts TCP connections on the port. */
async function waitForPort(port: number, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() - start > timeoutMs) throw new Error(`${what} did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Every process started here, killed when the test process exits: a test that times out before
 * its cleanup must not leave HAProxy, Redis, PostgreSQL or an instance running.
 */
const started = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of started) child.kill('SIGKILL');
});
function track<T extends ChildProcess>(child: T): T {
  started.add(child);
  child.once('exit', () => started.delete(child));
  return child;
}

function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** A redis-server of the test's own, on a free port; `stop` kills it, `start` brings it back. */
export class PrivateRedis {
  private process: ChildProcess | null = null;
  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '""'];
    this.process = track(
      spawn(
        '/usr/bin/redis-server',
        [...args, '--appendonly', 'no', '--dir', tempDir('sb-redis-')],
        { stdio: 'ignore' },
      ),
    );
    await waitForPort(this.port, 'redis-server');
  }

  /** SIGKILL: clients see their connections drop, as when Redis crashes or is unreachable. */
  async stop(): Promise<void> {
    const child = this.process;
    this.process = null;
    if (!child) return;
    child.kill('SIGKILL');
    await exitOf(child);
  }
}

const PG_BIN = '/usr/lib/postgresql/15/bin';

/**
 * A PostgreSQL server of the test's own (initdb into a temp folder, a free port), so a test may
 * stop and restart it without touching the machine's shared one. As root (CI), it runs as the
 * `postgres` user, since PostgreSQL refuses to run as root.
 */
export class PrivatePostgres {
  private process: ChildProcess | null = null;
  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async start(): Promise<PrivatePostgres> {
    const dir = tempDir('sb-pg-');
    if (process.getuid?.() === 0) fs.chownSync(dir, ...postgresUser());
    const pg = new PrivatePostgres(await freePort(), dir);
    await pg.run(`${PG_BIN}/initdb`, ['-D', dir, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    await pg.start();
    return pg;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private asPostgres(command: string, args: string[]): [string, string[]] {
    return process.getuid?.() === 0
      ? ['/usr/sbin/runuser', ['-u', 'postgres', '--', command, ...args]]
      : [command, args];
  }

  private run(command: string, args: string[]): Promise<void> {
    const [cmd, argv] = this.asPostgres(command, args);
    const child = spawn(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    return new Promise((resolve, reject) =>
      child.once('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`${command}: ${err}`)),
      ),
    );
  }

  async start(): Promise<void> {
    const [cmd, argv] = this.asPostgres(`${PG_BIN}/postgres`, [
      '-D',
      this.dir,
      '-p',
      String(this.port),
      '-k',
      this.dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
    ]);
    this.process = track(spawn(cmd, argv, { stdio: 'ignore' }));
    await waitForPort(this.port, 'postgres', 20_000);
    // Accepting TCP is not accepting queries yet (recovery after a crash): wait for a query.
    const start = Date.now();
    for (;;) {
      const pool = new Pool({ connectionString: this.url, max: 1 });
      const ok = await pool.query('SELECT 1').then(
        () => true,
        () => false,
      );
      await pool.end();
      if (ok) return;
      if (Date.now() - start > 20_000) throw new Error('postgres did not accept queries');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** An immediate stop (SIGQUIT): connections drop at once, as when the database crashes. */
  async stop(): Promise<void> {
    const child = this.process;
    this.process = null;
    if (!child) return;
    // The postmaster itself (runuser may not forward signals); it ends its backends.
    const pid = Number(
      fs.readFileSync(path.join(this.dir, 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    process.kill(pid, 'SIGQUIT');
    await exitOf(child);
  }
}

function postgresUser(): [number, number] {
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (!uid || !gid) throw new Error('no postgres user');
  return [Number(uid), Number(gid)];
}

/** A PostgreSQL schema of the test's own, dropped by `drop`. */
export class TestSchema {
  readonly name = `sb_ops_${randomBytes(6).toString('hex')}`;

  /** The connection string the instances get: the schema first on their search path. */
  get url(): string {
    const options = encodeURIComponent(`-c search_path=${this.name}`);
    return `${DATABASE_URL}${DATABASE_URL.includes('?') ? '&' : '?'}options=${options}`;
  }

  async create(): Promise<void> {
    const admin = new Pool({ connectionString: DATABASE_URL, max: 1 });
    await admin.query(`CREATE SCHEMA ${escapeIdentifier(this.name)}`);
    await admin.end();
  }

  /** The storage as the instances see it (to read what is stored at a given moment). */
  connect(): Promise<PostgresStorage> {
    return PostgresStorage.connect(DATABASE_URL, { schema: this.name });
  }

  async drop(): Promise<void> {
    const admin = new Pool({ connectionString: DATABASE_URL, max: 1 });
    await admin.query(`DROP SCHEMA IF EXISTS ${escapeIdentifier(this.name)} CASCADE`);
    await admin.end();
  }
}

let compiledServer: Promise<string> | null = null;

/**
 * One server instance on a fixed port, which it keeps across restarts. It runs the compiled
 * server (as `npm start` does): a restart under load takes seconds less than through tsx.
 */
export class Instance {
  child: ChildServer | null = null;
  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  async start(): Promise<void> {
    compiledServer ??= bundleChildServer();
    const env = { ...this.env, PORT: String(this.port) };
    this.child = await startChildServer(env, ['--enable-source-maps'], await compiledServer);
    track(this.child.process);
  }

  get running(): boolean {
    return this.child !== null && this.child.process.exitCode === null;
  }

  /** Open client connections by transport, from the instance's own /metrics. */
  async connections(): Promise<{ yjs: number; socketio: number }> {
    const text = await fetch(`http://127.0.0.1:${this.port}/metrics`).then((r) => r.text());
    const count = { yjs: 0, socketio: 0 };
    for (const match of text.matchAll(
      /^sb_connections\{[^}]*transport="(yjs|socketio)"[^}]*\} (\d+)/gm,
    ))
      count[match[1] as 'yjs' | 'socketio'] += Number(match[2]);
    return count;
  }

  /** SIGKILL: no shutdown hook runs, nothing queued is flushed. */
  async kill9(): Promise<void> {
    await this.child?.kill9();
  }

  /** SIGTERM (graceful shutdown); resolves with the exit code once the process is gone. */
  async terminate(): Promise<number | null> {
    const child = this.child;
    if (!child) return null;
    const exited = new Promise<number | null>((resolve) =>
      child.process.once('exit', (code) => resolve(code)),
    );
    child.process.kill('SIGTERM');
    return exited;
  }
}

export interface BackendState {
  name: string;
  /** UP, DOWN, MAINT, "UP 1/2" while rising… as HAProxy reports it. */
  status: string;
}

/** HAProxy with deploy/haproxy.cfg, its addresses given through the environment. */
export class Balancer {
  private constructor(
    private readonly process: ChildProcess,
    readonly port: number,
    private readonly adminSocket: string,
  ) {}

  static async start(instances: Instance[]): Promise<Balancer> {
    const port = await freePort();
    const dir = tempDir('sb-haproxy-');
    const adminSocket = path.join(dir, 'admin.sock');
    const [one, two] = instances;
    if (!one || !two || instances.length !== 2) throw new Error('the config names two instances');
    const child = track(
      spawn('/usr/sbin/haproxy', ['-db', '-f', HAPROXY_CONFIG], {
        env: {
          ...process.env,
          SB_LISTEN: `127.0.0.1:${port}`,
          SB_INSTANCE_1: `127.0.0.1:${one.port}`,
          SB_INSTANCE_2: `127.0.0.1:${two.port}`,
          SB_ADMIN_SOCKET: adminSocket,
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      }),
    );
    let errors = '';
    child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const failed = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`haproxy exited (${code}): ${errors}`))),
    );
    failed.catch(() => undefined);
    await Promise.race([waitForPort(port, 'haproxy'), failed]);
    return new Balancer(child, port, adminSocket);
  }

  get http(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get ws(): string {
    return `ws://127.0.0.1:${this.port}/yjs`;
  }

  /** One command on HAProxy's admin socket (the runtime API). */
  command(line: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(this.adminSocket);
      let out = '';
      socket.on('data', (chunk) => (out += chunk.toString()));
      socket.once('error', reject);
      socket.once('end', () => resolve(out));
      socket.write(`${line}\n`);
    });
  }

  /** The backend servers as HAProxy's health checks see them. */
  async backends(): Promise<BackendState[]> {
    const csv = await this.command('show stat');
    const [header, ...rows] = csv.trim().split('\n');
    const columns = header!.replace(/^# /, '').split(',');
    const at = (name: string) => columns.indexOf(name);
    return rows
      .map((row) => row.split(','))
      .filter((cells) => cells[at('pxname')] === 'instances' && cells[at('svname')] !== 'BACKEND')
      .map((cells) => ({ name: cells[at('svname')]!, status: cells[at('status')]! }));
  }

  /** Wait until HAProxy's health checks say `name` is in `status` (e.g. UP or DOWN). */
  async waitForBackend(name: string, status: 'UP' | 'DOWN', timeoutMs = 15_000): Promise<number> {
    const start = Date.now();
    for (;;) {
      const state = (await this.backends()).find((b) => b.name === name);
      if (state?.status === status) return Date.now() - start;
      if (Date.now() - start > timeoutMs)
        throw new Error(`haproxy: ${name} is ${state?.status ?? 'missing'}, not ${status}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    this.process.kill('SIGKILL');
    await exitOf(this.process);
  }
}

/** The environment every instance of one deployment shares. */
export function sharedEnv(schema: TestSchema, redis: PrivateRedis): Record<string, string> {
  return {
    DATABASE_URL: schema.url,
    REDIS_URL: redis.url,
    TOKEN_SECRET: 'ops-test-secret-'.repeat(3),
    DATA_DIR: tempDir(),
    // Behind HAProxy (option forwardfor): the client address is the one it names.
    TRUST_PROXY: '1',
    LOG_LEVEL: 'warn',
  };
}

/** Percentile of a list (nearest rank); NaN for an empty one. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
