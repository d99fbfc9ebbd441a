// Unit and integration tests (`npm run test:unit`). Playwright's e2e/ specs are excluded: they need a
// browser and a built server and run with `npm run e2e`.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  resolve: {
    // Same "@/..." alias as tsconfig.json (only "@/" matches, scoped packages like "@scope/x" don't).
    alias: [{ find: /^@\//, replacement: root }],
  },
  test: {
    include: ['lib/**/*.test.ts', 'server/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['e2e/**', 'node_modules/**', '.next/**'],
    environment: 'node',
    // fast-check: a fixed seed on CI (reproducible), new cases locally.
    setupFiles: ['test/setup/fastCheck.ts'],
    // Integration tests start a real server and real sockets.
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Child processes rather than worker threads: better-sqlite3 is a native addon, and a crash or
    // leaked handle in one file must not take the other files down with it.
    pool: 'forks',
    // Two files at a time (the default is one fewer than the cores: one here). Most integration
    // tests wait on sockets, processes and databases rather than compute, so two overlap well:
    // 110 s instead of 212 s on this 2-core machine, which keeps CI inside its time budget.
    maxWorkers: 2,
  },
});
