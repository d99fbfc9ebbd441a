// A decision on record (issue 13, item 4): the moderator puts the outcome on record from the
// History tab (agreed scenario, reasons, a typed poll result); a viewer opening the link "a week
// later" (the browser clock moved) lands on it: the card at the top, the agreed scenario shown,
// absolute dates. The server's side (signing, dating, refusals, exports) is in
// test/decision.test.ts. Screenshots: docs/screenshots/decision-*.png (desktop and 390 px phone).
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { createBoard, openBoard, rememberIdentity } from './helpers';

const SHOTS = path.join(process.cwd(), 'docs', 'screenshots');

async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, name);
  await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
  expect(fs.statSync(file).size).toBeLessThan(300 * 1024);
}

const WEEK = 7 * 24 * 3600 * 1000;

test('the moderator puts the decision on record; a viewer a week later lands on it', async ({
  browser,
  request,
}) => {
  test.setTimeout(90_000);
  const board = await createBoard(request, 'IT exports workshop, Lahore');
  const modContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await rememberIdentity(modContext, 'Maria Lopez', '#0b5cad');
  const mod = await modContext.newPage();
  await openBoard(mod, board.links.moderator);

  // A second scenario, the one the room agrees on.
  await mod.getByTestId('add-scenario').click();
  await expect(mod.getByTestId('scenario-tab')).toHaveCount(2);
  await mod.getByTestId('tab-history').click();
  await mod.getByTestId('decision-record').click();
  await mod.getByTestId('decision-scenario').selectOption({ index: 1 });
  const agreed = (
    await mod.locator('[data-testid="decision-scenario"] option:checked').innerText()
  ).trim();
  expect(agreed).not.toBe('Baseline');
  await mod
    .getByTestId('decision-reasons-input')
    .fill('Reaches the $5B policy target by 2028 with training the province can fund.');
  await mod.getByTestId('decision-typed-poll').fill('Show of hands: 11 of 12 in favour');
  await mod.getByTestId('decision-submit').click();
  const panel = mod.getByTestId('decision-panel');
  await expect(panel).toContainText(`${agreed} agreed`);
  await expect(panel).toContainText('recorded by Maria Lopez');
  await expect(panel.getByTestId('decision-polls')).toContainText('11 of 12 in favour');
  // Everyone on the board sees the one-line banner at once.
  await expect(mod.getByTestId('decision-banner')).toContainText(`Decision on record: ${agreed}`);
  await shot(mod, 'decision-moderator-desktop.png');

  // --- a week later, a stakeholder opens the viewer link ------------------------------------
  for (const [name, viewport] of [
    ['desktop', { width: 1366, height: 768 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    const viewerContext = await browser.newContext({ viewport });
    await rememberIdentity(viewerContext, 'Omar Sheikh', '#059669');
    const viewer = await viewerContext.newPage();
    await viewer.clock.install({ time: Date.now() + WEEK });
    await openBoard(viewer, board.links.viewer);
    const banner = viewer.getByTestId('decision-banner');
    await expect(banner).toContainText(`Decision on record: ${agreed}`);
    // Open for a viewer: the reasons, what the room said, who took part, an absolute date.
    await expect(banner.getByTestId('decision-reasons')).toContainText('$5B policy target');
    await expect(banner.getByTestId('decision-polls')).toContainText('11 of 12 in favour');
    await expect(banner.getByTestId('decision-participation')).toContainText('1 moderator');
    await expect(banner.locator('time')).toContainText(String(new Date().getFullYear()));
    await expect(banner.locator('time')).toContainText('7 days ago');
    // Landed on the agreed scenario.
    await expect(
      viewer.locator('[data-testid="scenario-tab"][aria-selected="true"]'),
    ).toContainText(agreed);
    // Nothing to record for a viewer.
    await viewer.getByTestId('tab-history').click();
    await expect(viewer.getByTestId('decision-record')).toHaveCount(0);
    await viewer.evaluate(() => window.scrollTo(0, 0));
    const scrollWidth = await viewer.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth).toBeLessThanOrEqual(viewport.width);
    await shot(viewer, `decision-viewer-${name}.png`);
    if (name === 'desktop') {
      // The Analysis tab's chance of the $10B aspiration for the agreed scenario (shown now).
      await viewer.getByTestId('tab-analysis').click();
      const fan = viewer.getByTestId('analysis-fan-chart');
      await expect(fan).toHaveAttribute('data-state', 'ready');
      const tabChance = await fan.getAttribute('data-probability-t10');
      expect(tabChance).toMatch(/%$/);
      // The printable report opens with the decision and carries the poll results and the log.
      await viewer.goto(`/b/${board.id}/print`);
      await expect(viewer.getByTestId('report-decision')).toContainText(`Decision: ${agreed}`);
      await expect(viewer.getByTestId('report-decision')).toContainText('11 of 12 in favour');
      await expect(viewer.getByTestId('report-polls')).toBeVisible();
      await expect(viewer.getByTestId('report-log')).toBeVisible();
      // Target probabilities for the agreed scenario, from the Analysis tab's Monte Carlo.
      const odds = viewer.getByTestId('report-targets');
      await expect(odds).toContainText('Chance of reaching the targets by 2028');
      await expect(odds).toContainText('10,000 simulated futures');
      await expect(odds).toContainText('depend on those bands');
      const row = odds.getByTestId('report-targets-row');
      await expect(row).toHaveCount(1);
      await expect(row).toContainText(`${agreed} (agreed)`);
      await expect(row).toHaveAttribute('data-state', 'ready');
      for (const id of ['t5', 't10', 't18'])
        await expect(row.getByTestId(`report-odds-${id}`)).toHaveText(/^(<1%|>99%|\d{1,3}%)$/);
      await expect(odds.locator('thead')).toContainText('$5B policy target');
      await expect(odds.locator('thead')).toContainText('$10B aspiration (low)');
      // The same simulation as the Analysis tab: the same number.
      await expect(row.getByTestId('report-odds-t10')).toHaveText(tabChance!);
    }
    await viewerContext.close();
  }
  await modContext.close();
});
