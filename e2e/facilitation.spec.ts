// The facilitator decides what the room may touch (issue 13, item 1): the baseline is read-only
// for participants until the moderator opens it, and "the room edits only the presented
// scenario". A moderator on a desktop and an editor in a second browser; the server enforces both
// rules (test/facilitation.test.ts), this checks what people see. Screenshots of the editor's
// read-only baseline (desktop and 390 px phone) go to docs/screenshots/facilitation-*.png.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { createBoard, openBoard, rememberIdentity, typeValue } from './helpers';

const SHOTS = path.join(process.cwd(), 'docs', 'screenshots');

const selectedScenario = (page: Page): Locator =>
  page.locator('[data-testid="scenario-tab"][aria-selected="true"]');

async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, name);
  await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
  expect(fs.statSync(file).size).toBeLessThan(300 * 1024);
}

test('the baseline stays as it is until the moderator opens it; the room can be kept on the presented scenario', async ({
  browser,
  request,
}) => {
  test.setTimeout(90_000);
  const board = await createBoard(request, 'Facilitation', { baselineOpen: false });
  const modContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await rememberIdentity(modContext, 'Maria Lopez', '#0b5cad');
  const edContext = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  await rememberIdentity(edContext, 'Bilal Ahmed', '#c2410c');
  const mod = await modContext.newPage();
  const ed = await edContext.newPage();
  await openBoard(mod, board.links.moderator);
  await openBoard(ed, board.links.editor);

  // --- the baseline is kept as it is --------------------------------------------------------
  const rate = ed.getByTestId('input-conversionRate');
  await expect(ed.getByTestId('read-only-note')).toContainText(
    'The baseline is kept as it is: the moderator can open it for editing.',
  );
  await expect(rate).toHaveAttribute('readonly', '');
  await expect(ed.getByTestId('slider-conversionRate')).toBeDisabled();
  const before = await rate.inputValue();
  await shot(ed, 'facilitation-baseline-editor-desktop.png');
  // The moderator edits it freely and sees the switch, off.
  await expect(mod.getByTestId('read-only-note')).toHaveCount(0);
  await expect(mod.getByTestId('baseline-open-toggle')).toHaveAttribute('aria-checked', 'false');

  // The editor's own scenario (a copy) is theirs to change.
  await ed.getByTestId('add-scenario').click();
  await expect(ed.getByTestId('scenario-tab')).toHaveCount(2);
  await expect(ed.getByTestId('read-only-note')).toHaveCount(0);
  await typeValue(ed, 'conversionRate', '4');
  await expect(ed.getByTestId('input-conversionRate')).toHaveValue('4');
  const own = (await selectedScenario(ed).getAttribute('data-scenario-id')) ?? '';

  // The moderator opens the baseline: the editor may now change it.
  await mod.getByTestId('baseline-open-toggle').click();
  await expect(mod.getByTestId('baseline-open-toggle')).toHaveAttribute('aria-checked', 'true');
  await ed.getByTestId('scenario-tab').nth(0).click();
  await expect(ed.getByTestId('read-only-note')).toHaveCount(0);
  await typeValue(ed, 'conversionRate', '2.5');
  await expect(mod.getByTestId('input-conversionRate')).toHaveValue('2.5');
  // Let go of the number box (a follower is not moved while typing).
  await ed.getByTestId('input-conversionRate').blur();
  expect(before).not.toBe('2.5');
  // Closed again, the editor sees why at once.
  await mod.getByTestId('baseline-open-toggle').click();
  await expect(ed.getByTestId('read-only-note')).toContainText('The baseline is kept as it is');

  // --- the room edits only the presented scenario --------------------------------------------
  await mod.getByTestId('scenario-tab').nth(1).click();
  await expect(selectedScenario(mod)).toHaveAttribute('data-scenario-id', own);
  await mod.getByTestId('present-toggle').click();
  await expect(mod.getByTestId('presented-only-toggle')).toHaveAttribute('aria-checked', 'false');
  await mod.getByTestId('presented-only-toggle').click();
  await expect(mod.getByTestId('presented-only-toggle')).toHaveAttribute('aria-checked', 'true');
  // The editor had stepped away (own navigation): brought back, they follow and may change it.
  await mod.getByTestId('bring-back').click();
  await expect(selectedScenario(ed)).toHaveAttribute('data-scenario-id', own);
  await expect(ed.getByTestId('read-only-note')).toHaveCount(0);
  // A third scenario, made by the moderator, is read-only for the room while this holds.
  await mod.getByTestId('add-scenario').click();
  await expect(ed.getByTestId('scenario-tab')).toHaveCount(3);
  await mod.getByTestId('scenario-tab').nth(1).click();
  await expect(ed.getByTestId('add-scenario')).toHaveCount(0);
  await ed.getByTestId('scenario-tab').nth(2).click();
  await expect(ed.getByTestId('read-only-note')).toContainText(
    'For now the room changes only the presented scenario',
  );
  await expect(ed.getByTestId('input-conversionRate')).toHaveAttribute('readonly', '');
  // A 10-minute timer runs.
  await mod.getByTestId('timer-preset-10').click();
  await mod.getByTestId('timer-start').click();
  await expect(mod.getByTestId('timer-pause')).toBeVisible();
  // The moderator reloads: back on what the room sees, not on the baseline; the timer's
  // duration shows as 10 minutes, not the 5-minute default.
  await mod.reload();
  await expect(mod.getByTestId('connection-status')).toHaveAttribute('data-state', 'live');
  await expect(selectedScenario(mod)).toHaveAttribute('data-scenario-id', own);
  await expect(mod.getByTestId('present-toggle')).toHaveAttribute('aria-checked', 'true');
  await expect(mod.getByTestId('timer-preset-10')).toHaveAttribute('aria-pressed', 'true');
  await expect(mod.getByTestId('timer-preset-5')).toHaveAttribute('aria-pressed', 'false');
  // Switched off, the room may change it again.
  await mod.getByTestId('presented-only-toggle').click();
  await expect(ed.getByTestId('read-only-note')).toHaveCount(0);

  await modContext.close();
  await edContext.close();
});

