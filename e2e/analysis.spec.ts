import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { defaultAssumptions, monteCarlo, type Assumptions } from '../lib/model';
import { ANALYSIS_SAMPLES, analysisSeed, formatProbability } from '../lib/client/analysis';
import { createBoard, openBoard, rememberIdentity, typeValue, type TestBoard } from './helpers';

/** The probability of $10B in 2028 every client must show for these values (same seed, same draws). */
function expectedProbability(
  boardId: string,
  scenarioId: string,
  changes: Partial<Assumptions>,
): string {
  const mc = monteCarlo(
    { ...defaultAssumptions(), ...changes },
    { seed: analysisSeed(boardId, scenarioId), samples: ANALYSIS_SAMPLES, bands: {} },
  );
  return formatProbability(mc.probabilityMet.t10);
}

async function openAnalysis(page: Page): Promise<string> {
  await page.getByTestId('tab-analysis').click();
  await expect(page.getByTestId('analysis-fan-chart')).toHaveAttribute('data-state', 'ready');
  const id = await page.getByTestId('analysis-tab').getAttribute('data-scenario');
  expect(id).toBeTruthy();
  return id ?? '';
}

test('the Analysis tab settles "what would it take" live for two people on one board', async ({
  browser,
  request,
}) => {
  // Two browsers and several round trips on a busy two-core machine.
  test.setTimeout(90_000);
  const board = await createBoard(request, 'Analysis workshop');
  const contextA = await browser.newContext();
  const contextB = await browser.newContext();
  await rememberIdentity(contextA, 'Amina Khan', '#0e7490');
  await rememberIdentity(contextB, 'Bilal Ahmed', '#c2410c');
  const a = await contextA.newPage();
  const b = await contextB.newPage();

  // A (moderator) makes a second scenario to work on; B opens the same one.
  await openBoard(a, board.links.moderator);
  await a.getByTestId('add-scenario').first().click();
  await expect(a.getByTestId('scenario-tab')).toHaveCount(2);
  const scenarioId = await openAnalysis(a);
  await openBoard(b, board.links.editor);
  await b.locator(`[data-testid="scenario-tab"][data-scenario-id="${scenarioId}"]`).click();
  await expect(
    b.locator(`[data-testid="scenario-tab"][data-scenario-id="${scenarioId}"]`),
  ).toHaveAttribute('aria-selected', 'true');

  // Everything renders; the Monte Carlo runs in a worker and gives the agreed numbers.
  const fan = a.getByTestId('analysis-fan-chart');
  await expect(fan).toHaveAttribute('data-runner', 'worker');
  await expect(fan.locator('svg.recharts-surface')).toBeVisible();
  const p0 = expectedProbability(board.id, scenarioId, {});
  await expect(a.getByTestId('analysis-probability-t10')).toHaveText(p0);
  await expect(
    a.getByTestId('analysis-tornado').locator('[data-testid^="tornado-bar-"]').first(),
  ).toBeVisible();
  await expect(a.getByTestId('analysis-tornado')).toHaveAttribute('data-top', /\w+/);
  const waterfall = a.getByTestId('analysis-waterfall');
  await expect(waterfall).toHaveAttribute('data-state', 'ready');
  await expect(waterfall.getByTestId('waterfall-step-baseline')).toBeVisible();
  await expect(waterfall.getByTestId('waterfall-step-scenario')).toBeVisible();
  await expect(a.getByTestId('analysis-frontier')).toBeVisible();

  // Goal seek: $10B in 2028 on the conversion rate, applied as a shared edit.
  const goal = a.getByTestId('goal-seek');
  await goal.getByTestId('goal-seek-target').selectOption('t10');
  await goal.getByTestId('goal-seek-year').selectOption('2028');
  await goal.getByTestId('goal-seek-lever').selectOption('conversionRate');
  const result = goal.getByTestId('goal-seek-result');
  await expect(result).toHaveAttribute('data-status', 'reached');
  const applied = (await result.getAttribute('data-value')) ?? '';
  expect(Number(applied)).toBeGreaterThan(1.3);
  await expect(result).toContainText(`${applied}%`);
  // Unreachable levers say so plainly.
  await goal.getByTestId('goal-seek-lever').selectOption('servicesShare');
  await expect(result).toHaveAttribute('data-status', 'unreachable');
  await expect(result).toContainText('Not reachable within the range of');
  await goal.getByTestId('goal-seek-lever').selectOption('conversionRate');
  await goal.getByTestId('goal-seek-apply').click();

  await expect(b.getByTestId('input-conversionRate')).toHaveValue(applied);
  await expect(a.getByTestId('input-conversionRate')).toHaveValue(applied);
  await expect(result).toHaveAttribute('data-status', 'already-met');
  await expect(waterfall).toHaveAttribute('data-bars', 'conversionRate');
  const p1 = expectedProbability(board.id, scenarioId, { conversionRate: Number(applied) });
  expect(p1).not.toBe(p0);
  await expect(a.getByTestId('analysis-probability-t10')).toHaveText(p1);

  // B opens the Analysis tab too: the same numbers on both screens.
  await openAnalysis(b);
  await expect(b.getByTestId('analysis-probability-t10')).toHaveText(p1);
  const p50Before = await fan.getAttribute('data-p50-2028');

  // B moves a lever; A's probability, fan chart and waterfall follow.
  await typeValue(b, 'trainingOutput', '150000');
  await expect(a.getByTestId('input-trainingOutput')).toHaveValue('150,000');
  await expect(waterfall.getByTestId('waterfall-step-trainingOutput')).toBeVisible();
  await expect(waterfall).toHaveAttribute('data-bars', /trainingOutput/);
  const p2 = expectedProbability(board.id, scenarioId, {
    conversionRate: Number(applied),
    trainingOutput: 150_000,
  });
  await expect(a.getByTestId('analysis-probability-t10')).toHaveText(p2);
  await expect(b.getByTestId('analysis-probability-t10')).toHaveText(p2);
  await expect(fan).toHaveAttribute('data-state', 'ready');
  await expect(fan).not.toHaveAttribute('data-p50-2028', p50Before ?? '');

  await contextA.close();
  await contextB.close();
});

