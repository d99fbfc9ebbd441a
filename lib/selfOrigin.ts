/**
 * How the pages Next renders inside the custom server's process reach that server's HTTP API.
 *
 * Next bundles page code separately from the server, so pages cannot share the server's modules or
 * memory (and app/ never imports server/: lint enforces it). The server writes its own origin into
 * this environment variable once it listens (with the real port, also when configured with port 0).
 */
export const SELF_ORIGIN_ENV = 'SCENARIO_BOARD_SELF_ORIGIN';

/** The server's origin as seen from its own process, or null when no server has said so. */
export function selfOrigin(): string | null {
  return process.env[SELF_ORIGIN_ENV] || null;
}
