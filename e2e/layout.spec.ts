// Projector and phone layout (issue 13 item 7): the projector fits 1366x768 and 1920x1080 without
// scrolling and shows the headline levers and the last change beside the chart, with spotlight,
// poll and hands overlaid without moving it; the session bar does not reflow when a timer or a
// hand appears. On a 390 px phone: no sideways scrolling with two scenarios compared, the name
// dialog fits, the follow pill names the scenario, the active tab is scrolled into view and the
// headline levers start on the first screen. Screenshots: docs/screenshots/layout-*.png.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import { createBoard, openBoard, rememberIdentity, typeValue, type TestBoard } from './helpers';

const SHOTS = path.join(process.cwd(), 'docs', 'screenshots');
const PHONE = { width: 390, height: 844 };

async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, name), animations: 'disabled', caret: 'hide' });
}

/** Horizontal and vertical overflow of the page (0 when nothing scrolls). */
function overflow(page: Page): Promise<{ x: number; y: number }> {
  return page.evaluate(() => ({
    x: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    y: document.documentElement.scrollHeight - document.documentElement.clientHeight,
  }));
}

async function box(locator: Locator) {
  const b = await locator.boundingBox();
  if (!b) throw new Error('not visible');
  return b;
}

type Box = { x: number; y: number; width: number; height: number };
/** Whether two boxes share any area (touching edges do not count). */
const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width - 0.5 &&
  b.x < a.x + a.width - 0.5 &&
  a.y < b.y + b.height - 0.5 &&
  b.y < a.y + a.height - 0.5;
/** Whether `inner` lies wholly inside `outer`. */
const inside = (inner: Box, outer: Box) =>
  inner.x >= outer.x - 0.5 &&
  inner.y >= outer.y - 0.5 &&
  inner.x + inner.width <= outer.x + outer.width + 0.5 &&
  inner.y + inner.height <= outer.y + outer.height + 0.5;

/** Scenarios with names, imported through the API (as a facilitator would prepare them). */
async function addScenarios(request: APIRequestContext, board: TestBoard, names: string[]) {
  for (const [i, name] of names.entries()) {
    const res = await request.post(`/api/boards/${board.id}/scenarios`, {
      headers: { Authorization: `Bearer ${board.token}` },
      data: { name, assumptions: { conversionRate: 2 + i, trainingOutput: 50_000 + i * 10_000 } },
    });
    expect(res.status(), await res.text()).toBeLessThan(300);
  }
}

test('on a 390 px phone: the name dialog fits, the follow pill names the scenario, the tab shows, nothing scrolls sideways', async ({
  browser,
  request,
}) => {
  test.setTimeout(240_000);
  const board = await createBoard(request, 'Lahore skills workshop with a long title for phones');
  await addScenarios(request, board, ['Freelancer push', 'Services growth', 'Skills-first']);

  const modContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await rememberIdentity(modContext, 'Ayesha (PSEB)', '#0b5cad');
  const mod = await modContext.newPage();
  await openBoard(mod, board.links.moderator);
  await mod.getByTestId('scenario-tab').filter({ hasText: 'Skills-first' }).click();
  await mod.getByTestId('present-toggle').click();
  await expect(mod.getByTestId('present-toggle')).toHaveAttribute('aria-checked', 'true');

  // A first visit on a phone: the name dialog fits the screen.
  const phoneContext = await browser.newContext({
    viewport: PHONE,
    isMobile: true,
    hasTouch: true,
  });
  const phone = await phoneContext.newPage();
  await phone.goto(board.links.editor);
  const dialog = phone.getByTestId('identity-dialog');
  await expect(dialog).toBeVisible();
  const d = await box(dialog);
  expect(d.x).toBeGreaterThanOrEqual(0);
  expect(d.x + d.width).toBeLessThanOrEqual(PHONE.width);
  expect((await overflow(phone)).x).toBeLessThanOrEqual(0);
  await shot(phone, 'layout-phone-name-dialog.png');
  await phone.getByTestId('identity-name').fill('Bilal Ahmed');
  await phone.getByTestId('identity-save').click();
  await expect(dialog).toHaveCount(0);
  await expect(phone.getByTestId('connection-status')).toHaveAttribute('data-state', 'live');

  // Following: the pill says whom and which scenario; the presented tab is in view.
  await expect(phone.getByTestId('follow-pill')).toHaveText(
    /Following Ayesha \(PSEB\): Skills-first/,
  );
  const selected = phone.locator('[data-testid="scenario-tab"][aria-selected="true"]');
  await expect(selected).toContainText('Skills-first');
  const strip = phone.getByRole('navigation', { name: 'Scenarios' });
  await expect
    .poll(async () => {
      const [t, s] = [await box(selected), await box(strip)];
      return t.x >= s.x - 1 && t.x + t.width <= s.x + s.width + 1;
    })
    .toBe(true);

  // The first headline lever starts on the first screen.
  const lever = await box(phone.getByTestId('slider-trainingOutput'));
  expect(lever.y + lever.height).toBeLessThanOrEqual(PHONE.height);
  expect((await overflow(phone)).x).toBeLessThanOrEqual(0);
  await shot(phone, 'layout-phone-following.png');

  // A timer starting puts the clock in the phone's session bar: the bar keeps its height and no
  // button moves (it used to wrap).
  const phoneBar = phone.getByTestId('session-bar');
  const barBefore = await box(phoneBar);
  const handBefore = await box(phone.getByTestId('hand-raise'));
  const reactionBefore = await box(phone.getByTestId('reaction-4'));
  await mod.getByTestId('timer-start').click();
  await expect(phone.getByTestId('timer-display')).toHaveAttribute('data-state', 'running');
  expect((await box(phoneBar)).height).toBe(barBefore.height);
  expect(await box(phone.getByTestId('hand-raise'))).toEqual(handBefore);
  expect(await box(phone.getByTestId('reaction-4'))).toEqual(reactionBefore);
  const timerBox = await box(phone.getByTestId('timer-display'));
  expect(timerBox.y).toBeLessThan(handBefore.y + handBefore.height);
  expect(timerBox.y + timerBox.height).toBeGreaterThan(handBefore.y);
  expect((await overflow(phone)).x).toBeLessThanOrEqual(0);
  await shot(phone, 'layout-phone-timer.png');

  // Two scenarios compared (chart, year table, differences): still no sideways scrolling.
  const compare = phone.getByTestId('compare-table');
  await compare.scrollIntoViewIfNeeded();
  await expect(compare).toBeVisible();
  expect((await overflow(phone)).x).toBeLessThanOrEqual(0);
  for (const id of ['scenario-comparison', 'compare-table', 'compare-differences']) {
    const b = await box(phone.getByTestId(id));
    expect(b.x + b.width, id).toBeLessThanOrEqual(PHONE.width);
  }
  await shot(phone, 'layout-phone-compare.png');

  await phoneContext.close();
  await modContext.close();
});

