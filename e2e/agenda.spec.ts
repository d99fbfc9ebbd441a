// Facilitation the anchors have (issue 13, item 8): the moderator builds an agenda and starts a
// step (the timer shows its minutes on a phone and on the projector, which names the step and the
// next one, and presents its scenario); phones answer an open question and upvote, and the
// projector shows the top answer first; an anonymous poll says so and is counted against the
// people present. Screenshots: docs/screenshots/agenda-*.png (projector 1366x768, phone 390 px).
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { createBoard, openBoard, rememberIdentity } from './helpers';

const SHOTS = path.join(process.cwd(), 'docs', 'screenshots');
const PHONE = { width: 390, height: 844 };
const PROJECTOR = { width: 1366, height: 768 };

async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, name), animations: 'disabled', caret: 'hide' });
}

/** "09:58" → 598 */
const seconds = (clock: string | null) => {
  const [m, s] = (clock ?? '').trim().split(':').map(Number);
  return (m ?? 0) * 60 + (s ?? 0);
};

const noSidewaysScroll = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test('agenda steps drive the timer and the projector; a Q&A with upvotes; an anonymous poll', async ({
  browser,
  request,
}) => {
  test.setTimeout(480_000);
  const board = await createBoard(request, 'Lahore skills workshop');
  const res = await request.post(`/api/boards/${board.id}/scenarios`, {
    headers: { Authorization: `Bearer ${board.token}` },
    data: { name: 'Skills-first', assumptions: { conversionRate: 4 } },
  });
  expect(res.status(), await res.text()).toBeLessThan(300);

  const modContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await rememberIdentity(modContext, 'Ayesha (PSEB)', '#0b5cad');
  const mod = await modContext.newPage();
  await openBoard(mod, board.links.moderator);
  const phones: Page[] = [];
  for (const [name, color] of [
    ['Bilal Ahmed', '#c2410c'],
    ['Sara Khan', '#059669'],
  ] as const) {
    const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
    await rememberIdentity(context, name, color);
    const page = await context.newPage();
    await openBoard(page, board.links.editor);
    phones.push(page);
  }
  const [bilal, sara] = phones as [Page, Page];
  const projector = await modContext.newPage();
  await projector.setViewportSize(PROJECTOR);
  await projector.goto(`/b/${board.id}/present`);
  await expect(projector.getByTestId('chart-exports')).toBeVisible();

  // --- the agenda ------------------------------------------------------------------------------
  await mod.bringToFront();
  await mod.getByTestId('agenda-toggle').click();
  const panel = mod.getByTestId('agenda-panel');
  await panel.getByTestId('agenda-minutes').fill('10');
  await panel.getByTestId('agenda-title').fill('Explore Skills-first');
  await panel.getByTestId('agenda-scenario').selectOption({ label: 'Present Skills-first' });
  await panel.getByTestId('agenda-add').click();
  await panel.getByTestId('agenda-minutes').fill('5');
  await panel.getByTestId('agenda-title').fill('Agree a recommendation');
  await panel.getByTestId('agenda-scenario').selectOption({ label: 'No scenario' });
  await panel.getByTestId('agenda-add').click();
  const steps = panel.getByTestId('agenda-step');
  await expect(steps).toHaveCount(2);

  // Starting the first step: a 10-minute timer everywhere, Skills-first presented.
  await steps.nth(0).getByTestId('agenda-start').click();
  await expect(steps.nth(0)).toHaveAttribute('data-state', 'running');
  for (const page of [bilal, projector]) {
    const timer = page.getByTestId('timer-display');
    await expect(timer).toHaveAttribute('data-state', 'running');
    const left = seconds(await timer.textContent());
    expect(left).toBeGreaterThan(9 * 60);
    expect(left).toBeLessThanOrEqual(10 * 60);
  }
  await expect(projector.getByTestId('projector-agenda')).toContainText(
    'Step 1 of 2: Explore Skills-first (10 min)',
  );
  await expect(projector.getByTestId('projector-agenda')).toContainText(
    'Next: Agree a recommendation (5 min)',
  );
  await expect(projector.getByTestId('projector')).toContainText('Skills-first');
  await expect(bilal.getByTestId('agenda-now')).toContainText('Step 1 of 2: Explore Skills-first');
  await expect(bilal.getByTestId('follow-pill')).toContainText('Skills-first');
  expect(await noSidewaysScroll(bilal)).toBeLessThanOrEqual(0);
  await shot(projector, 'agenda-projector-1366x768.png');
  await shot(bilal, 'agenda-phone-390.png');

  // The agenda is part of the board: a reload keeps it, and the running step.
  await mod.reload();
  await expect(mod.getByTestId('connection-status')).toHaveAttribute('data-state', 'live');
  await mod.getByTestId('agenda-toggle').click();
  await expect(mod.getByTestId('agenda-step')).toHaveCount(2);
  await expect(mod.getByTestId('agenda-step').nth(0)).toHaveAttribute('data-state', 'running');

  // --- a Q&A -----------------------------------------------------------------------------------
  await mod.getByTestId('poll-open').click();
  await mod.getByTestId('poll-kind-qa').click();
  await expect(mod.getByTestId('poll-question')).toHaveValue('What would you change first?');
  await mod.getByTestId('poll-open-submit').click();
  for (const page of [bilal, sara, projector])
    await expect(page.getByTestId('qa-card')).toContainText('What would you change first?');

  await sara.getByTestId('qa-answer-input').fill('More training seats in Multan');
  await sara.getByTestId('qa-answer-submit').click();
  await bilal.getByTestId('qa-answer-input').fill('Cheaper broadband for freelancers');
  await bilal.getByTestId('qa-answer-submit').click();
  const broadband = sara.getByTestId('qa-answer').filter({ hasText: 'Cheaper broadband' });
  await broadband.getByTestId('qa-upvote').click();
  await expect(broadband.getByTestId('qa-upvote')).toHaveAttribute('aria-pressed', 'true');
  // The projector shows it on top, with its upvote, counted against the people present.
  const top = projector.getByTestId('qa-answer').first();
  await expect(top).toContainText('Cheaper broadband for freelancers');
  await expect(top.getByTestId('qa-votes')).toHaveText('▲ 1');
  await expect(top).toContainText('Bilal Ahmed');
  await expect(projector.getByTestId('qa-answered')).toHaveText('2 of 3 answered');
  await expect(bilal.getByTestId('qa-answer').first()).toContainText('Cheaper broadband');
  expect(await noSidewaysScroll(sara)).toBeLessThanOrEqual(0);
  await shot(projector, 'agenda-projector-qa-1366x768.png');
  await shot(sara, 'agenda-phone-qa-390.png');
  await mod.getByTestId('qa-close').click();
  for (const page of [bilal, sara, projector])
    await expect(page.getByTestId('qa-card')).toHaveCount(0);

  // --- an anonymous poll -----------------------------------------------------------------------
  await mod.getByTestId('poll-open').click();
  await mod.getByTestId('poll-anonymous-toggle').check();
  await mod.getByTestId('poll-open-submit').click();
  await expect(bilal.getByTestId('poll-anonymous')).toHaveText('Anonymous');
  await expect(projector.getByTestId('poll-anonymous')).toHaveText('Anonymous');
  await bilal.getByTestId('poll-option-1').click();
  await expect(mod.getByTestId('poll-voters')).toHaveText('1 of 3 answered');
  await expect(projector.getByTestId('poll-voters')).toHaveText('1 of 3 answered');
  await mod.getByTestId('poll-close').click();
  await mod.getByTestId('poll-results-toggle').click();
  await expect(mod.getByTestId('poll-result')).toContainText('Anonymous');
  await expect(mod.getByTestId('poll-result')).toContainText('1 answer of 3 present');

  // The next step: the first is done, the timer is its 5 minutes.
  await mod.getByTestId('agenda-step').nth(1).getByTestId('agenda-start').click();
  await expect(mod.getByTestId('agenda-step').nth(0)).toHaveAttribute('data-state', 'done');
  await expect(projector.getByTestId('projector-agenda')).toContainText(
    'Step 2 of 2: Agree a recommendation (5 min)',
  );
  await expect
    .poll(async () => seconds(await bilal.getByTestId('timer-display').textContent()))
    .toBeLessThanOrEqual(5 * 60);

  await modContext.close();
  for (const page of phones) await page.context().close();
});
