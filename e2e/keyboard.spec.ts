// The participant flow with the keyboard alone (issue 11): join by code, choose a name, move a
// lever, vote, raise a hand and comment, every control reached with Tab and used with Enter,
// Space or the arrow keys. The moderator (another browser, mouse allowed) sees each step; the
// participant's screen reader is told politely what the moderator changed.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { createBoard, openBoard, rememberIdentity, typeValue } from './helpers';

/** Press Tab until `target` has the focus (as a keyboard user would), at most `max` times. */
async function tabTo(page: Page, target: Locator, max = 120): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`could not reach ${target.toString()} with Tab`);
}

test('a participant joins by code, names themself, moves a lever, votes, raises a hand and comments with the keyboard alone', async ({
  browser,
  request,
}) => {
  test.setTimeout(90_000);
  const board = await createBoard(request, 'Keyboard workshop');
  const modContext = await browser.newContext();
  await rememberIdentity(modContext, 'Moderator', '#0f766e');
  const mod = await modContext.newPage();
  await openBoard(mod, board.links.moderator);

  const context = await browser.newContext();
  const page = await context.newPage();

  // Join by code.
  await page.goto('/join');
  await tabTo(page, page.getByTestId('join-code'));
  await page.keyboard.type(board.joinCode);
  await page.keyboard.press('Enter');

  // The name dialog takes the focus; Enter saves.
  const dialog = page.getByTestId('identity-dialog');
  await expect(dialog).toBeVisible();
  await tabTo(page, page.getByTestId('identity-name'), 10);
  await page.keyboard.press('Control+a');
  await page.keyboard.type('Kiran Keys');
  await tabTo(page, page.getByTestId('identity-save'), 20);
  await page.keyboard.press('Enter');
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'live');
  await expect(mod.getByTestId('presence')).toHaveAttribute('aria-label', '2 people on this board');

  // A lever, with the arrow keys.
  const before = await page.getByTestId('input-conversionRate').inputValue();
  await tabTo(page, page.getByTestId('slider-conversionRate'));
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  const after = await page.getByTestId('input-conversionRate').inputValue();
  expect(Number(after)).toBeGreaterThan(Number(before));
  await expect(mod.getByTestId('input-conversionRate')).toHaveValue(after);

  // A poll: the answer is a button reached with Tab.
  await mod.getByTestId('poll-open').click();
  await mod.getByTestId('poll-open-submit').click();
  await expect(page.getByTestId('poll-card')).toBeVisible();
  await tabTo(page, page.getByTestId('poll-option-1'));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('poll-option-1')).toHaveAttribute('aria-pressed', 'true');
  await expect(mod.getByTestId('poll-voters')).toHaveText('1 of 2 answered');

  // A hand.
  await tabTo(page, page.getByTestId('hand-raise'));
  await page.keyboard.press('Enter');
  await expect(mod.getByTestId('hands-list')).toContainText('Kiran Keys');

  // A comment on the lever.
  await tabTo(page, page.getByTestId('comments-conversionRate'));
  await page.keyboard.press('Enter');
  await tabTo(page, page.getByTestId('comment-input'), 20);
  await page.keyboard.type('Can we reach this by 2027?');
  await tabTo(page, page.getByTestId('comment-submit'), 10);
  await page.keyboard.press('Enter');
  await expect(mod.getByTestId('comments-conversionRate')).toHaveAttribute('data-count', '1');
  await page.keyboard.press('Escape');

  // What the moderator changes is told to the participant's screen reader, politely.
  await typeValue(mod, 'trainingOutput', '60000');
  await expect(page.getByTestId('change-announcer')).toHaveText(
    'Moderator set skilled professionals trained per year to 60k/yr',
  );
  await expect(page.getByTestId('change-announcer')).toHaveAttribute('aria-live', 'polite');

  await context.close();
  await modContext.close();
});
