import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { defaultAssumptions, kpis, project } from '../lib/model';
import { formatUsd } from '../lib/format';
import {
  createBoard,
  expectedTotals,
  openBoard,
  rememberIdentity,
  typeValue,
  type TestBoard,
} from './helpers';

const SHOTS = path.resolve('docs/screenshots');

async function twoPeople(
  browser: Browser,
  board: TestBoard,
  bLink: 'editor' | 'viewer' = 'editor',
) {
  const contextA = await browser.newContext({ acceptDownloads: true });
  const contextB = await browser.newContext();
  await rememberIdentity(contextA, 'Amina Khan', '#0e7490');
  await rememberIdentity(contextB, 'Bilal Ahmed', '#c2410c');
  const a = await contextA.newPage();
  const b = await contextB.newPage();
  await openBoard(a, board.links.moderator);
  await openBoard(b, board.links[bLink]);
  return {
    a,
    b,
    contextA,
    contextB,
    close: () => Promise.all([contextA.close(), contextB.close()]),
  };
}

/** A adds a scenario with the defaults and returns its id (it becomes the one shown). */
async function addScenario(page: Page): Promise<string> {
  const before = await page.getByTestId('scenario-tab').count();
  await page.getByTestId('scenario-add').click();
  await expect(page.getByTestId('scenario-tab')).toHaveCount(before + 1);
  const tab = page.getByTestId('scenario-tab').nth(before);
  await expect(tab).toHaveAttribute('aria-selected', 'true');
  return (await tab.getAttribute('data-scenario-id')) ?? '';
}

const total2028 = (changes: Parameters<typeof expectedTotals>[0] = {}) =>
  kpis(project({ ...defaultAssumptions(), ...changes })).total2028 ?? Number.NaN;

test('scenarios are managed and compared live: B sees A’s new scenario and the delta against the baseline', async ({
  browser,
  request,
}) => {
  test.setTimeout(60_000);
  const board = await createBoard(request, 'Compare');
  const { a, b, close } = await twoPeople(browser, board);
  const baselineId =
    (await a.getByTestId('scenario-tab').first().getAttribute('data-scenario-id')) ?? '';

  const id = await addScenario(a);
  await typeValue(a, 'conversionRate', '5');
  // Rename inline and recolour.
  await a.getByTestId('scenario-menu').click();
  await a.getByTestId(`scenario-rename-${id}`).click();
  await a.getByTestId('scenario-name-input').fill('Bold');
  await a.getByTestId('scenario-name-input').press('Enter');
  await expect(b.getByTestId('scenario-tab').filter({ hasText: 'Bold' })).toBeVisible();

  await b.getByTestId(`compare-select-${baselineId}`).check();
  await b.getByTestId(`compare-select-${id}`).check();
  await expect(b.getByTestId('compare-chart').locator('svg.recharts-surface').last()).toBeVisible();
  const table = b.getByTestId('compare-table');
  await expect(table).toBeVisible();
  const delta = total2028({ conversionRate: 5 }) - total2028();
  await expect(b.getByTestId(`compare-delta-${id}-2028`)).toHaveText(`+${formatUsd(delta)}`);
  await expect(b.getByTestId(`compare-diff-${id}-conversionRate`)).toContainText('5');

  // Baseline badge moves; delete with undo.
  await a.getByTestId('scenario-menu').click();
  await a.getByTestId(`scenario-baseline-${id}`).click();
  await expect(b.locator(`[data-scenario-id="${id}"]`).getByTestId('baseline-badge')).toBeVisible();
  await a.getByTestId('scenario-menu').click();
  await a.getByTestId(`scenario-delete-${id}`).click();
  await expect(b.getByTestId('scenario-tab')).toHaveCount(1);
  await a.getByTestId('scenario-undo-delete').click();
  await expect(b.getByTestId('scenario-tab')).toHaveCount(2);
  await expect(b.locator(`[data-scenario-id="${id}"]`)).toContainText('Bold');
  await expect(b.locator(`[data-scenario-id="${id}"]`).getByTestId('baseline-badge')).toBeVisible();

  await close();
});

