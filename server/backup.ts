/**
 * Backups of the embedded SQLite store (the default deployment):
 *
 *   npm run backup -- <file>    a consistent copy while the server keeps serving (SQLite's online
 *                               backup API), plus the generated link-signing secret beside it
 *                               (<file>.token-secret) unless TOKEN_SECRET is set
 *   npm run restore -- <file>   with the server stopped: checks the copy, sets the current
 *                               database aside (boards.sqlite.before-restore-<time>), puts the
 *                               copy in its place
 *
 * Both read DATA_DIR like the server. With DATABASE_URL (PostgreSQL) use pg_dump / pg_restore
 * (docs/deploy.md); this tool says so and exits.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ConfigError, loadConfig } from './config';

/** Tables every Scenario Board database has (a restore refuses a file without them). */
const REQUIRED_TABLES = ['boards', 'board_updates', 'board_versions'];
const SECRET_FILE = 'token-secret';

class UsageError extends Error {}

async function backup(dataDir: string, target: string, tokenSecretSet: boolean): Promise<string> {
  const source = path.join(dataDir, 'boards.sqlite');
  if (!fs.existsSync(source)) throw new UsageError(`no database at ${source} (check DATA_DIR)`);
  if (fs.existsSync(target)) throw new UsageError(`${target} exists: choose a new file`);
  // A connection of its own; the backup API copies pages while the server keeps writing (WAL)
  // and restarts when they change underneath, so the copy is one consistent moment.
  const db = new Database(source, { fileMustExist: true });
  try {
    const started = performance.now();
    await db.backup(target);
    const ms = Math.round(performance.now() - started);
    const lines = [
      `backed up ${source} to ${target} (${fs.statSync(target).size} bytes, ${ms} ms)`,
    ];
    const secret = path.join(dataDir, SECRET_FILE);
    if (!tokenSecretSet && fs.existsSync(secret)) {
      fs.copyFileSync(secret, `${target}.${SECRET_FILE}`);
      fs.chmodSync(`${target}.${SECRET_FILE}`, 0o600);
      lines.push(`and the link-signing secret to ${target}.${SECRET_FILE} (keep it private)`);
    }
    return lines.join('\n');
  } finally {
    db.close();
  }
}

function restore(dataDir: string, source: string): string {
  if (!fs.existsSync(source)) throw new UsageError(`no backup at ${source}`);
  // Check the copy before touching anything.
  let check: Database.Database;
  try {
    check = new Database(source, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new UsageError(`${source} is not a SQLite database: ${(err as Error).message}`);
  }
  try {
    const integrity = check.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new UsageError(`${source} is damaged: ${String(integrity)}`);
    const tables = new Set(
      (
        check.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as {
          name: string;
        }[]
      ).map((t) => t.name),
    );
    const missing = REQUIRED_TABLES.filter((t) => !tables.has(t));
    if (missing.length > 0)
      throw new UsageError(`${source} is not a Scenario Board backup (no ${missing.join(', ')})`);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${source} is not a SQLite database: ${(err as Error).message}`);
  } finally {
    check.close();
  }
  const target = path.join(dataDir, 'boards.sqlite');
  fs.mkdirSync(dataDir, { recursive: true });
  const lines: string[] = [];
  if (fs.existsSync(target)) {
    // A running server holds the database open; restoring under it would be lost or worse.
    const probe = new Database(target);
    try {
      probe.pragma('locking_mode = EXCLUSIVE');
      probe.exec('BEGIN EXCLUSIVE; COMMIT');
    } catch {
      throw new UsageError(`${target} is in use: stop the server first`);
    } finally {
      probe.close();
    }
    const aside = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    fs.renameSync(target, aside);
    for (const suffix of ['-wal', '-shm'])
      if (fs.existsSync(target + suffix)) fs.renameSync(target + suffix, aside + suffix);
    lines.push(`the database restored over is kept at ${aside}`);
  }
  fs.copyFileSync(source, target);
  const secret = `${source}.${SECRET_FILE}`;
  if (fs.existsSync(secret)) {
    fs.copyFileSync(secret, path.join(dataDir, SECRET_FILE));
    fs.chmodSync(path.join(dataDir, SECRET_FILE), 0o600);
    lines.push('with its link-signing secret: links made before the backup work again');
  }
  return [`restored ${source} to ${target}`, ...lines].join('\n');
}

async function main(): Promise<void> {
  const [command, file] = process.argv.slice(2);
  if ((command !== 'backup' && command !== 'restore') || !file)
    throw new UsageError('usage: npm run backup -- <file> | npm run restore -- <file>');
  const config = loadConfig();
  if (config.databaseUrl)
    throw new UsageError(
      'DATABASE_URL is set: back up PostgreSQL with pg_dump --format=custom and restore with ' +
        'pg_restore (docs/deploy.md, "Backups")',
    );
  const target = path.resolve(file);
  console.log(
    command === 'backup'
      ? await backup(config.dataDir, target, config.tokenSecret !== undefined)
      : restore(config.dataDir, target),
  );
}

main().catch((err: unknown) => {
  if (err instanceof UsageError || err instanceof ConfigError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
