import { expect, test } from '@playwright/test';
import { createBoard, expectedTotals, openBoard, rememberIdentity, typeValue } from './helpers';

test('two people on one board see each other, each other’s edits and the outcomes live; a reload keeps them', async ({
  browser,
  request,
}) => {
  // Two browsers, a reload and several round trips: allow for a busy two-core machine.
  test.setTimeout(60_000);
  const board = await createBoard(request, 'Lahore workshop');
  const contextA = await browser.newContext();
  const contextB = await browser.newContext();
  await rememberIdentity(contextB, 'Bilal Ahmed', '#c2410c');
  const a = await contextA.newPage();
  const b = await contextB.newPage();

  // A's first visit asks for a name.
  await a.goto(board.links.moderator);
  await expect(a.getByTestId('identity-dialog')).toBeVisible();
  await a.getByTestId('identity-name').fill('Amina Khan');
  await a.getByTestId('identity-save').click();
  await expect(a.getByTestId('identity-dialog')).toBeHidden();
  await expect(a.getByTestId('connection-status')).toHaveAttribute('data-state', 'live');
  // The token left the address bar once it was remembered.
  expect(a.url()).not.toContain('#t=');

  await openBoard(b, board.links.editor);
  const baseline = expectedTotals();
  await expect(b.getByTestId('kpi-total-2028')).toHaveText(baseline.total2028);

  // Presence: both people, in both windows.
  for (const page of [a, b]) {
    await expect(page.getByTestId('presence-avatar')).toHaveCount(2);
    await expect(page.getByTestId('presence-avatar').filter({ hasText: 'AK' })).toHaveAttribute(
      'aria-label',
      /Amina Khan/,
    );
    await expect(page.getByTestId('presence-avatar').filter({ hasText: 'BA' })).toHaveAttribute(
      'aria-label',
      /Bilal Ahmed/,
    );
  }

  // A moves the conversion-rate slider (keyboard: 7 steps of 0.1 from 1.3%).
  const slider = a.getByTestId('slider-conversionRate');
  await slider.focus();
  for (let i = 0; i < 7; i++) await slider.press('ArrowRight');
  await expect(a.getByTestId('input-conversionRate')).toHaveValue('2');
  await expect(b.getByTestId('input-conversionRate')).toHaveValue('2');
  await expect(b.getByTestId('kpi-total-2028')).toHaveText(
    expectedTotals({ conversionRate: 2 }).total2028,
  );

  // A types an exact value; B sees the value, the chart and the 2028 total change.
  await typeValue(a, 'conversionRate', '5');
  const after = expectedTotals({ conversionRate: 5 });
  expect(after.total2028).not.toBe(baseline.total2028);
  await expect(b.getByTestId('input-conversionRate')).toHaveValue('5');
  await expect(b.getByTestId('kpi-total-2028')).toHaveText(after.total2028);
  await expect(b.getByTestId('chart-exports')).toHaveAttribute('data-total-horizon', after.horizon);
  await expect(b.getByTestId('chart-summary')).toContainText(after.horizon);

  // Who is editing what: B focuses the training box, A sees B's avatar beside it.
  await b.getByTestId('input-trainingOutput').focus();
  await expect(
    a.getByTestId('editors-trainingOutput').getByRole('img', { name: /Bilal Ahmed/ }),
  ).toBeVisible();
  await b.getByTestId('input-trainingOutput').blur();
  await expect(a.getByTestId('editors-trainingOutput')).toHaveCount(0);

  // A reload keeps the shared state (and the link, remembered on this device).
  await b.reload();
  await expect(b.getByTestId('connection-status')).toHaveAttribute('data-state', 'live');
  await expect(b.getByTestId('input-conversionRate')).toHaveValue('5');
  await expect(b.getByTestId('kpi-total-2028')).toHaveText(after.total2028);
  await expect(b.getByTestId('presence-avatar')).toHaveCount(2);

  await contextA.close();
  await contextB.close();
});

test('a view-only link shows the board but cannot change it', async ({ browser, request }) => {
  const board = await createBoard(request, 'Stakeholder review');
  const context = await browser.newContext();
  await rememberIdentity(context, 'Sara Malik', '#7c3aed');
  const page = await context.newPage();
  await openBoard(page, board.links.viewer);
  await expect(page.getByTestId('read-only-note')).toBeVisible();
  await expect(page.getByTestId('slider-conversionRate')).toBeDisabled();
  await expect(page.getByTestId('input-conversionRate')).toHaveAttribute('readonly', '');
  await context.close();
});
