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