test('undo / redo of one’s own edits, and the decision log with replay', async ({
  browser,
  request,
}) => {
  test.setTimeout(60_000);
  const board = await createBoard(request, 'Undo');
  const { a, b, close } = await twoPeople(browser, board);

  await typeValue(a, 'conversionRate', '5');
  await expect(b.getByTestId('input-conversionRate')).toHaveValue('5');
  await typeValue(b, 'trainingOutput', '100000');
  await expect(a.getByTestId('input-trainingOutput')).toHaveValue('100,000');

  // A's undo reverts only A's edit (not B's), for everyone.
  await a.getByTestId('undo').click();
  await expect(b.getByTestId('input-conversionRate')).toHaveValue('1.3');
  await expect(b.getByTestId('input-trainingOutput')).toHaveValue('100,000');
  await a.getByTestId('redo').click();
  await expect(b.getByTestId('input-conversionRate')).toHaveValue('5');
  // Keyboard: Ctrl+Z outside a text field.
  await a.getByTestId('kpi-total-2028').click();
  await a.keyboard.press('Control+z');
  await expect(b.getByTestId('input-conversionRate')).toHaveValue('1.3');
  await a.keyboard.press('Control+Shift+z');
  await expect(b.getByTestId('input-conversionRate')).toHaveValue('5');

  await b.getByTestId('tab-history').click();
  // The server keeps the log: A's undo and redo within a few seconds are one decision, dated by
  // its last change (so it is now the newest), attributed to A's server-issued identity.
  await expect(b.getByTestId('log-entry')).toHaveCount(2);
  await expect(b.getByTestId('log-entry').first()).toContainText('Amina Khan');
  await expect(b.getByTestId('log-entry').nth(1)).toContainText('Bilal Ahmed');
  await b.getByTestId('log-filter').selectOption('conversionRate');
  await expect(b.getByTestId('log-entry')).toHaveCount(1);
  await expect(b.getByTestId('log-entry')).toContainText('1.3% → 5%');

  await b.getByTestId('replay-prev').click();
  await b.getByTestId('replay-prev').click();
  await expect(b.getByTestId('replay-position')).toHaveText('Step 0 of 2');
  await expect(b.getByTestId('replay-total')).toHaveText(formatUsd(total2028()));
  await b.getByTestId('replay-next').click();
  await b.getByTestId('replay-next').click();
  await expect(b.getByTestId('replay-total')).toHaveText(
    formatUsd(total2028({ conversionRate: 5, trainingOutput: 100_000 })),
  );
  await close();
});

test('a saved version can be rolled back on both screens, and the rollback undone', async ({
  browser,
  request,
}) => {
  test.setTimeout(60_000);
  const board = await createBoard(request, 'Versions');
  const { a, b, close } = await twoPeople(browser, board);

  await a.getByTestId('tab-history').click();
  await a.getByTestId('version-name').fill('Before the workshop');
  await a.getByTestId('version-save').click();
  await expect(a.getByTestId('version-list')).toContainText('Before the workshop');

  await typeValue(b, 'conversionRate', '5');
  // Leave the box: a focused box keeps its own draft while others change the value.
  await b.getByTestId('input-conversionRate').blur();
  await expect(a.getByTestId('input-conversionRate')).toHaveValue('5');

  await a
    .getByTestId('version-item')
    .filter({ hasText: 'Before the workshop' })
    .getByTestId('version-open')
    .click();
  await expect(a.getByTestId('version-detail')).toContainText('Freelancer conversion rate');
  await a.getByTestId('version-restore-rollback').click();
  await a.getByTestId('version-restore-confirm').click();
  for (const page of [a, b])
    await expect(page.getByTestId('input-conversionRate')).toHaveValue('1.3');
  await expect(b.getByTestId('kpi-total-2028')).toHaveText(expectedTotals().total2028);

  await a.getByTestId('version-undo').click();
  for (const page of [a, b])
    await expect(page.getByTestId('input-conversionRate')).toHaveValue('5');
  await close();
});

