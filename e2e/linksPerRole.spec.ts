import AxeBuilder from '@axe-core/playwright';
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { createBoard, expectedTotals, rememberIdentity, typeValue } from './helpers';

// Three browsers on two shared cores: first loads can be slow, so waits are generous.
const expect = baseExpect.configure({ timeout: 30_000 });

/** Open a board link and wait until it is live (as helpers.openBoard, with the longer wait). */
async function openBoard(page: Page, link: string): Promise<void> {
  await page.goto(link);
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('kpi-total-2028')).toBeVisible();
}

/**
 * Links per role: the moderator stops the room editing (editor link and join code replaced).
 * The editor's page says so plainly and offers no way to more rights; a viewer's page stays live
 * and sees the moderator's next edit; the moderator's own page never drops.
 */
test('the moderator stops the room editing: editors are told, viewers and the moderator stay live', async ({
  browser,
  request,
}) => {
  test.setTimeout(180_000);
  const board = await createBoard(request, 'Links per role');
  const moderatorContext = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const editorContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const viewerContext = await browser.newContext();
  await rememberIdentity(moderatorContext, 'Amina Khan', '#0e7490');
  await rememberIdentity(editorContext, 'Bilal Ahmed', '#c2410c');
  const moderator = await moderatorContext.newPage();
  const editor = await editorContext.newPage();
  const viewer = await viewerContext.newPage();
  await openBoard(moderator, board.links.moderator);
  await openBoard(editor, board.links.editor);
  await openBoard(viewer, board.links.viewer);

  // Share → Replace links…: three plain choices; the confirm says who is cut off and who stays.
  await moderator.getByTestId('share-button').click();
  const dialog = moderator.getByTestId('share-dialog');
  await expect(dialog.getByTestId('join-code-display')).toHaveText(board.joinCode);
  await dialog.getByTestId('rotate-links').click();
  await expect(dialog.getByTestId('rotate-editor')).toContainText('Stop the room editing');
  await expect(dialog.getByTestId('rotate-viewer')).toContainText('Replace the viewer link');
  await expect(dialog.getByTestId('rotate-all')).toContainText('Replace all links');
  await dialog.getByTestId('rotate-editor').scrollIntoViewIfNeeded();
  await dialog.screenshot({ path: 'docs/screenshots/links-per-role-choices.png' });
  await dialog.getByTestId('rotate-editor').click();
  await expect(dialog.getByTestId('rotate-warning')).toContainText(
    'Everyone who joined with the editor link or the join code is disconnected',
  );
  await expect(dialog.getByTestId('rotate-warning')).toContainText(
    'Viewers and you stay connected',
  );
  await moderator.screenshot({ path: 'docs/screenshots/links-per-role-confirm.png' });
  // axe (every rule) finds nothing in the dialog with the confirm open.
  const axe = await new AxeBuilder({ page: moderator })
    .include('[data-testid="share-dialog"]')
    .analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  await dialog.getByTestId('rotate-confirm').click();
  await expect(dialog.getByTestId('rotate-done')).toContainText('The room can no longer edit');
  // A new join code is shown at once; the editor link in the dialog is the new one.
  await expect(dialog.getByTestId('join-code-display')).not.toHaveText(board.joinCode);
  // Only the editor link moved to a new epoch (links are signed anew each time they are listed).
  const epochOf = async (label: string) => {
    const link = await dialog.getByLabel(label).inputValue();
    const payload = link.split('#t=')[1]!.split('.')[1]!;
    return (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { ep: number }).ep;
  };
  expect(await epochOf('Editor link (for the room)')).toBe(1);
  expect(await epochOf('View-only link (for stakeholders)')).toBe(0);
  expect(await epochOf('Moderator link (keep it to yourself)')).toBe(0);

  // The editor's page says so plainly, and offers no join code (no way to more rights).
  await expect(
    editor.getByRole('alert').filter({ hasText: 'Your link was replaced by the moderator' }),
  ).toBeVisible();
  await editor.screenshot({ path: 'docs/screenshots/links-per-role-editor-phone.png' });
  await editor.reload();
  await expect(editor.getByRole('heading', { level: 1 })).toHaveText(
    'Your link was replaced by the moderator',
  );
  await expect(editor.getByTestId('join-code')).toHaveCount(0);

  // The moderator closes the dialog (no reload: the own link did not change) and edits; the
  // viewer, still live, sees it.
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(moderator.getByTestId('connection-status')).toHaveAttribute('data-state', 'live');
  await typeValue(moderator, 'conversionRate', '6');
  await expect(viewer.getByTestId('connection-status')).toHaveAttribute('data-state', 'live');
  await expect(viewer.getByTestId('input-conversionRate')).toHaveValue('6');
  await expect(viewer.getByTestId('kpi-total-2028')).toHaveText(
    expectedTotals({ conversionRate: 6 }).total2028,
  );

  await moderatorContext.close();
  await editorContext.close();
  await viewerContext.close();
});
