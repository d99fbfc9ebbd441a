/**
 * Test teardown, apart from helpers.ts so that the benches, which import the helpers, do not load
 * vitest.
 */
import { onTestFinished } from 'vitest';

/**
 * Close `thing` with `close` when the running test finishes, passed or failed, and return it:
 * called where a test opens something, so no file keeps arrays and an afterEach to empty them.
 * vitest runs onTestFinished hooks after afterEach, last registered first (clients and sockets
 * close before the servers they were opened on), each on its own (one failing close does not
 * stop the others). Only inside a running test (vitest throws otherwise): what beforeAll opens
 * is closed in afterAll.
 */
export function closeAfterTest<T>(thing: T, close: (thing: T) => unknown): T {
  onTestFinished(async () => {
    await close(thing);
  });
  return thing;
}