test('CSV and JSON downloads hold every scenario and year; the print page renders', async ({
  browser,
  request,
}) => {
  test.setTimeout(60_000);
  const board = await createBoard(request, 'Exports');
  const { a, contextA, close } = await twoPeople(browser, board);
  const id = await addScenario(a);
  await typeValue(a, 'conversionRate', '5');
  const years = project(defaultAssumptions()).years.length;

  await a.getByTestId('export-menu').click();
  const [csv] = await Promise.all([
    a.waitForEvent('download'),
    a.getByTestId('export-csv').click(),
  ]);
  const lines = fs
    .readFileSync((await csv.path()) ?? '', 'utf8')
    .trim()
    .split(/\r\n/);
  // Memo-ready: readable headers with units, every assumption, the scenario id last.
  expect(lines[0]).toMatch(/^"Scenario","Year","Total exports \(USD\)",/);
  expect(lines[0]).toContain('"Freelancer conversion rate (%)"');
  expect(lines).toHaveLength(1 + 2 * years);
  expect(lines.filter((l) => l.endsWith(`,"${id}"`))).toHaveLength(years);
  const row2028 = lines.find((l) => l.endsWith(`,"${id}"`) && l.includes(',2028,'));
  expect(row2028?.split(',')[2]).toBe(String(Math.round(total2028({ conversionRate: 5 }))));

  await a.getByTestId('export-menu').click();
  const [json] = await Promise.all([
    a.waitForEvent('download'),
    a.getByTestId('export-json').click(),
  ]);
  const data = JSON.parse(fs.readFileSync((await json.path()) ?? '', 'utf8')) as {
    format: string;
    scenarios: { id: string; assumptions: { conversionRate: number }; years: unknown[] }[];
  };
  expect(data.format).toBe('scenario-board/v1');
  expect(data.scenarios).toHaveLength(2);
  expect(data.scenarios.find((s) => s.id === id)?.assumptions.conversionRate).toBe(5);
  expect(data.scenarios.every((s) => s.years.length === years)).toBe(true);

  // The chart as a PNG.
  await a.getByTestId('export-menu').click();
  const [png] = await Promise.all([
    a.waitForEvent('download'),
    a.getByTestId('export-png').click(),
  ]);
  expect(png.suggestedFilename()).toMatch(/\.png$/);
  const image = fs.readFileSync((await png.path()) ?? '');
  fs.writeFileSync(path.join(process.cwd(), 'docs', 'screenshots', 'chart-export.png'), image);
  expect(image.subarray(1, 4).toString()).toBe('PNG');
  // Memo-ready: the chart (its SVG's size) framed by title, legend and source, drawn at 2x.
  const chartBox = await a.evaluate(() => {
    let best = { width: 0, height: 0 };
    for (const el of document.querySelectorAll('[data-testid="chart-exports"] svg')) {
      const r = el.getBoundingClientRect();
      if (r.width * r.height > best.width * best.height)
        best = { width: r.width, height: r.height };
    }
    return { width: Math.round(best.width), height: Math.round(best.height) };
  });
  const pngWidth = image.readUInt32BE(16);
  const pngHeight = image.readUInt32BE(20);
  expect(pngWidth).toBe(2 * Math.max(640, chartBox.width + 48));
  expect(pngHeight).toBeGreaterThan(2 * (chartBox.height + 150));

  // A bad import file is refused with the server's message.
  await a.getByTestId('export-menu').click();
  await a.getByTestId('import-json').setInputFiles({
    name: 'bad.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify({ name: 'X', assumptions: { conversionRate: 'high' } })),
  });
  await expect(a.getByTestId('export-message')).toContainText('assumptions.conversionRate');

  // The printable report opens in a new tab with this device's access.
  const [report] = await Promise.all([
    contextA.waitForEvent('page'),
    a.getByTestId('print-link').click(),
  ]);
  await expect(report.getByTestId('print-report')).toBeVisible();
  await expect(report.getByTestId('report-assumptions')).toContainText(
    'Freelancer conversion rate',
  );
  await expect(report.getByTestId('report-kpis')).toContainText(
    formatUsd(total2028({ conversionRate: 5 })),
  );
  await expect(
    report.getByTestId('report-chart').locator('svg.recharts-surface').last(),
  ).toBeVisible();
  await expect(report.getByTestId('print-button')).toBeVisible();

  // The embed view: chart and figures only.
  await report.goto(`/b/${board.id}/embed`);
  await expect(report.getByTestId('embed-view').getByTestId('chart-exports')).toBeVisible();
  await expect(report.getByTestId('kpi-total-2028')).toBeVisible();
  await close();
});

