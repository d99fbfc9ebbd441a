// "Saving paused" (issue 9, item 4): the production server on a PostgreSQL of the test's own.
// While the database is down, an edit is kept in the browser and the page says "Saving paused"
// (not "offline", not an error); when the database is back the edit is stored and the page is
// live again. The server's side (close 4503, nothing relayed unstored) is in
// test/postgresRestart.test.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { PrivatePostgres, freePort } from '../test/cluster';
import { rememberIdentity, typeValue } from './helpers';

let pg: PrivatePostgres | null = null;
let server: ChildProcess | null = null;

test.afterEach(async () => {
  server?.kill('SIGKILL');
  server = null;
  await pg?.stop();
  pg = null;
});

test('while the database is down the page says saving paused, keeps the edit and stores it once it is back', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  pg = await PrivatePostgres.start();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, ['dist/server/index.js'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: pg.url,
      DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'sb-e2e-pg-')),
      LOG_LEVEL: 'fatal',
    },
    stdio: 'ignore',
  });
  await expect
    .poll(
      () =>
        fetch(`${base}/api/health`).then(
          (r) => r.status,
          () => 0,
        ),
      { timeout: 60_000 },
    )
    .toBe(200);
  const created = (await (
    await fetch(`${base}/api/boards`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'Saving paused', baselineOpen: true }),
    })
  ).json()) as { id: string; links: { editor: string; viewer: string } };

  const context = await browser.newContext();
  await rememberIdentity(context, 'Omar Farooq', '#047857');
  const page = await context.newPage();
  await page.goto(created.links.editor);
  const status = page.getByTestId('connection-status');
  await expect(status).toHaveAttribute('data-state', 'live');

  await pg.stop();
  await typeValue(page, 'conversionRate', '7');
  await expect(status).toHaveAttribute('data-state', 'paused');
  await expect(status).toContainText('Saving paused');
  await expect(status).toHaveAttribute('title', /kept on this device/);
  // The edit stays on the page meanwhile.
  await expect(page.getByTestId('input-conversionRate')).toHaveValue('7');

  await pg.start();
  await expect(status).toHaveAttribute('data-state', 'live', { timeout: 45_000 });
  // Stored: a newcomer gets it from the server.
  const other = await (await browser.newContext()).newPage();
  await other.goto(created.links.viewer);
  await expect(other.getByTestId('connection-status')).toHaveAttribute('data-state', 'live');
  await expect(other.getByTestId('input-conversionRate')).toHaveValue('7');
  await context.close();
});
