// Versions renamed and archived (issue 13, item 4): the moderator renames a version inline
// (Escape cancels, Enter saves), archives one (kept under a collapsed "Archived" section) and
// restores it; a reload shows the same; an editor sees no controls; the decision log lists the
// rename and the archive. Screenshots: docs/screenshots/versions-*.png (desktop and 390 px phone).
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { createBoard, openBoard, rememberIdentity } from './helpers';

const SHOTS = path.join(process.cwd(), 'docs', 'screenshots');

async function saveVersion(page: Page, name: string) {
  await page.getByTestId('version-name').fill(name);
  await page.getByTestId('version-save').click();
  await expect(page.getByTestId('version-list')).toContainText(name);
}

const names = (page: Page, within: 'version-list' | 'versions-archived') =>
  page.getByTestId(within).getByTestId('version-name-shown');

test('a moderator renames and archives versions; a reload shows the same, editors only read', async ({
  browser,
  request,
}) => {
  test.setTimeout(90_000);
  const board = await createBoard(request, 'Versions kept tidy');
  const modContext = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  await rememberIdentity(modContext, 'Maria Lopez', '#0b5cad');
  const mod = await modContext.newPage();
  await openBoard(mod, board.links.moderator);
  await mod.getByTestId('tab-history').click();
  await saveVersion(mod, 'After session 1');
  await saveVersion(mod, 'Typo draft');

  // Rename inline: Escape cancels, Enter saves.
  // Newest first: the older version is the second item (its text changes while it is renamed).
  const first = mod.getByTestId('version-item').nth(1);
  await first.getByTestId('version-rename').click();
  const input = mod.getByTestId('version-rename-input');
  await expect(input).toBeFocused();
  await input.fill('Something else');
  await input.press('Escape');
  await expect(input).toHaveCount(0);
  await expect(names(mod, 'version-list')).toHaveText(['Typo draft', 'After session 1']);
  await first.getByTestId('version-rename').click();
  await input.fill('   ');
  await input.press('Enter');
  await expect(first.getByRole('alert')).toHaveText('Name the version.');
  await input.fill('  Agreed: Skills-first  ');
  await input.press('Enter');
  await expect(input).toHaveCount(0);
  await expect(names(mod, 'version-list')).toHaveText(['Typo draft', 'Agreed: Skills-first']);

  // Archive: out of the list, under a collapsed "Archived" section.
  await mod
    .getByTestId('version-item')
    .filter({ hasText: 'Typo draft' })
    .getByTestId('version-archive')
    .click();
  await expect(names(mod, 'version-list')).toHaveText(['Agreed: Skills-first']);
  const archived = mod.getByTestId('versions-archived');
  await expect(archived).toContainText('Archived (1)');
  await expect(archived).not.toHaveAttribute('open');
  await expect(names(mod, 'versions-archived')).toBeHidden();

  // The decision log lists the rename and the archive with who did it.
  const events = mod.getByTestId('board-events');
  await expect(events).toContainText(
    'Maria Lopez renamed version “After session 1” to “Agreed: Skills-first”',
  );
  await expect(events).toContainText('Maria Lopez archived version “Typo draft”');

  // A reload shows the same.
  await mod.reload();
  await mod.getByTestId('tab-history').click();
  await expect(names(mod, 'version-list')).toHaveText(['Agreed: Skills-first']);
  await expect(mod.getByTestId('versions-archived')).toContainText('Archived (1)');
  await mod.getByTestId('versions-archived').locator('summary').click();
  await expect(names(mod, 'versions-archived')).toHaveText(['Typo draft']);
  await mod.getByTestId('versions').screenshot({ path: path.join(SHOTS, 'versions-desktop.png') });

  // An editor sees both lists but no rename, archive or restore.
  const edContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
  await rememberIdentity(edContext, 'Bilal Ahmed', '#c2410c');
  const ed = await edContext.newPage();
  await openBoard(ed, board.links.editor);
  await ed.getByTestId('tab-history').click();
  await expect(names(ed, 'version-list')).toHaveText(['Agreed: Skills-first']);
  await ed.getByTestId('versions-archived').locator('summary').click();
  await expect(names(ed, 'versions-archived')).toHaveText(['Typo draft']);
  await expect(ed.getByTestId('version-rename')).toHaveCount(0);
  await expect(ed.getByTestId('version-archive')).toHaveCount(0);
  await expect(ed.getByTestId('version-unarchive')).toHaveCount(0);
  await ed.getByTestId('versions').scrollIntoViewIfNeeded();
  expect(await ed.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await ed.screenshot({ path: path.join(SHOTS, 'versions-phone.png') });

  // Restore: back in the list, and still there after a reload.
  await mod.getByTestId('versions-archived').getByTestId('version-unarchive').click();
  await expect(names(mod, 'version-list')).toHaveText(['Typo draft', 'Agreed: Skills-first']);
  await expect(mod.getByTestId('versions-archived')).toHaveCount(0);
  await mod.reload();
  await mod.getByTestId('tab-history').click();
  await expect(names(mod, 'version-list')).toHaveText(['Typo draft', 'Agreed: Skills-first']);
  await expect(mod.getByTestId('board-events')).toContainText(
    'Maria Lopez put back version “Typo draft”',
  );
  await edContext.close();
  await modContext.close();
});
