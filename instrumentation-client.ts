/**
 * Runs in the browser before the app starts (Next's instrumentation-client file).
 *
 * zod compiles object parsers with `new Function` where it can, and probes for that with
 * `Function("")` on the first parse. The pages' Content-Security-Policy has no 'unsafe-eval'
 * (proxy.ts), so the probe would be blocked and reported as a violation. The browser's parses are
 * small: parse without compiling.
 */
import * as z from 'zod/mini';

z.config({ jitless: true });
