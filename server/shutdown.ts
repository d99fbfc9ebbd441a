/**
 * SIGTERM / SIGINT: shut the server down gracefully (see AppServer.close) and exit 0, or exit 1
 * if that fails or takes longer than SHUTDOWN_TIMEOUT_MS. A second signal changes nothing.
 */
import type { Logger } from './logger';

export function exitGracefullyOnSignals(
  server: { close(): Promise<void> },
  logger: Logger,
  timeoutMs: number,
): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    const started = Date.now();
    logger.info({ signal, timeoutMs }, 'shutting down');
    setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown took too long: exiting now');
      process.exit(1);
    }, timeoutMs).unref();
    server.close().then(
      () => {
        logger.info({ ms: Date.now() - started }, 'shut down');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
