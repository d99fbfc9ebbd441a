// Security headers of the pages, and the Content-Security-Policy in a real browser: every page
// (landing, join, board with its analysis worker, QR code and PNG export, projector, print, embed)
// works with no policy violation; only the embed page may be framed by another site.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page, type Response } from '@playwright/test';
import { createBoard, rememberIdentity } from './helpers';

/** Violations the page reports (its own event and the console), from before its first script. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  const fromConsole: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Content-Security-Policy/i.test(m.text()))
      fromConsole.push(m.text());
  });
  page.on('pageerror', (e) => {
    if (/Content Security Policy|Content-Security-Policy|unsafe-eval/i.test(e.message))
      fromConsole.push(e.message);
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(
        `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber}) ${e.sample}`,
      ),
    );
  });
  return async () => [
    ...fromConsole,
    ...(await page.evaluate(
      () => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? [],
    )),
  ];
}

function expectPageHeaders(res: Response | null, { embeddable = false } = {}): string {
  expect(res, 'page response').not.toBeNull();
  const headers = res!.headers();
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['x-powered-by']).toBeUndefined();
  const csp = headers['content-security-policy'] ?? '';
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).not.toContain('unsafe-eval');
  expect(csp).toContain("object-src 'none'");
  if (embeddable) expect(csp).not.toContain('frame-ancestors');
  else expect(csp).toContain("frame-ancestors 'none'");
  return csp;
}

test('every page works under its Content-Security-Policy with no violation', async ({
  browser,
  request,
}) => {
  test.setTimeout(90_000);
  const board = await createBoard(request, 'Policy check');
  const context = await browser.newContext();
  await rememberIdentity(context, 'Sana Mir', '#0e7490');
  const page = await context.newPage();
  const violations = await watchViolations(page);
  const moderatorToken = board.links.moderator.split('#t=')[1] ?? '';

  // Landing page and join page.
  const landing = expectPageHeaders(await page.goto('/'));
  await expect(page.getByTestId('create-board-title')).toBeVisible();
  expectPageHeaders(await page.goto(`/join?code=${board.joinCode}`));
  await expect(page.getByTestId('join-code')).toHaveValue(board.joinCode);

  // The board: live sockets, the share dialog's QR code, the analysis Web Worker, a PNG export.
  const boardPolicy = expectPageHeaders(await page.goto(board.links.moderator));
  expect(boardPolicy.match(/'nonce-([^']+)'/)?.[1]).not.toBe(landing.match(/'nonce-([^']+)'/)?.[1]);
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('chart-exports')).toBeVisible();
  await page.getByTestId('share-button').click();
  await expect(page.getByTestId('share-dialog').locator('img[src^="data:"]').first()).toBeVisible();
  await page.keyboard.press('Escape');
  await page.getByTestId('export-menu').click();
  const [png] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-png').click(),
  ]);
  expect(png.suggestedFilename()).toMatch(/\.png$/);
  await page.getByTestId('export-menu').click();
  const [csv] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-csv').click(),
  ]);
  expect(csv.url()).toMatch(/\/export\.csv\?dl=/);
  await page.getByTestId('tab-analysis').click();
  await expect(page.getByTestId('analysis-fan-chart')).toHaveAttribute('data-state', 'ready');
  expect(await violations()).toEqual([]);

  // Projector, print and embed views.
  expectPageHeaders(await page.goto(`/b/${board.id}/present#t=${moderatorToken}`));
  await expect(page.getByTestId('projector-qr')).toBeVisible();
  await expect(page.getByTestId('chart-exports')).toBeVisible();
  expect(await violations()).toEqual([]);
  expectPageHeaders(await page.goto(`/b/${board.id}/print#t=${moderatorToken}`));
  await expect(page.getByTestId('print-report')).toBeVisible();
  expect(await violations()).toEqual([]);
  expectPageHeaders(await page.goto(`/b/${board.id}/embed#t=${moderatorToken}`), {
    embeddable: true,
  });
  await expect(page.getByTestId('embed-view').getByTestId('chart-exports')).toBeVisible();
  expect(await violations()).toEqual([]);

  // A page that is not found renders under the policy too.
  expectPageHeaders(await page.goto('/b/Not_A_Board'));
  await expect(page.getByTestId('not-found')).toBeVisible();
  expect(await violations()).toEqual([]);
  await context.close();
});

test('another site can frame the embed page but not the board', async ({
  page,
  request,
  baseURL,
}) => {
  const board = await createBoard(request, 'Framed');
  const viewer = board.links.viewer.split('#t=')[1] ?? '';
  // Another site (another port is another origin), without a policy of its own, framing both.
  const otherSite = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(
      `<iframe id="embed" src="${baseURL}/b/${board.id}/embed#t=${viewer}" width="700" height="500"></iframe>` +
        `<iframe id="board" src="${baseURL}/b/${board.id}#t=${viewer}" width="700" height="500"></iframe>`,
    );
  });
  await new Promise<void>((resolve) => otherSite.listen(0, '127.0.0.1', resolve));
  try {
    await page.goto(`http://127.0.0.1:${(otherSite.address() as AddressInfo).port}/`);
    await expect(
      page.frameLocator('#embed').getByTestId('embed-view').getByTestId('chart-exports'),
    ).toBeVisible();
    // Chromium replaces a frame refused by frame-ancestors with its error page.
    await expect
      .poll(() => page.frames().map((f) => f.url()))
      .toContain('chrome-error://chromewebdata/');
    expect(page.frames().filter((f) => f.url().startsWith('chrome-error:'))).toHaveLength(1);
    await expect(page.frameLocator('#board').getByTestId('board-title')).toHaveCount(0);
  } finally {
    otherSite.close();
  }
});
