/**
 * Entry point: `npm start` (production; run `npm run build` first) or `npm run dev` (HMR).
 * Reads the configuration, starts the server, and shuts down cleanly on SIGINT/SIGTERM.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { createAppServer } from './app';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

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

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
