/**
 * Model versions in the browser: a v2 board states its programme and draws the line without it;
 * extreme settings are flagged; a moderator previews and upgrades a v1 board and undoes it; a tab
 * too old for the server is told to reload and its offline edit survives the reload; offline edits
 * that cannot be merged are offered as a download that holds them.
 */
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import * as Y from 'yjs';
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

/** The updates a y-indexeddb copy holds (the page must be on the app's origin). */
function readStoredCopy(page: Page, name: string): Promise<number[][]> {
  return page.evaluate(async (dbName) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(dbName);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error ?? new Error('open failed'));
    });
    try {
      if (!db.objectStoreNames.contains('updates')) return [];
      const all = await new Promise<unknown[]>((resolve, reject) => {
        const get = db.transaction('updates').objectStore('updates').getAll();
        get.onsuccess = () => resolve(get.result);
        get.onerror = () => reject(get.error ?? new Error('read failed'));
      });
      return all.map((u) => Array.from(u as Uint8Array));
    } finally {
      db.close();
    }
  }, name);
}

/** Replace a y-indexeddb copy's content with one update. */
function plantStoredCopy(page: Page, name: string, update: number[]): Promise<void> {
  return page.evaluate(
    async ([dbName, bytes]) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(dbName);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error ?? new Error('open failed'));
      });
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction('updates', 'readwrite');
        tx.objectStore('updates').clear();
        tx.objectStore('updates').add(Uint8Array.from(bytes));
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error ?? new Error('write failed'));
      });
      db.close();
    },
    [name, update] as const,
  );
}

/**
 * Add an unsent edit (baseline trainingOutput 120,000) to a board's stored copy, plus whatever
 * `alsoChange` does; returns the baseline's id.
 */
async function plantOfflineEdit(
  page: Page,
  copyName: string,
  alsoChange: (meta: Y.Map<unknown>, baseline: Y.Map<unknown>) => void,
): Promise<string> {
  const stored = new Y.Doc();
  for (const update of await readStoredCopy(page, copyName))
    Y.applyUpdate(stored, Uint8Array.from(update));
  const meta = stored.getMap<unknown>('meta');
  const baselineId = meta.get('baselineScenarioId') as string;
  const baseline = stored.getMap<Y.Map<unknown>>('scenarios').get(baselineId)!;
  (baseline.get('values') as Y.Map<number>).set('trainingOutput', 120_000);
  alsoChange(meta, baseline);
  await plantStoredCopy(page, copyName, Array.from(Y.encodeStateAsUpdate(stored)));
  return baselineId;
}

test('offline edits a newer layout saved cannot merge: the page offers them as a download that holds them', async ({
  browser,
  request,
}) => {
  test.setTimeout(60_000);
  const board = await createBoard(request, 'Unmergeable copy');
  const auth = { authorization: `Bearer ${board.token}` };
  const projection = async () =>
    (
      (await (
        await request.get(`/api/boards/${board.id}/projection`, { headers: auth })
      ).json()) as {
        scenarios: { name: string; assumptions: { trainingOutput: number } }[];
      }
    ).scenarios;
  const context = await browser.newContext({ acceptDownloads: true });
  await rememberIdentity(context, 'Amina Khan', '#0e7490');
  const page = await context.newPage();
  await openBoard(page, board.links.editor);
  const copyName = `board-${board.id}`;
  await expect.poll(async () => (await readStoredCopy(page, copyName)).length).toBeGreaterThan(0);

  // Leave the board, then plant what a newer build would have left: an unsent edit (120,000
  // trained a year) in a copy whose layout version this code does not know.
  await page.goto('/');
  const baselineId = await plantOfflineEdit(page, copyName, (meta) =>
    meta.set('schemaVersion', 99),
  );

  await openBoard(page, board.links.editor);
  const notice = page.getByTestId('unsent-edits');
  await expect(notice).toContainText('newer version of Scenario Board');
  await expect(notice).toContainText('Import JSON');
  // The board opened from the server, untouched by the copy it could not merge.
  await expect(page.getByTestId('input-trainingOutput')).toHaveValue('40,000');
  expect((await projection())[0]!.assumptions.trainingOutput).toBe(40_000);
  await page.screenshot({ path: 'test-results/unsent-edits.png', fullPage: false });

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('download-unsent').click(),
  ]);
  expect(download.suggestedFilename()).toBe(`unsent-changes-${board.id}.json`);
  const file = JSON.parse(await readFile(await download.path(), 'utf8')) as {
    scenarios: { name: string; assumptions: { trainingOutput: number } }[];
    unsent: { schemaVersion: number; yjsUpdate: string };
  };
  expect(file.scenarios.map((s) => [s.name, s.assumptions.trainingOutput])).toEqual([
    ['Baseline (unsent)', 120_000],
  ]);
  expect(file.unsent.schemaVersion).toBe(99);
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Buffer.from(file.unsent.yjsUpdate, 'base64'));
  const copied = copy.getMap<Y.Map<unknown>>('scenarios').get(baselineId)!;
  expect((copied.get('values') as Y.Map<number>).get('trainingOutput')).toBe(120_000);

  // A reload offers the edits again until the person says the file is saved.
  await page.reload();
  await expect(page.getByTestId('unsent-edits')).toBeVisible();
  const [again] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('download-unsent').click(),
  ]);
  expect(again.suggestedFilename()).toBe(`unsent-changes-${board.id}.json`);
  await page.getByTestId('discard-unsent').click();
  await expect(page.getByTestId('unsent-edits')).toHaveCount(0);

  // The moderator brings the file in through the app's own import.
  const imported = await request.post(`/api/boards/${board.id}/scenarios`, {
    headers: auth,
    data: file,
  });
  expect(imported.ok(), await imported.text()).toBe(true);
  expect((await projection()).map((s) => [s.name, s.assumptions.trainingOutput])).toContainEqual([
    'Baseline (unsent)',
    120_000,
  ]);
  await context.close();
});

test('offline edits the board refuses are offered as a download, not dropped', async ({
  browser,
  request,
}) => {
  test.setTimeout(60_000);
  const board = await createBoard(request, 'Refused copy');
  const context = await browser.newContext({ acceptDownloads: true });
  await rememberIdentity(context, 'Amina Khan', '#0e7490');
  const page = await context.newPage();
  await openBoard(page, board.links.editor);
  const copyName = `board-${board.id}`;
  await expect.poll(async () => (await readStoredCopy(page, copyName)).length).toBeGreaterThan(0);
  await page.goto('/');
  // The same layout, so the page merges it; but the colour breaks the board's rules, so the
  // board refuses the whole merge (and the edit with it).
  await plantOfflineEdit(page, copyName, (_meta, baseline) => baseline.set('color', 'red'));

  await openBoard(page, board.links.editor);
  await expect(page.getByTestId('unsent-edits')).toContainText('the board did not accept them');
  await expect(page.getByTestId('input-trainingOutput')).toHaveValue('40,000');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('download-unsent').click(),
  ]);
  const file = JSON.parse(await readFile(await download.path(), 'utf8')) as {
    scenarios: { name: string; assumptions: { trainingOutput: number } }[];
  };
  expect(file.scenarios.map((s) => [s.name, s.assumptions.trainingOutput])).toEqual([
    ['Baseline (unsent)', 120_000],
  ]);
  // The file goes back in through the app's own import.
  const imported = await request.post(`/api/boards/${board.id}/scenarios`, {
    headers: { authorization: `Bearer ${board.token}` },
    data: file,
  });
  expect(imported.ok(), await imported.text()).toBe(true);
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
