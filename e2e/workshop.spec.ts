// Workshop mode: a moderator on a desktop, an editor on a phone who joined by code, and a viewer.
// Presenter follow, locks, the shared timer, a choice poll (saved on close), hands and reactions,
// and the projector view. Also regenerates docs/screenshots/workshop-*.png and present-desktop.png.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { createBoard, openBoard, rememberIdentity, typeValue } from './helpers';

const SHOTS = path.join(process.cwd(), 'docs', 'screenshots');

/** "mm:ss" to seconds. */
function seconds(text: string | null): number {
  const m = /(\d+):(\d{2})/.exec(text ?? '');
  if (!m) throw new Error(`not a timer: ${text}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

const selectedScenario = (page: Page): Locator =>
  page.locator('[data-testid="scenario-tab"][aria-selected="true"]');

async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, name);
  await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
  expect(fs.statSync(file).size).toBeLessThan(300 * 1024);
}

test('a moderator runs a workshop: follow, locks, timer, poll, hands; viewers watch', async ({
  browser,
  request,
}) => {
  // Three browsers and many round trips on a two-core machine.
  test.setTimeout(240_000); // four browsers; about 30 s on a quiet machine
  const board = await createBoard(request, 'Karachi policy workshop');

  const modContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await rememberIdentity(modContext, 'Amina Khan', '#0b5cad');
  const edContext = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  await rememberIdentity(edContext, 'Bilal Ahmed', '#c2410c');
  const viewContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await rememberIdentity(viewContext, 'Sara Malik', '#4d7c0f');
  const mod = await modContext.newPage();
  const ed = await edContext.newPage();
  const viewer = await viewContext.newPage();

  await openBoard(mod, board.links.moderator);
  // A second scenario to present (a copy of the baseline).
  await mod.getByTestId('add-scenario').click();
  await expect(mod.getByTestId('scenario-tab')).toHaveCount(2);

  // The editor joins with the code, on a phone.
  await ed.goto(`/join?code=${board.joinCode}`);
  await ed.getByRole('button', { name: 'Join' }).click();
  await expect(ed).toHaveURL(board.path);
  await expect(ed.getByTestId('connection-status')).toHaveAttribute('data-state', 'live');
  await openBoard(viewer, board.links.viewer);
  await expect(mod.getByTestId('presence-avatar')).toHaveCount(3);

  // --- presenter follow ---------------------------------------------------------------------
  await mod.getByTestId('scenario-tab').nth(1).click();
  const presented = (await selectedScenario(mod).getAttribute('data-scenario-id')) ?? '';
  await mod.getByTestId('present-toggle').click();
  await expect(mod.getByTestId('present-toggle')).toHaveAttribute('aria-checked', 'true');
  for (const page of [ed, viewer]) {
    await expect(page.getByTestId('follow-pill')).toContainText('Following Amina Khan');
    await expect(selectedScenario(page)).toHaveAttribute('data-scenario-id', presented);
  }
  await mod.getByTestId('tab-analysis').click();
  await expect(ed.getByTestId('tab-analysis')).toHaveAttribute('aria-selected', 'true');
  await mod.getByTestId('scenario-tab').nth(0).click();
  const baseline = (await selectedScenario(mod).getAttribute('data-scenario-id')) ?? '';
  await mod.getByTestId('tab-outcomes').click();
  await expect(selectedScenario(ed)).toHaveAttribute('data-scenario-id', baseline);
  await expect(ed.getByTestId('tab-outcomes')).toHaveAttribute('aria-selected', 'true');

  // The editor steps away (own navigation), then the moderator brings everyone back.
  await ed.getByTestId('scenario-tab').nth(1).click();
  await expect(ed.getByTestId('follow-again')).toBeVisible();
  await expect(selectedScenario(ed)).toHaveAttribute('data-scenario-id', presented);
  await mod.getByTestId('bring-back').click();
  await expect(ed.getByTestId('follow-pill')).toHaveAttribute('data-following', 'true');
  await expect(selectedScenario(ed)).toHaveAttribute('data-scenario-id', baseline);

  // --- locks ----------------------------------------------------------------------------------
  await expect(ed.getByTestId('input-conversionRate')).toBeEditable();
  await mod.getByTestId('lock-toggle-conversionRate').click();
  // No reason given: the lock form's "Lock" locks at once.
  await mod.getByTestId('lock-confirm-conversionRate').click();
  await expect(mod.getByTestId('lock-toggle-conversionRate')).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect(ed.getByTestId('input-conversionRate')).not.toBeEditable();
  await expect(ed.getByTestId('assumption-conversionRate')).toContainText('Locked by Amina Khan');
  // The moderator still edits; the room and the viewer see the value change.
  await typeValue(mod, 'conversionRate', '4');
  await expect(ed.getByTestId('input-conversionRate')).toHaveValue('4');
  await expect(viewer.getByTestId('input-conversionRate')).toHaveValue('4');
  // The viewer can never edit.
  await expect(viewer.getByTestId('input-conversionRate')).not.toBeEditable();
  await expect(viewer.getByTestId('input-trainingOutput')).not.toBeEditable();
  await expect(viewer.getByTestId('hand-raise')).toHaveCount(0);

  // Spotlight: every view marks the row.
  await mod.getByTestId('spotlight-conversionRate').click();
  await expect(ed.getByTestId('assumption-conversionRate')).toHaveAttribute(
    'data-spotlight',
    'true',
  );
  await expect(viewer.getByTestId('assumption-conversionRate')).toHaveAttribute(
    'data-spotlight',
    'true',
  );
  // A spotlight in a group the others have closed opens it for them: the room sees the row.
  await mod.getByTestId('group-workforce').locator('h3 > button').click();
  await mod.getByTestId('spotlight-placementRate').click();
  for (const page of [ed, viewer]) {
    await expect(page.getByTestId('assumption-placementRate')).toBeVisible();
    await expect(page.getByTestId('assumption-placementRate')).toHaveAttribute(
      'data-spotlight',
      'true',
    );
  }
  // Opened for them, not held open: the editor can close the group again.
  const workforce = ed.getByTestId('group-workforce').locator('h3 > button');
  await expect(workforce).toHaveAttribute('aria-expanded', 'true');
  await workforce.click();
  await expect(workforce).toHaveAttribute('aria-expanded', 'false');
  await expect(ed.getByTestId('assumption-placementRate')).toHaveCount(0);

  // --- timer ----------------------------------------------------------------------------------
  await mod.getByTestId('timer-preset-5').click();
  await mod.getByTestId('timer-start').click();
  await expect(mod.getByTestId('timer-display')).toHaveAttribute('data-state', 'running');
  await expect(ed.getByTestId('timer-display')).toHaveAttribute('data-state', 'running');
  const [modTime, edTime] = await Promise.all([
    mod.getByTestId('timer-display').textContent(),
    ed.getByTestId('timer-display').textContent(),
  ]);
  expect(seconds(modTime)).toBeGreaterThan(4 * 60);
  expect(seconds(modTime)).toBeLessThanOrEqual(5 * 60);
  expect(Math.abs(seconds(modTime) - seconds(edTime))).toBeLessThanOrEqual(1);

  // --- a choice poll -------------------------------------------------------------------------
  await mod.getByTestId('poll-open').click();
  await expect(mod.getByTestId('poll-question')).toHaveValue('Which scenario do we recommend?');
  await mod.getByTestId('poll-open-submit').click();
  await expect(ed.getByTestId('poll-card')).toContainText('Which scenario do we recommend?');
  await expect(ed.getByTestId('poll-option-0')).toContainText('Baseline');
  await ed.getByTestId('poll-option-1').click();
  // Counted against the people on the board (moderator, editor, viewer).
  await expect(mod.getByTestId('poll-voters')).toHaveText('1 of 3 answered');
  await viewer.getByTestId('poll-option-1').click();
  await expect(mod.getByTestId('poll-voters')).toHaveText('2 of 3 answered');
  await expect(mod.getByTestId('poll-count-1')).toContainText('2');
  // Choice poll results are hidden from participants until it closes: only the count shows.
  await expect(ed.getByTestId('poll-hidden')).toBeVisible();
  await expect(ed.getByTestId('poll-voters')).toHaveText('2 of 3 answered');
  await expect(ed.getByTestId('poll-count-1')).toHaveCount(0);
  await expect(ed.getByTestId('poll-option-1')).toHaveAttribute('aria-pressed', 'true');

  // Hands and reactions.
  await ed.getByTestId('hand-raise').click();
  await expect(mod.getByTestId('hands-list')).toContainText('Bilal Ahmed');
  await viewer.getByTestId('reaction-1').click();
  await expect(mod.getByTestId('reactions-float')).toContainText('👏');

  // The projector view (moderator's browser, new tab).
  const [projector] = await Promise.all([
    modContext.waitForEvent('page'),
    mod.getByTestId('projector-link').click(),
  ]);
  await projector.setViewportSize({ width: 1440, height: 900 });
  await expect(projector.getByTestId('projector-join-code')).toHaveText(board.joinCode);
  await expect(projector.getByTestId('projector-qr')).toBeVisible();
  await expect(projector.getByTestId('poll-card')).toContainText('2 of 3 answered');
  await expect(projector.getByTestId('projector-hands')).toContainText('Bilal Ahmed');
  await expect(projector.getByTestId('timer-display')).toHaveAttribute('data-state', 'running');
  await expect(projector.getByTestId('chart-exports')).toBeVisible();
  await expect(projector.getByTestId('projector-people')).toContainText('3');

  await mod.bringToFront();
  await shot(mod, 'workshop-moderator-desktop.png');
  await shot(ed, 'workshop-phone.png');
  await shot(projector, 'present-desktop.png');

  // The moderator lowers the hand; pausing shows the same time everywhere.
  await mod.getByRole('button', { name: 'Lower Bilal Ahmed’s hand' }).click();
  await expect(mod.getByTestId('hands-list')).toHaveCount(0);
  await expect(ed.getByTestId('hand-raise')).toHaveAttribute('aria-pressed', 'false');
  await mod.getByTestId('timer-pause').click();
  await expect(ed.getByTestId('timer-display')).toHaveAttribute('data-state', 'paused');
  const paused = await mod.getByTestId('timer-display').textContent();
  await expect(ed.getByTestId('timer-display')).toHaveText(paused ?? '');

  // --- closing the poll saves its result on the board ----------------------------------------
  await mod.getByTestId('poll-close').click();
  for (const page of [mod, ed, viewer]) await expect(page.getByTestId('poll-card')).toHaveCount(0);
  await mod.getByTestId('poll-results-toggle').click();
  const result = mod.getByTestId('poll-results').getByTestId('poll-result');
  await expect(result).toContainText('Which scenario do we recommend?');
  await expect(result).toContainText('2 answers');
  await ed.getByTestId('poll-results-toggle').click();
  await expect(ed.getByTestId('poll-result')).toContainText('Which scenario do we recommend?');

  // It survives a reload.
  await mod.reload();
  await expect(mod.getByTestId('connection-status')).toHaveAttribute('data-state', 'live');
  await mod.getByTestId('poll-results-toggle').click();
  await expect(mod.getByTestId('poll-result')).toContainText('2 answers');

  await modContext.close();
  await edContext.close();
  await viewContext.close();
});