for (const size of [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
]) {
  test(`the projector at ${size.width}x${size.height}: levers and the last change beside the chart; overlays never move it`, async ({
    browser,
    request,
  }) => {
    test.setTimeout(240_000);
    const board = await createBoard(request, 'Karachi policy workshop');
    const modContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await rememberIdentity(modContext, 'Amina Khan', '#0b5cad');
    const edContext = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
    await rememberIdentity(edContext, 'Bilal Ahmed', '#c2410c');
    const mod = await modContext.newPage();
    const ed = await edContext.newPage();
    await openBoard(mod, board.links.moderator);
    await openBoard(ed, board.links.editor);
    await mod.getByTestId('present-toggle').click();
    await typeValue(ed, 'conversionRate', '5');

    const projector = await modContext.newPage();
    await projector.setViewportSize(size);
    await projector.goto(`/b/${board.id}/present`);
    const chart = projector.getByTestId('chart-exports');
    await expect(chart).toBeVisible();
    const levers = projector.getByTestId('projector-levers');
    await expect(levers).toContainText('Freelancer conversion rate');
    await expect(levers).toContainText('5%');
    await expect(levers).toContainText('40k/yr');
    await expect(projector.getByTestId('projector-last-change')).toContainText(
      /Bilal Ahmed.*Freelancer conversion rate.*5%/,
    );

    const fits = async () => {
      expect(await overflow(projector)).toEqual({ x: 0, y: 0 });
      const c = await box(chart);
      expect(c.y + c.height).toBeLessThanOrEqual(size.height);
      expect(c.x + c.width).toBeLessThanOrEqual(size.width);
      return c;
    };
    const before = await fits();

    // Spotlight, a poll, a raised hand and a timer: the chart stays where it was.
    await mod.getByTestId('spotlight-conversionRate').click();
    // A headline lever in focus is marked in the levers card (other assumptions get a banner).
    await expect(levers.locator('[data-spotlight="true"]')).toContainText(
      'Freelancer conversion rate',
    );
    await mod.getByTestId('poll-open').click();
    await mod.getByTestId('poll-open-submit').click();
    await expect(projector.getByTestId('poll-card')).toBeVisible();
    const bar = mod.getByTestId('session-bar');
    const barBefore = await box(bar);
    const presentBefore = await box(mod.getByTestId('present-toggle'));
    await ed.getByTestId('hand-raise').click();
    await expect(projector.getByTestId('projector-hands')).toContainText('Bilal Ahmed');
    await mod.getByTestId('timer-start').click();
    await expect(projector.getByTestId('timer-display')).toHaveAttribute('data-state', 'running');
    await expect(mod.getByTestId('hands-list')).toContainText('Bilal Ahmed');
    expect(await fits()).toEqual(before);
    // The moderator's session bar did not wrap or move its buttons.
    expect((await box(bar)).height).toBe(barBefore.height);
    expect(await box(mod.getByTestId('present-toggle'))).toEqual(presentBefore);
    await shot(projector, `layout-projector-${size.width}x${size.height}.png`);

    // A spotlight on an assumption that is not a headline lever gets its banner: levers,
    // banner, poll and hands each keep their own place in the side column, none covering
    // another, none cut at the bottom.
    await mod.getByTestId('group-workforce').locator('h3 > button').click();
    await mod.getByTestId('spotlight-placementRate').click();
    await expect(projector.getByTestId('projector-spotlight')).toBeVisible();
    const aside = await box(projector.getByTestId('projector-aside'));
    const cards = await Promise.all(
      ['projector-levers', 'projector-spotlight', 'poll-card', 'projector-hands'].map(
        async (id) => [id, await box(projector.getByTestId(id))] as const,
      ),
    );
    for (const [id, b] of cards) {
      expect(inside(b, aside), `${id} inside the side column`).toBe(true);
      expect(b.y + b.height, `${id} on screen`).toBeLessThanOrEqual(size.height);
    }
    for (const [i, [id, b]] of cards.entries())
      for (const [other, c] of cards.slice(i + 1))
        expect(overlaps(b, c), `${id} overlaps ${other}`).toBe(false);
    expect(await fits()).toEqual(before);
    await shot(projector, `layout-projector-crowded-${size.width}x${size.height}.png`);

    await edContext.close();
    await modContext.close();
  });
}
