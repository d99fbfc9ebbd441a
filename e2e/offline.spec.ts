import { expect, test } from '@playwright/test';
import { createBoard, expectedTotals, openBoard, rememberIdentity, typeValue } from './helpers';

test('edits made offline are kept on the device and reach the others on reconnect', async ({
  browser,
  request,
}) => {
  test.setTimeout(60_000);
  const board = await createBoard(request, 'Offline');
  const contextA = await browser.newContext();
  const contextB = await browser.newContext();
  await rememberIdentity(contextA, 'Amina Khan', '#0e7490');
  await rememberIdentity(contextB, 'Bilal Ahmed', '#c2410c');
  const a = await contextA.newPage();
  const b = await contextB.newPage();
  await openBoard(a, board.links.editor);
  await openBoard(b, board.links.editor);

  await contextA.setOffline(true);
  await expect(a.getByTestId('connection-status')).toHaveAttribute('data-state', 'offline');
  await typeValue(a, 'trainingOutput', '100000');
  await expect(a.getByTestId('kpi-total-2028')).toHaveText(
    expectedTotals({ trainingOutput: 100_000 }).total2028,
  );
  await expect(b.getByTestId('input-trainingOutput')).toHaveValue('40,000');

  await contextA.setOffline(false);
  await expect(a.getByTestId('connection-status')).toHaveAttribute('data-state', 'live');
  await expect(b.getByTestId('input-trainingOutput')).toHaveValue('100,000');
  await expect(b.getByTestId('kpi-total-2028')).toHaveText(
    expectedTotals({ trainingOutput: 100_000 }).total2028,
  );

  await contextA.close();
  await contextB.close();
});

test('an offline edit to a value the moderator locked meanwhile is refused, undone and explained', async ({
  browser,
  request,
}) => {
  test.setTimeout(60_000);
  const board = await createBoard(request, 'Offline refusal');
  const contextA = await browser.newContext();
  const contextM = await browser.newContext();
  await rememberIdentity(contextA, 'Amina Khan', '#0e7490');
  await rememberIdentity(contextM, 'Maria Moderator', '#7c3aed');
  const a = await contextA.newPage();
  const mod = await contextM.newPage();
  await openBoard(a, board.links.editor);
  await openBoard(mod, board.links.moderator);

  await contextA.setOffline(true);
  await expect(a.getByTestId('connection-status')).toHaveAttribute('data-state', 'offline');
  await typeValue(a, 'conversionRate', '9');
  await expect(a.getByTestId('input-conversionRate')).toHaveValue('9');

  // Meanwhile the moderator locks that value for the room.
  await mod.getByTestId('lock-toggle-conversionRate').click();
  // No reason given: the lock form's "Lock" locks at once.
  await mod.getByTestId('lock-confirm-conversionRate').click();
  await expect(mod.getByTestId('lock-toggle-conversionRate')).toHaveAttribute(
    'aria-pressed',
    'true',
  );

  // Back online: the server refuses the edit, undoes it on A's screen and says why.
  await contextA.setOffline(false);
  await expect(a.getByTestId('server-notice')).toContainText(
    'Freelancer conversion rate is locked by Maria Moderator',
  );
  await expect(a.getByTestId('server-notice')).toContainText('Your change was undone');
  await expect(a.getByTestId('input-conversionRate')).toHaveValue('1.3');
  await expect(mod.getByTestId('input-conversionRate')).toHaveValue('1.3');

  await contextA.close();
  await contextM.close();
});
