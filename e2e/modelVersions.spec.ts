/**
 * Model versions in the browser: a v2 board states its programme and draws the line without it;
 * extreme settings are flagged; a moderator previews and upgrades a v1 board and undoes it; a tab
 * too old for the server is told to reload and its offline edit survives the reload.
 */
import { expect, test } from '@playwright/test';
import { createBoard, openBoard, rememberIdentity, typeValue } from './helpers';

test('a v2 board states its programme, draws the line without it, and flags extreme settings', async ({
  browser,
  request,
}) => {
  const board = await createBoard(request, 'Programme');
  const context = await browser.newContext();
  await rememberIdentity(context, 'Amina Khan', '#0e7490');
  const page = await context.newPage();
  await openBoard(page, board.links.editor);
  await expect(page.getByTestId('programme-summary')).toContainText(
    '200,000 people, 2024–2028 (40,000 a year for 5 years)',
  );
  await expect(page.getByTestId('legend-without-programme')).toBeVisible();
  await expect(page.getByTestId('chart-warnings')).toHaveCount(0);
  await expect(page.getByTestId('kpi-warning')).toHaveCount(0);

  // Half of all registered freelancers earning from 2024: more than 60% growth in a year.
  await typeValue(page, 'conversionRate', '50');
  await typeValue(page, 'trainingOutput', '300000');
  await expect(page.getByTestId('chart-warnings')).toContainText(
    'outside what this model was built for',
  );
  await expect(page.getByTestId('kpi-warning')).toBeVisible();
  await page.screenshot({ path: 'test-results/model-v2-warnings.png', fullPage: false });
  await context.close();
});

test('a moderator previews a v1 board under v2, upgrades it and undoes the upgrade', async ({
  browser,
  request,
}) => {
  const res = await request.post('/api/boards', {
    data: { title: 'Old model', modelVersion: 1, baselineOpen: true },
  });
  expect(res.status()).toBe(201);
  const board = (await res.json()) as { links: { moderator: string; editor: string } };
  const context = await browser.newContext();
  await rememberIdentity(context, 'Maria Moderator', '#7c3aed');
  const page = await context.newPage();
  await openBoard(page, board.links.moderator);
  const before = await page.getByTestId('kpi-total-2028').textContent();
  await expect(page.getByTestId('programme-summary')).toHaveCount(0);
  await expect(page.getByTestId('model-upgrade')).toContainText('A newer model is available: v2');
  await page.getByTestId('model-upgrade-preview').click();
  await expect(page.getByTestId('model-upgrade-table')).toContainText('Baseline');
  // Looking changes nothing.
  await expect(page.getByTestId('kpi-total-2028')).toHaveText(before ?? '');
  await page.screenshot({ path: 'test-results/model-upgrade-preview.png', fullPage: false });

  await page.getByTestId('model-upgrade-apply').click();
  await expect(page.getByTestId('model-upgraded')).toContainText('model v2');
  await expect(page.getByTestId('programme-summary')).toContainText('200,000 people');
  await page.getByRole('button', { name: 'Undo the upgrade' }).click();
  await expect(page.getByTestId('model-upgrade')).toBeVisible();
  await expect(page.getByTestId('programme-summary')).toHaveCount(0);
  await expect(page.getByTestId('kpi-total-2028')).toHaveText(before ?? '');
  await context.close();
});

test('a tab too old for the server is told to reload; its offline edit survives the reload', async ({
  browser,
  request,
}) => {
  test.setTimeout(60_000);
  const board = await createBoard(request, 'Old tab');
  const context = await browser.newContext();
  await rememberIdentity(context, 'Amina Khan', '#0e7490');
  // An "old tab": once the page sets window.__oldClient, its Yjs connections announce protocol 0.
  await context.addInitScript(() => {
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        const old = (window as unknown as { __oldClient?: boolean }).__oldClient;
        super(old ? String(url).replace(/protocol=\d+/, 'protocol=0') : url, protocols);
      }
    };
  });
  const page = await context.newPage();
  await openBoard(page, board.links.editor);

  await context.setOffline(true);
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'offline');
  await typeValue(page, 'trainingOutput', '120000');
  await expect(page.getByTestId('input-trainingOutput')).toHaveValue('120,000');
  await page.evaluate(() => ((window as unknown as { __oldClient: boolean }).__oldClient = true));
  await context.setOffline(false);
  await expect(page.getByRole('alert').first()).toContainText('This board was updated: reload');
  await expect(page.getByTestId('reload-outdated')).toBeVisible();
  // Nothing of the edit reached the server yet.
  const projection = async () =>
    (
      (await (
        await request.get(`/api/boards/${board.id}/projection`, {
          headers: { authorization: `Bearer ${board.token}` },
        })
      ).json()) as { scenarios: { assumptions: { trainingOutput: number } }[] }
    ).scenarios[0]!.assumptions.trainingOutput;
  expect(await projection()).toBe(40_000);

  // The reload loads the current client (no __oldClient flag): the kept edit is sent.
  await page.getByTestId('reload-outdated').click();
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('input-trainingOutput')).toHaveValue('120,000');
  await expect.poll(projection).toBe(120_000);
  await context.close();
});

test('each model version has a reference guide; an unknown model is not found', async ({
  page,
}) => {
  await page.goto('/models/pk-ict-exports');
  await expect(page.getByTestId('model-reference-version')).toContainText('version 2');
  const table = page.getByTestId('model-reference-assumptions');
  await expect(table).toContainText('Programme length');
  await expect(table).toContainText('close to the 70% of funding that goes to services');
  await expect(page.getByText('Deviations from the specification')).toBeVisible();
  await page.screenshot({ path: 'test-results/model-reference.png', fullPage: false });
  await page.goto('/models/pk-ict-exports/v/1');
  await expect(page.getByTestId('model-reference-version')).toContainText('version 1');
  await expect(page.getByTestId('model-reference-assumptions')).not.toContainText(
    'Programme length',
  );
  const missing = await page.goto('/models/no-such-model');
  expect(missing?.status()).toBe(404);
});
