/**
 * Entry point: `npm start` (production: runs dist/server/index.js, compiled from this file by
 * `npm run build`) or `npm run dev` (this file through tsx, with HMR).
 * Reads the configuration, starts the server, and shuts down cleanly on SIGINT/SIGTERM.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { createAppServer } from './app';
import { exitGracefullyOnSignals } from './shutdown';

/** The project folder (Next's dir): the nearest folder holding package.json, from server/ or dist/server/. */
function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir)
    dir = path.dirname(dir);
  return dir;
}
const root = findRoot();

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  if (!config.dev && !fs.existsSync(path.join(root, config.nextDistDir, 'BUILD_ID'))) {
    logger.fatal('No production build found: run `npm run build` first (or `npm run dev`).');
    process.exit(1);
  }
  const server = await createAppServer({ config, logger, next: { dir: root } });
  const port = await server.listen();
  logger.info(
    { port, dataDir: config.dataDir, dev: config.dev },
    `Scenario Board on http://localhost:${port}`,
  );
  exitGracefullyOnSignals(server, logger, config.shutdown.timeoutMs);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
