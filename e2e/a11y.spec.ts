// Accessibility (issue 11 item 3): axe finds no violations of any impact on every page and state:
// landing, join, the board (name dialog, participant, moderator with a poll open, share dialog,
// analysis, history), projector, print report and embed, at desktop and phone width.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { createBoard, openBoard, rememberIdentity } from './helpers';

/** Every axe rule (no tag filter); the violations, summarised so a failure says what and where. */
async function violations(page: Page): Promise<string[]> {
  // Let entrance animations end first (a card fading in is measured half transparent, and its
  // contrast then fails at random); the live dot's endless pulse is left alone. A card that mounts
  // while we wait starts its own animation, so wait until a frame passes with none running.
  await page.evaluate(async () => {
    const finite = () =>
      document
        .getAnimations()
        .filter(
          (a) => a.playState === 'running' && a.effect?.getComputedTiming().endTime !== Infinity,
        );
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(null)));
    for (let running = finite(); running.length > 0; running = finite()) {
      await Promise.all(running.map((a) => a.finished.catch(() => undefined)));
      await frame();
    }
  });
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map(
    (v) =>
      `${v.id} (${v.impact ?? 'n/a'}): ${v.help} — ${v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(' '))
        .join(' | ')}`,
  );
}

test('landing and join pages', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('create-board-title')).toBeVisible();
  expect.soft(await violations(page)).toEqual([]);
  await page.goto('/join');
  await expect(page.getByTestId('join-code')).toBeVisible();
  expect.soft(await violations(page)).toEqual([]);
});

for (const viewport of [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
]) {
  test(`a participant at ${viewport.width}px: name dialog, the board, a poll`, async ({
    browser,
    request,
  }) => {
    test.setTimeout(120_000);
    const board = await createBoard(request, 'Accessible board');
    const first = await browser.newContext({ viewport });
    const p = await first.newPage();
    await p.goto(board.links.editor);
    await expect(p.getByTestId('identity-dialog')).toBeVisible();
    expect.soft(await violations(p), 'name dialog').toEqual([]);
    await p.getByTestId('identity-save').click();
    await expect(p.getByTestId('connection-status')).toHaveAttribute('data-state', 'live');
    expect.soft(await violations(p), 'participant').toEqual([]);

    const modContext = await browser.newContext();
    await rememberIdentity(modContext, 'Amina Khan', '#0b5cad');
    const mod = await modContext.newPage();
    await openBoard(mod, board.links.moderator);
    await mod.getByTestId('present-toggle').click();
    await mod.getByTestId('poll-open').click();
    await mod.getByTestId('poll-open-submit').click();
    await expect(p.getByTestId('poll-card')).toBeVisible();
    await expect(p.getByTestId('follow-pill')).toBeVisible();
    expect.soft(await violations(p), 'poll, following').toEqual([]);
    await first.close();
    await modContext.close();
  });
}

test('the moderator: session tools, poll dialog, share dialog, analysis, history', async ({
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  const board = await createBoard(request, 'Accessible board');
  const modContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await rememberIdentity(modContext, 'Amina Khan', '#0b5cad');
  const mod = await modContext.newPage();
  await openBoard(mod, board.links.moderator);
  await mod.getByTestId('add-scenario').click();
  await mod.getByTestId('present-toggle').click();
  expect.soft(await violations(mod), 'moderator').toEqual([]);
  await mod.getByTestId('poll-open').click();
  expect.soft(await violations(mod), 'poll dialog').toEqual([]);
  await mod.getByTestId('poll-open-submit').click();
  await expect(mod.getByTestId('poll-card')).toBeVisible();
  expect.soft(await violations(mod), 'poll open').toEqual([]);
  await mod.getByTestId('share-button').click();
  expect.soft(await violations(mod), 'share dialog').toEqual([]);
  await mod.keyboard.press('Escape');
  await mod.getByTestId('tab-analysis').click();
  await expect(mod.locator('#tabpanel-analysis svg').first()).toBeVisible();
  expect.soft(await violations(mod), 'analysis').toEqual([]);
  await mod.getByTestId('tab-history').click();
  await expect(mod.getByTestId('tab-history')).toHaveAttribute('aria-selected', 'true');
  expect.soft(await violations(mod), 'history').toEqual([]);
  await modContext.close();
});

test('projector, print report and embed', async ({ browser, request }) => {
  test.setTimeout(120_000);
  const board = await createBoard(request, 'Accessible board');
  const modContext = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  await rememberIdentity(modContext, 'Amina Khan', '#0b5cad');
  const mod = await modContext.newPage();
  await openBoard(mod, board.links.moderator);
  const projector = await modContext.newPage();
  await projector.goto(`/b/${board.id}/present`);
  await expect(projector.getByTestId('chart-exports')).toBeVisible();
  expect.soft(await violations(projector), 'projector').toEqual([]);
  const print = await modContext.newPage();
  await print.goto(`/b/${board.id}/print`);
  await expect(print.getByTestId('report-chart')).toBeVisible();
  expect.soft(await violations(print), 'print').toEqual([]);
  const embed = await modContext.newPage();
  await embed.goto(`/b/${board.id}/embed`);
  await expect(embed.getByTestId('chart-exports')).toBeVisible();
  expect.soft(await violations(embed), 'embed').toEqual([]);
  await modContext.close();
});

test('prefers-reduced-motion: nothing on the board animates or transitions', async ({
  browser,
  request,
}) => {
  const board = await createBoard(request, 'Calm board');
  const context = await browser.newContext({ reducedMotion: 'reduce' });
  await rememberIdentity(context, 'Amina Khan', '#0b5cad');
  const page = await context.newPage();
  await openBoard(page, board.links.moderator);
  const moving = await page.evaluate(
    () =>
      [...document.querySelectorAll('body *')]
        .map((el) => getComputedStyle(el))
        .filter(
          (s) =>
            (s.animationName !== 'none' && parseFloat(s.animationDuration) > 0.001) ||
            parseFloat(s.transitionDuration) > 0.001,
        ).length,
  );
  expect(moving).toBe(0);
  await context.close();
});