test('the baseline scenario explains there is nothing to attribute and offers another', async ({
  browser,
  request,
}) => {
  const board = await createBoard(request, 'Baseline only');
  const context = await browser.newContext();
  await rememberIdentity(context, 'Sara Malik', '#7c3aed');
  const page = await context.newPage();
  await openBoard(page, board.links.viewer);
  await openAnalysis(page);
  const waterfall = page.getByTestId('analysis-waterfall');
  await expect(waterfall).toHaveAttribute('data-state', 'same');
  await expect(waterfall).toContainText('is the baseline scenario');
  // A viewer can explore goal seek but not apply it.
  await expect(page.getByTestId('goal-seek-result')).toHaveAttribute('data-status', 'reached');
  await expect(page.getByTestId('goal-seek-apply')).toBeDisabled();
  await context.close();
});

/** Screenshots of the tab (desktop and phone); the phone layout must not scroll sideways. */
async function screenshotAnalysis(
  browser: Browser,
  board: TestBoard,
  size: 'desktop' | 'mobile',
  file: string,
) {
  const viewport = size === 'desktop' ? { width: 1440, height: 900 } : { width: 390, height: 844 };
  const context = await browser.newContext({
    viewport,
    deviceScaleFactor: 1,
    isMobile: size === 'mobile',
    hasTouch: size === 'mobile',
  });
  await rememberIdentity(context, 'Amina Khan', '#0e7490');
  const page = await context.newPage();
  await openBoard(page, board.links.moderator);
  const second = page.locator('[data-testid="scenario-tab"]').nth(1);
  await second.click();
  await openAnalysis(page);
  await expect(page.getByTestId('analysis-waterfall')).toHaveAttribute('data-state', 'ready');
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
  // Scroll so the outcome tabs sit at the top of the screen, the tab's first sections below.
  await page.evaluate(() => {
    const bar = document.querySelector('[data-testid="outcome-tabs"]');
    if (bar) window.scrollTo(0, bar.getBoundingClientRect().top + window.scrollY - 8);
  });
  await page.mouse.move(0, 0);
  await page.screenshot({ path: file });
  await context.close();
}

test('the Analysis tab lays out on a desktop and a phone', async ({
  browser,
  request,
}, testInfo) => {
  test.setTimeout(60_000);
  const board = await createBoard(request, 'IT exports workshop, Lahore');
  // A scenario that moves the headline levers, so every section has something to show.
  const context = await browser.newContext();
  await rememberIdentity(context, 'Amina Khan', '#0e7490');
  const setup = await context.newPage();
  await openBoard(setup, board.links.moderator);
  await setup.getByTestId('add-scenario').first().click();
  await expect(setup.getByTestId('scenario-tab')).toHaveCount(2);
  await typeValue(setup, 'trainingOutput', '120000');
  await typeValue(setup, 'conversionRate', '5');
  await typeValue(setup, 'servicesShare', '55');
  await expect(setup.getByTestId('input-servicesShare')).toHaveValue('55');
  await context.close();

  // ANALYSIS_SCREENSHOTS_DIR=docs/screenshots refreshes the README images; otherwise test output.
  const dir = process.env.ANALYSIS_SCREENSHOTS_DIR ?? testInfo.outputPath();
  fs.mkdirSync(dir, { recursive: true });
  await screenshotAnalysis(browser, board, 'desktop', path.join(dir, 'analysis-desktop.png'));
  await screenshotAnalysis(browser, board, 'mobile', path.join(dir, 'analysis-mobile.png'));
});