test('on a 390 px phone, the read-only baseline says why without sideways scrolling', async ({
  browser,
  request,
}) => {
  const board = await createBoard(request, 'Facilitation phone', { baselineOpen: false });
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  await rememberIdentity(context, 'Bilal Ahmed', '#c2410c');
  const ed = await context.newPage();
  await openBoard(ed, board.links.editor);
  const note = ed.getByTestId('read-only-note');
  await expect(note).toContainText('The baseline is kept as it is');
  await note.scrollIntoViewIfNeeded();
  const box = await note.boundingBox();
  expect(box!.x + box!.width).toBeLessThanOrEqual(390);
  await shot(ed, 'facilitation-baseline-editor-phone.png');
  await context.close();
});

test("a lock carries the moderator's reason; a locked value looks read-only and says why when tapped", async ({
  browser,
  request,
}) => {
  const board = await createBoard(request, 'Locks with reasons');
  const modContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await rememberIdentity(modContext, 'Maria Lopez', '#0b5cad');
  const edContext = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  await rememberIdentity(edContext, 'Bilal Ahmed', '#c2410c');
  const phoneContext = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  await rememberIdentity(phoneContext, 'Sara Malik', '#4d7c0f');
  const mod = await modContext.newPage();
  const ed = await edContext.newPage();
  const phone = await phoneContext.newPage();
  await openBoard(mod, board.links.moderator);
  await openBoard(ed, board.links.editor);
  await openBoard(phone, board.links.editor);

  await mod.getByTestId('lock-toggle-conversionRate').click();
  await mod.getByTestId('lock-reason-conversionRate').fill('agreed in the morning session');
  await mod.getByTestId('lock-reason-conversionRate').press('Enter');
  await expect(mod.getByTestId('lock-toggle-conversionRate')).toHaveAttribute(
    'aria-pressed',
    'true',
  );

  const why = 'Locked by Maria Lopez: agreed in the morning session';
  await expect(ed.getByTestId('lock-conversionRate')).toHaveText(why);
  const input = ed.getByTestId('input-conversionRate');
  await expect(input).not.toBeEditable();
  await expect(
    ed.getByTestId('assumption-conversionRate').locator('[data-locked="true"]'),
  ).toBeVisible();
  // Clicking the box says what to do, under it, without repeating the reason above it.
  await input.click();
  await expect(ed.getByTestId('assumption-message-conversionRate')).toHaveText(
    'Only the moderator can change a locked value.',
  );
  await expect(ed.getByTestId('assumption-conversionRate').getByText(why)).toHaveCount(1);
  await ed.getByTestId('assumption-conversionRate').scrollIntoViewIfNeeded();
  await shot(ed, 'facilitation-lock-editor-desktop.png');
  // On a phone, tapping the slider says why as well.
  await phone.getByTestId('slider-cover-conversionRate').tap();
  await expect(phone.getByTestId('assumption-message-conversionRate')).toHaveText(
    'Only the moderator can change a locked value.',
  );
  await expect(phone.getByTestId('lock-conversionRate')).toHaveText(why);
  await phone.getByTestId('assumption-conversionRate').scrollIntoViewIfNeeded();
  await shot(phone, 'facilitation-lock-editor-phone.png');

  // Unlocked, the reason goes away and the box is editable again.
  await mod.getByTestId('lock-toggle-conversionRate').click();
  await expect(input).toBeEditable();
  await expect(ed.getByTestId('assumption-message-conversionRate')).toHaveCount(0);

  await modContext.close();
  await edContext.close();
  await phoneContext.close();
});
