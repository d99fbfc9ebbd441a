/**
 * Screenshots for the README and design review (not a test): `npm run build`, start the server,
 * then `BASE_URL=http://127.0.0.1:3000 node --import tsx e2e/screenshots.ts [outDir]`.
 * Writes landing, board and not-found pages at desktop (1440x900) and phone (390x844) sizes.
 */
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
const outDir = path.resolve(process.argv[2] ?? 'docs/screenshots');

const SIZES = {
  desktop: { width: 1440, height: 900 },
  mobile: { width: 390, height: 844 },
} as const;

interface CreatedBoard {
  id: string;
  path: string;
  links: { moderator: string; editor: string; viewer: string };
}

async function createBoard(title: string): Promise<CreatedBoard> {
  const res = await fetch(`${base}/api/boards`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title }),
  });
  if (!res.ok) throw new Error(`create board: ${res.status} ${await res.text()}`);
  return (await res.json()) as CreatedBoard;
}

async function context(
  browser: Browser,
  size: keyof typeof SIZES,
  name: string,
  color: string,
): Promise<BrowserContext> {
  const ctx = await browser.newContext({
    viewport: SIZES[size],
    deviceScaleFactor: 1,
    isMobile: size === 'mobile',
    hasTouch: size === 'mobile',
  });
  await ctx.addInitScript(
    ([n, c]) =>
      window.localStorage.setItem('scenario-board:identity', JSON.stringify({ name: n, color: c })),
    [name, color] as const,
  );
  return ctx;
}

async function openBoard(ctx: BrowserContext, link: string): Promise<Page> {
  const page = await ctx.newPage();
  await page.goto(link);
  await page.getByTestId('kpi-total-2028').waitFor();
  await page.locator('[data-testid="connection-status"][data-state="live"]').waitFor();
  return page;
}

async function setValue(page: Page, id: string, value: string): Promise<void> {
  const input = page.getByTestId(`input-${id}`);
  await input.fill(value);
  await input.press('Enter');
}

async function main(): Promise<void> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const board = await createBoard('IT exports workshop, Lahore');
    await createBoard('Freelance policy review');

    for (const size of ['desktop', 'mobile'] as const) {
      // A moderator with a second scenario, and a participant editing the conversion rate.
      const amina = await context(browser, size, 'Amina Khan', '#0e7490');
      const page = await openBoard(amina, board.links.moderator);
      if (size === 'desktop') {
        await page.getByTestId('add-scenario').first().click();
        await setValue(page, 'trainingOutput', '120000');
        await setValue(page, 'conversionRate', '5');
        await setValue(page, 'servicesShare', '55');
        await page.getByTestId('scenario-tab').first().click();
      }
      const bilal = await context(browser, size, 'Bilal Ahmed', '#c2410c');
      const other = await openBoard(bilal, board.links.editor);
      await other.getByTestId('input-conversionRate').focus();
      await page.getByTestId('editors-conversionRate').waitFor();
      await page.mouse.move(0, 0);
      await page.screenshot({ path: path.join(outDir, `board-${size}.png`) });
      await bilal.close();

      // Landing page with this browser's recent boards.
      const landing = await amina.newPage();
      await landing.goto(`${base}/`);
      await landing.getByTestId('recent-board').first().waitFor();
      await landing.screenshot({ path: path.join(outDir, `landing-${size}.png`) });

      const missing = await amina.newPage();
      await missing.goto(`${base}/b/nosuchboard2x#t=${board.links.editor.split('#t=')[1] ?? ''}`);
      await missing.getByTestId('not-found').waitFor();
      await missing.screenshot({ path: path.join(outDir, `not-found-${size}.png`) });
      await amina.close();
    }
  } finally {
    await browser.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
