// End-to-end tests (`npm run e2e`; run `npm run build` first). Playwright starts the real production
// server (custom Node server + Next) on a fixed port with a fresh, empty data folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';

// E2E_PORT lets several runs share a machine (each with its own NEXT_DIST_DIR build).
const PORT = Number(process.env.E2E_PORT ?? 3107);
const baseURL = `http://127.0.0.1:${PORT}`;

// This file is evaluated by the runner and again by every worker; the runner creates the folder and
// the workers inherit it through the environment, so one run uses exactly one data folder. It lives
// in the OS temp dir, outside the tree Tailwind scans (PITFALLS).
process.env.E2E_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'scenario-board-e2e-'));
const dataDir = process.env.E2E_DATA_DIR;

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // Two cores here; collaboration tests open several browser contexts each.
  workers: process.env.CI ? 1 : 2,
  reporter: 'list',
  // Multi-browser tests take 10-25 s on a quiet 2-core machine; the margin is for a busy one.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    // Recording a trace (screencast frames and DOM snapshots on every action) is most of a test's
    // CPU on a 2-core machine: workshop.spec.ts took 78 s with it, 29 s without. CI keeps none
    // (its output is the log); a local run keeps one for each failure.
    trace: process.env.CI ? 'off' : 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        // Playwright's own browser download is unreachable here; use Debian's chromium package.
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: [
            '--no-sandbox', // CI runs as root, where Chromium's sandbox cannot start
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
  ],
  webServer: {
    // The compiled server, as `npm start` runs it, with the production Node flags (`npm test`
    // builds it first; `npm run build` alone does too). start.sh execs node: one process, one
    // PID, so Playwright can stop it cleanly.
    command: 'sh server/start.sh',
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    // Show the server's own output: a missing build or a bad config is reported there.
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      NODE_ENV: 'production',
      PORT: String(PORT),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      // A hand left raised by someone who closed every tab is lowered after this (default 60 s):
      // short here so e2e/fullWorkshop.spec.ts can watch it happen.
      HAND_GRACE_MS: '5000',
    },
  },
});
