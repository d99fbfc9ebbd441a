import { expect, test } from '@playwright/test';
import { createBoard, expectedTotals, openBoard, rememberIdentity, typeValue } from './helpers';

test('an out-of-range value is clamped and the person is told; text that is not a number is refused', async ({
  browser,
  request,
}) => {
  const board = await createBoard(request, 'Clamping');
  const context = await browser.newContext();
  await rememberIdentity(context, 'Omar Farooq', '#047857');
  const page = await context.newPage();
  await openBoard(page, board.links.editor);

  const input = page.getByTestId('input-conversionRate');
  const message = page.getByTestId('assumption-message-conversionRate');

  await typeValue(page, 'conversionRate', '80');
  await expect(message).toHaveText('Clamped to 50% (max)');
  await expect(input).toHaveValue('50');
  await expect(page.getByTestId('kpi-total-2028')).toHaveText(
    expectedTotals({ conversionRate: 50 }).total2028,
  );

  // Leaving the box commits as well.
  await input.fill('-3');
  await input.blur();
  await expect(message).toHaveText('Clamped to 0% (min)');
  await expect(input).toHaveValue('0');

  await input.fill('lots');
  await input.press('Enter');
  await expect(message).toContainText('is not a number');
  await expect(input).toHaveValue('0');

  // Still clamped after a reload: the stored value is the clamped one.
  await page.reload();
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('input-conversionRate')).toHaveValue('0');
  await context.close();
});

test('Escape puts back the value from before typing, even though typing was shared live', async ({
  browser,
  request,
}) => {
  const board = await createBoard(request, 'Escape');
  const context = await browser.newContext();
  await rememberIdentity(context, 'Sana Iqbal', '#7c3aed');
  const page = await context.newPage();
  await openBoard(page, board.links.editor);
  const input = page.getByTestId('input-conversionRate');
  await expect(input).toHaveValue('1.3');
  await input.click();
  await input.fill('9');
  // Written live while typing: the KPI follows.
  await expect(page.getByTestId('kpi-total-2028')).toHaveText(
    expectedTotals({ conversionRate: 9 }).total2028,
  );
  await input.press('Escape');
  await expect(input).toHaveValue('1.3');
  await expect(page.getByTestId('kpi-total-2028')).toHaveText(expectedTotals({}).total2028);
  await context.close();
});
