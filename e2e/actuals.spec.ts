// Reported actuals (model rule R22) in the browser: a moderator enters 2024 and 2025; an editor
// moves levers and the reported years do not change while 2028 does; the chart labels them
// "Actual"; the CSV has a Kind column. Server rules: test/actuals.test.ts. Screenshot:
// docs/screenshots/actuals-chart.png.
import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { createBoard, openBoard, rememberIdentity, typeValue } from './helpers';

async function addActual(page: Page, year: string, total: string, source: string, freelance = '') {
  await page.getByTestId('actual-year').selectOption(year);
  await page.getByTestId('actual-total').fill(total);
  await page.getByTestId('actual-freelance').fill(freelance);
  await page.getByTestId('actual-source').fill(source);
  await page.getByTestId('actual-save').click();
  await expect(page.getByTestId(`actual-${year}`)).toContainText(source);
}

test('a moderator enters actuals; levers do not move them, 2028 moves; the CSV says which is which', async ({
  browser,
  request,
}) => {
  const board = await createBoard(request, 'Actuals');
  const modContext = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  await rememberIdentity(modContext, 'Maria Moderator', '#7c3aed');
  const mod = await modContext.newPage();
  await openBoard(mod, board.links.moderator);

  // Clear messages for bad input; nothing is saved.
  await mod.getByTestId('actual-total').fill('lots');
  await mod.getByTestId('actual-save').click();
  await expect(mod.getByTestId('actual-error')).toHaveText(
    'Enter the total in US$ billions, e.g. 3.2.',
  );
  await mod.getByTestId('actual-total').fill('3.2');
  await mod.getByTestId('actual-save').click();
  await expect(mod.getByTestId('actual-error')).toHaveText('Say where the figure comes from.');

  await addActual(mod, '2024', '3.2', 'SBP, ICT exports FY2024');
  await addActual(mod, '2025', '3.8', 'SBP, ICT exports FY2025', '0.5');
  await expect(mod.getByTestId('actual-error')).toHaveCount(0);
  await expect(mod.getByTestId('legend-actual')).toBeVisible();
  await expect(mod.getByTestId('chart-actuals')).toContainText('Actual');

  const editorContext = await browser.newContext();
  await rememberIdentity(editorContext, 'Amina Khan', '#0e7490');
  const editor = await editorContext.newPage();
  await openBoard(editor, board.links.editor);
  // Others see the actuals read-only, with their source.
  await expect(editor.getByTestId('actual-2025')).toContainText('Source: SBP, ICT exports FY2025');
  await expect(editor.getByTestId('actual-form')).toHaveCount(0);
  const year = (page: Page, y: number) => page.getByTestId(`chart-year-${y}`);
  await expect(year(editor, 2024)).toHaveAttribute('data-kind', 'actual');
  await expect(year(editor, 2024)).toHaveAttribute('data-total', '$3.20B');
  await expect(year(editor, 2025)).toHaveAttribute('data-total', '$3.80B');
  await expect(year(editor, 2026)).toHaveAttribute('data-kind', 'projected');
  const before2028 = await editor.getByTestId('kpi-total-2028').textContent();

  await typeValue(editor, 'trainingOutput', '250000');
  await typeValue(editor, 'conversionRate', '10');
  await expect(editor.getByTestId('kpi-total-2028')).not.toHaveText(before2028 ?? '');
  await expect(mod.getByTestId('kpi-total-2028')).not.toHaveText(before2028 ?? '');
  for (const page of [editor, mod]) {
    await expect(year(page, 2024)).toHaveAttribute('data-total', '$3.20B');
    await expect(year(page, 2025)).toHaveAttribute('data-total', '$3.80B');
  }
  await mod.getByTestId('chart-exports').screenshot({ path: 'docs/screenshots/actuals-chart.png' });

  await editor.getByTestId('export-menu').click();
  const [csv] = await Promise.all([
    editor.waitForEvent('download'),
    editor.getByTestId('export-csv').click(),
  ]);
  const lines = fs
    .readFileSync((await csv.path()) ?? '', 'utf8')
    .trim()
    .split(/\r\n/);
  const head = lines[0]!.split(',');
  const kind = head.indexOf('"Kind"');
  expect(kind).toBeGreaterThan(0);
  const row = (y: number) => lines.slice(1).find((l) => l.split(',')[1] === String(y))!;
  expect(row(2024).split(',')[2]).toBe('3200000000');
  expect(row(2024)).toContain('"actual","SBP, ICT exports FY2024"');
  expect(row(2026)).toContain('"projected",""');

  // Phone width: the panel fits without sideways scrolling.
  await mod.setViewportSize({ width: 390, height: 844 });
  await expect(mod.getByTestId('actuals-panel')).toBeVisible();
  expect(await mod.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await mod
    .getByTestId('actuals-panel')
    .screenshot({ path: 'test-results/actuals-panel-phone.png' });
  await modContext.close();
  await editorContext.close();
});