test('a comment thread appears live for the other person; viewers read but cannot write', async ({
  browser,
  request,
}) => {
  test.setTimeout(60_000);
  const board = await createBoard(request, 'Comments');
  const { a, b, close } = await twoPeople(browser, board, 'viewer');

  await a.getByTestId('comments-conversionRate').click();
  await a.getByTestId('comment-input').fill('Is 5% realistic by 2026?');
  await a.getByTestId('comment-submit').click();

  await expect(b.getByTestId('comments-conversionRate')).toHaveAttribute('data-count', '1');
  await b.getByTestId('comments-conversionRate').click();
  await expect(b.getByTestId('comments-panel-conversionRate')).toContainText(
    'Is 5% realistic by 2026?',
  );
  await expect(b.getByTestId('comments-panel-conversionRate')).toContainText('Amina Khan');
  await expect(b.getByTestId('comment-input')).toHaveCount(0);

  await a.getByTestId('comment-resolve').click();
  await expect(b.getByTestId('comments-conversionRate')).toHaveAttribute('data-count', '0');
  await close();
});

test('screenshots: history tab, compare view and print page', async ({ browser, request }) => {
  test.setTimeout(90_000);
  fs.mkdirSync(SHOTS, { recursive: true });
  const board = await createBoard(request, 'Lahore workshop');
  for (const size of ['desktop', 'phone'] as const) {
    const viewport =
      size === 'desktop' ? { width: 1440, height: 900 } : { width: 390, height: 844 };
    const context = await browser.newContext({
      viewport,
      isMobile: size === 'phone',
      hasTouch: size === 'phone',
    });
    await rememberIdentity(context, 'Amina Khan', '#0e7490');
    const page = await context.newPage();
    await openBoard(page, board.links.moderator);
    if (size === 'desktop') {
      const id = await addScenario(page);
      await page.getByTestId('scenario-menu').click();
      await page.getByTestId(`scenario-rename-${id}`).click();
      await page.getByTestId('scenario-name-input').fill('Bold');
      await page.getByTestId('scenario-name-input').press('Enter');
      await typeValue(page, 'conversionRate', '5');
      await typeValue(page, 'trainingOutput', '100000');
      await page.getByTestId('comments-conversionRate').click();
      await page.getByTestId('comment-input').fill('Is 5% realistic by 2026?');
      await page.getByTestId('comment-submit').click();
      await page.keyboard.press('Escape');
      await page.getByTestId('tab-history').click();
      await page.getByTestId('version-name').fill('After session 1');
      await page.getByTestId('version-save').click();
      await expect(page.getByTestId('version-item')).toHaveCount(1);
      await page.getByTestId('tab-outcomes').click();
      await page
        .locator('#compare-heading')
        .evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: path.join(SHOTS, 'compare-desktop.png') });
    }
    await page.getByTestId('tab-history').click();
    await expect(page.getByTestId('log-entry').first()).toBeVisible();
    await page.getByTestId('history-tab').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, `history-${size}.png`) });
    if (size === 'desktop') {
      await page.goto(`/b/${board.id}/print`);
      await expect(
        page.getByTestId('report-chart').locator('svg.recharts-surface').last(),
      ).toBeVisible();
      await page.screenshot({ path: path.join(SHOTS, 'print.png') });
    }
    await context.close();
  }
  for (const f of [
    'compare-desktop.png',
    'history-desktop.png',
    'history-phone.png',
    'print.png',
  ]) {
    expect(fs.statSync(path.join(SHOTS, f)).size).toBeLessThan(300_000);
  }
});
