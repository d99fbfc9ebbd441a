import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { createBoard, rememberIdentity } from './helpers';

test('an unknown board shows the not-found page', async ({ page, request }) => {
  // A mistyped id with a genuine token (the part of a link most easily mangled is the id).
  const other = await createBoard(request, 'Somewhere else');
  const token = other.links.editor.split('#t=')[1] ?? '';
  const res = await page.goto(`/b/zz9zz9zz9zz9#t=${token}`);
  // The page asked the server it runs in (a real 404 status, not only a not-found view).
  expect(res?.status()).toBe(404);
  await expect(page.getByTestId('not-found')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Board not found' })).toBeVisible();
  await expect(page.getByText('doesn’t exist or the link is mistyped')).toBeVisible();
  await page.getByRole('link', { name: 'Go to the home page' }).click();
  await expect(page).toHaveURL('/');
});

test('a board id that cannot exist gets a real 404', async ({ page }) => {
  const res = await page.goto('/b/Not_A_Board');
  expect(res?.status()).toBe(404);
  await expect(page.getByTestId('not-found')).toBeVisible();
});

test('the landing page creates a board, opens it and lists it under recent boards', async ({
  page,
  context,
}) => {
  await rememberIdentity(context, 'Hina Raza', '#be185d');
  await page.goto('/');
  await expect(page.getByTestId('recent-boards')).toContainText('Boards you open on this device');

  await page.getByTestId('create-board-title').fill('Karachi policy lab');
  await page.getByTestId('create-board-submit').click();
  // One step first: keep the moderator link (copy, a board card, an email to oneself).
  const keep = page.getByTestId('keep-moderator-link');
  await expect(keep.getByTestId('moderator-link')).toContainText('/b/');
  await expect(keep.getByTestId('keep-link-email')).toHaveAttribute('href', /^mailto:\?subject=/);
  const [card] = await Promise.all([
    page.waitForEvent('download'),
    keep.getByTestId('keep-link-card').click(),
  ]);
  const cardHtml = fs.readFileSync((await card.path()) ?? '', 'utf8');
  expect(cardHtml).toContain('Karachi policy lab');
  expect(cardHtml).toContain((await keep.getByTestId('moderator-link').innerText()).trim());
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({
    path: path.join(process.cwd(), 'docs', 'screenshots', 'keep-moderator-link-phone.png'),
    animations: 'disabled',
  });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 1280, height: 800 });
  await keep.getByTestId('keep-link-continue').click();
  await expect(page).toHaveURL(/\/b\/[a-z0-9]+$/);
  await expect(page.getByTestId('board-title')).toHaveText('Karachi policy lab');
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('role-badge')).toHaveText('Moderator');
  const boardUrl = page.url();

  await page.goto('/');
  const recent = page.getByTestId('recent-board');
  await expect(recent).toHaveCount(1);
  await expect(recent).toContainText('Karachi policy lab');
  await recent.click();
  await expect(page).toHaveURL(boardUrl);
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'live');
});

test('a join code opens the board as an editor', async ({ page, context, request }) => {
  const board = await createBoard(request, 'Join by code');
  await rememberIdentity(context, 'Zara Ali', '#0e7490');
  await page.goto(`/join?code=${board.joinCode.toLowerCase()}`);
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page).toHaveURL(board.path);
  await expect(page.getByTestId('board-title')).toHaveText('Join by code');
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('slider-conversionRate')).toBeEnabled();
});

test('the board fits a phone screen without sideways scrolling', async ({ browser, request }) => {
  const board = await createBoard(request, 'Phone');
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  await rememberIdentity(context, 'Ali Raza', '#4d7c0f');
  const page = await context.newPage();
  await page.goto(board.links.editor);
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('chart-exports')).toBeVisible();
  await expect
    .poll(() => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth))
    .toBeLessThanOrEqual(0);
  await context.close();
});

test('a refused link says plainly how to get back and offers no join code (no way to more rights)', async ({
  page,
  request,
}) => {
  const board = await createBoard(request, 'Old links');
  await page.goto(`/b/${board.id}#t=not-a-valid-link`);
  const access = page.getByTestId('access-needed');
  await expect(access).toContainText('This link no longer works');
  await expect(access).toContainText('Ask the person who sent it to you for the current link');
  await expect(access).toContainText('Running this board? Open the moderator link you kept');
  await expect(page.getByTestId('join-code')).toHaveCount(0);
  // A viewer link opens without asking for a name (a viewer moves nothing). A link that differs
  // only after # would not load the page again: leave it first.
  await page.goto('about:blank');
  await page.goto(board.links.viewer);
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('identity-dialog')).toHaveCount(0);
});
