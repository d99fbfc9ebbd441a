import { pino } from 'pino';

export type Logger = pino.Logger;

/** The server's structured logger (JSON lines on stdout). */
export function createLogger(level: string): Logger {
  return pino({ level, base: { app: 'scenario-board' } });
}
