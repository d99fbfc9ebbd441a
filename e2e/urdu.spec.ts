// The participant flow in Urdu, at phone and desktop width: join by code, the name dialog, a
// lever, a vote on the moderator's poll, a raised hand. Checks Urdu text, right-to-left layout,
// the Nastaliq font, no sideways scrolling and no clipped text in the header and session bar;
// the browser's language picks Urdu on a first visit and the language switch overrides it.
// axe finds nothing on the Urdu board. A moderator in Urdu: the tab's title, the History tab
// (versions, the decision log, board events, replay), the poll dialog, and the scenario tabs'
// arrow keys reversed right to left. A request the server refuses (a mistyped join code, a Q&A
// answer over the limit) says why in Urdu. Writes docs/screenshots/i18n-{ur,en}-{desktop,phone}.png and
// i18n-ur-{history,poll-dialog}-{desktop,phone}.png.
import fs from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import path from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { createBoard, openBoard, rememberIdentity, typeValue } from './helpers';

const SHOTS = path.join(process.cwd(), 'docs', 'screenshots');

const SIZES = {
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  desktop: { viewport: { width: 1440, height: 900 } },
} as const;

/** A browser whose language is Urdu (navigator.language and Accept-Language: ur-PK). */
async function urduPage(browser: Browser, size: keyof typeof SIZES): Promise<Page> {
  const context = await browser.newContext({ ...SIZES[size], locale: 'ur-PK' });
  return context.newPage();
}

async function expectDirection(page: Page, lang: 'ur' | 'en'): Promise<void> {
  await expect(page.locator('html')).toHaveAttribute('lang', lang);
  await expect(page.locator('html')).toHaveAttribute('dir', lang === 'ur' ? 'rtl' : 'ltr');
}

/** The page never scrolls sideways. */
async function expectNoHorizontalOverflow(page: Page): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(scrollWidth, 'page is wider than the screen').toBeLessThanOrEqual(clientWidth);
}

/**
 * No text cut off inside `selector`: every element that hides its overflow (truncate, clipped
 * boxes) holds its content, across and, for Nastaliq's tall letters, top to bottom.
 */
async function expectNothingClipped(page: Page, selector: string): Promise<void> {
  const clipped = await page.evaluate((sel) => {
    const out: string[] = [];
    for (const root of document.querySelectorAll(sel)) {
      for (const el of [root, ...root.querySelectorAll('*')]) {
        if (!(el instanceof HTMLElement) || el.offsetParent === null) continue;
        if (!el.textContent?.trim()) continue;
        // Screen-reader-only text (.sr-only) is clipped to 1px on purpose.
        if (el.closest('.sr-only')) continue;
        const style = getComputedStyle(el);
        const hidesX = style.overflowX !== 'visible';
        const hidesY = style.overflowY !== 'visible';
        if (hidesX && el.scrollWidth > el.clientWidth + 1)
          out.push(
            `"${el.textContent.trim().slice(0, 30)}" cut across by ${el.scrollWidth - el.clientWidth}px`,
          );
        if (hidesY && el.scrollHeight > el.clientHeight + 1)
          out.push(
            `"${el.textContent.trim().slice(0, 30)}" cut top/bottom by ${el.scrollHeight - el.clientHeight}px`,
          );
      }
    }
    return out;
  }, selector);
  expect(clipped).toEqual([]);
}

/** Nastaliq was downloaded and is in use for Urdu text. */
async function expectNastaliq(page: Page): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  const loaded = await page.evaluate(() =>
    [...document.fonts].some(
      (f) => f.family.includes('Noto Nastaliq Urdu') && f.status === 'loaded',
    ),
  );
  expect(loaded, 'Noto Nastaliq Urdu loaded').toBe(true);
}

async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, name);
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
  expect(fs.statSync(file).size).toBeLessThan(400 * 1024);
}

for (const size of ['phone', 'desktop'] as const) {
  test(`a participant in Urdu (${size}): join, name, lever, poll, hand`, async ({
    browser,
    request,
  }) => {
    test.setTimeout(120_000);
    const board = await createBoard(request, 'Lahore ICT workshop');

    // The moderator works in English on a laptop.
    const modContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await rememberIdentity(modContext, 'Amina Khan', '#0b5cad');
    const mod = await modContext.newPage();
    await openBoard(mod, board.links.moderator);
    await expectDirection(mod, 'en');

    // --- join by code, in Urdu because the browser asks for it -------------------------------
    const page = await urduPage(browser, size);
    await page.goto('/join');
    await expectDirection(page, 'ur');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('بورڈ میں شامل ہوں');
    await expectNoHorizontalOverflow(page);
    // A mistyped code is refused in Urdu (the server's code picks the words, not its English).
    const joinButton = page.getByRole('button', { name: 'شامل ہوں', exact: true });
    const refusal = page.locator('form').getByRole('alert');
    await page.getByTestId('join-code').fill('AB');
    await joinButton.click();
    await expect(refusal).toContainText('شمولیت کا کوڈ');
    await expect(refusal).toContainText('حروف اور ہندسوں');
    const unused = [...'ACDEFGHJKMNPQRTUVWXY'].find((c) => !board.joinCode.includes(c))!;
    await page.getByTestId('join-code').fill(unused.repeat(6));
    await joinButton.click();
    await expect(refusal).toHaveText(
      'کسی بورڈ کا یہ کوڈ نہیں۔ اسکرین پر دیکھ کر دوبارہ کوشش کریں۔',
    );
    await page.getByTestId('join-code').fill(board.joinCode);
    await joinButton.click();

    // --- the name dialog --------------------------------------------------------------------
    const dialog = page.getByTestId('identity-dialog');
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('heading')).toHaveText('دوسرے آپ کو کس نام سے پکاریں؟');
    await expect(dialog.getByLabel('ظاہری نام')).toBeVisible();
    await page.getByTestId('identity-name').fill('عائشہ');
    await page.getByTestId('identity-save').click();
    await expect(dialog).toHaveCount(0);

    // --- the board, in Urdu and right to left -------------------------------------------------
    await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'live');
    await expect(page.getByTestId('connection-status')).toContainText('براہِ راست');
    await expectDirection(page, 'ur');
    await expect(page.getByTestId('headline-levers')).toContainText('بنیادی لیورز');
    await expect(page.getByTestId('assumption-conversionRate')).toContainText(
      'فری لانسرز کی کامیابی کی شرح',
    );
    await expect(page.getByTestId('kpi-total-2028-card')).toContainText('برآمدات');
    await expect(page.getByTestId('chart-exports')).toContainText(
      'ذرائع کے لحاظ سے آئی سی ٹی برآمدات کا تخمینہ',
    );
    // The chart is not mirrored: its plot stays left to right inside the right-to-left page.
    await expect(page.locator('[data-testid="chart-exports"] [dir="ltr"]').first()).toBeVisible();
    await expectNastaliq(page);

    // --- move a lever; the moderator sees it ------------------------------------------------
    await typeValue(page, 'conversionRate', '5');
    await expect(mod.getByTestId('input-conversionRate')).toHaveValue('5');

    // --- vote on the moderator's poll ---------------------------------------------------------
    await mod.getByTestId('poll-open').click();
    await mod.getByTestId('poll-open-submit').click();
    const poll = page.getByTestId('poll-card');
    await expect(poll).toContainText('رائے شماری · جاری');
    await page.getByTestId('poll-option-0').click();
    await expect(page.getByTestId('poll-option-0')).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('poll-voters')).toHaveText('2 میں سے 1 نے جواب دیا');
    await expect(mod.getByTestId('poll-voters')).toHaveText('1 of 2 answered');

    // --- raise a hand -------------------------------------------------------------------------
    const hand = page.getByTestId('hand-raise');
    await expect(hand).toHaveText('ہاتھ اٹھائیں');
    await hand.click();
    await expect(hand).toHaveText('ہاتھ نیچے کریں');
    await expect(mod.getByTestId('hands-list')).toContainText('عائشہ');

    // --- layout: nothing sideways, nothing clipped -------------------------------------------
    await page.mouse.move(0, 0);
    await expectNoHorizontalOverflow(page);
    await expectNothingClipped(page, 'header');
    await expectNothingClipped(page, '[data-testid="session-bar"]');
    await shot(page, `i18n-ur-${size}.png`);

    // axe (every rule) finds nothing on the Urdu board with the poll open.
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes[0]?.target.join(' ')}`)).toEqual([]);

    // The share dialog a participant opens to invite a neighbour.
    await page.getByTestId('share-button').click();
    const share = page.getByTestId('share-dialog');
    await expect(share.getByRole('heading')).toHaveText('شرکاء کو مدعو کریں');
    await expect(share).toContainText('بورڈ کا لنک');
    await expectNothingClipped(page, '[data-testid="share-dialog"]');
    await page.keyboard.press('Escape');
    await expect(share).toHaveCount(0);

    // --- the switch overrides the browser's language, and the board stays live ---------------
    await page.getByTestId('language-switch').click();
    await expectDirection(page, 'en');
    await expect(page.getByTestId('hand-raise')).toHaveText('Lower hand');
    await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'live');
    await expect(page.getByTestId('headline-levers')).toContainText('Headline levers');
    await expect(page.getByTestId('input-conversionRate')).toHaveValue('5');
    await expectNoHorizontalOverflow(page);
    await expectNothingClipped(page, 'header');
    await shot(page, `i18n-en-${size}.png`);

    await page.context().close();
    await modContext.close();
  });
}

for (const size of ['phone', 'desktop'] as const) {
  test(`a moderator in Urdu (${size}): page title, History tab, poll dialog, arrow keys`, async ({
    browser,
    request,
  }) => {
    test.setTimeout(120_000);
    const board = await createBoard(request, 'Lahore ICT workshop');
    const page = await urduPage(browser, size);
    await rememberIdentity(page.context(), 'آمنہ خان', '#0b5cad');
    // openBoard, with more time to go live: the Urdu page also loads its Nastaliq font.
    await page.goto(board.links.moderator);
    await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'live', {
      timeout: 30_000,
    });
    await expectDirection(page, 'ur');
    // The tab's title: the board's own title, then the app's name in Urdu.
    await expect(page).toHaveTitle(`${board.title} · منظرنامہ بورڈ`);
    // The page's streamed metadata may land after the board set its title (a slow server lookup
    // names it generically): the board keeps its own title.
    await page.evaluate(() => {
      const late = document.createElement('title');
      late.textContent = 'بورڈ · منظرنامہ بورڈ';
      document.head.prepend(late);
    });
    await expect(page).toHaveTitle(`${board.title} · منظرنامہ بورڈ`);

    // --- the History tab: a change, a saved version, the log and the board's events ----------
    await typeValue(page, 'conversionRate', '5');
    await page.getByTestId('tab-history').click();
    await expect(page.getByTestId('tab-history')).toHaveText('تاریخچہ');
    const versions = page.getByTestId('versions');
    await expect(versions.getByRole('heading')).toHaveText('ورژن');
    await page.getByTestId('version-name').fill('پہلی نشست کے بعد');
    await page.getByTestId('version-save').click();
    await expect(page.getByTestId('version-item')).toHaveCount(1);
    await expect(versions).toContainText('”پہلی نشست کے بعد“ محفوظ ہو گیا۔');
    await expect(page.getByTestId('decision-panel')).toContainText('ریکارڈ شدہ فیصلہ');
    await expect(page.getByTestId('decision-log').getByRole('heading')).toHaveText(
      'فیصلوں کا ریکارڈ',
    );
    const entry = page.getByTestId('log-entry').first();
    await expect(entry).toContainText('آمنہ خان نے');
    await expect(entry).toContainText('فری لانسرز کی کامیابی کی شرح بدلا');
    await expect(page.getByTestId('board-event').first()).toContainText(
      'ورژن محفوظ ہوا: ”پہلی نشست کے بعد“، از آمنہ خان',
    );
    await expect(page.getByTestId('replay-position')).toHaveText('مرحلہ 1 از 1');
    await page.getByTestId('version-open').click();
    await expect(page.getByTestId('version-detail')).toContainText('صرف پڑھنے کے لیے');
    await expect(page.getByTestId('version-detail')).toContainText('موجودہ سے موازنہ');
    await expectNoHorizontalOverflow(page);
    await expectNothingClipped(page, '[data-testid="history-tab"]');
    await page.getByTestId('history-tab').scrollIntoViewIfNeeded();
    await shot(page, `i18n-ur-history-${size}.png`);

    // --- the moderator's poll dialog ----------------------------------------------------------
    await page.getByTestId('poll-open').click();
    const dialog = page.getByTestId('poll-open-dialog');
    await expect(dialog.getByRole('heading')).toHaveText('شرکاء سے پوچھیں');
    await expect(page.getByTestId('poll-question')).toHaveValue('ہم کس منظرنامے کی سفارش کریں؟');
    await expect(dialog).toContainText('رائے شماری بند ہونے تک نتائج شرکاء سے چھپائیں');
    await page.getByTestId('poll-kind-value').click();
    await expect(page.getByTestId('poll-question')).toHaveValue(
      'آپ کے خیال میں 2028 تک فری لانسرز کی کامیابی کی شرح کتنی ہوگی؟',
    );
    await expect(page.getByTestId('poll-open-submit')).toHaveText('رائے شماری شروع کریں');
    await expectNoHorizontalOverflow(page);
    await expectNothingClipped(page, '[data-testid="poll-open-dialog"]');
    await shot(page, `i18n-ur-poll-dialog-${size}.png`);
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);

    // --- scenario tabs: in a right-to-left page ArrowLeft moves to the next tab ----------------
    if (size === 'desktop') {
      await page.getByTestId('tab-outcomes').click();
      await page.getByTestId('scenario-add').click();
      const tabs = page.getByTestId('scenario-tab');
      await expect(tabs).toHaveCount(2);
      await tabs.nth(0).click();
      await expect(tabs.nth(0)).toHaveAttribute('aria-selected', 'true');
      await page.keyboard.press('ArrowLeft');
      await expect(tabs.nth(1)).toHaveAttribute('aria-selected', 'true');
      await expect(tabs.nth(1)).toBeFocused();
      await page.keyboard.press('ArrowRight');
      await expect(tabs.nth(0)).toHaveAttribute('aria-selected', 'true');
    }
    await page.context().close();
  });
}

test('the browser language picks Urdu on a first visit; the switch overrides it and is remembered', async ({
  browser,
}) => {
  const page = await urduPage(browser, 'desktop');
  await page.goto('/');
  await expectDirection(page, 'ur');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'اعداد و شمار مل کر، براہِ راست پرکھیں۔',
  );
  const toEnglish = page.getByTestId('language-switch');
  await expect(toEnglish).toHaveText('English');
  await expect(toEnglish).toHaveAccessibleName('زبان بدل کر English کریں');

  await toEnglish.click();
  await expectDirection(page, 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'Test the numbers together, live.',
  );
  // Remembered on this device: the server renders the next page in English.
  await page.goto('/join');
  await expectDirection(page, 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Join a board');

  // And back: Urdu again, remembered too.
  await page.getByTestId('language-switch').click();
  await expectDirection(page, 'ur');
  await page.reload();
  await expectDirection(page, 'ur');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('بورڈ میں شامل ہوں');
  await page.context().close();

  // A browser asking for English (or anything else) gets English, with a way to Urdu.
  const english = await browser.newPage({ locale: 'en-GB' });
  await english.goto('/');
  await expectDirection(english, 'en');
  await expect(english.getByTestId('language-switch')).toHaveText('اردو');
  // English pages do not download the Nastaliq font.
  await english.evaluate(() => document.fonts.ready);
  const nastaliq = await english.evaluate(() =>
    [...document.fonts].filter((f) => f.family.includes('Nastaliq') && f.status !== 'unloaded'),
  );
  expect(nastaliq).toEqual([]);
  await english.close();
});

test("the projector follows the board's language, set by the moderator", async ({
  browser,
  request,
}) => {
  test.setTimeout(90_000);
  const board = await createBoard(request, 'Lahore ICT workshop');
  // The moderator's own browser is in English; the board's language is what the room shares.
  const modContext = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    locale: 'en-GB',
  });
  await rememberIdentity(modContext, 'Amina Khan', '#0b5cad');
  const mod = await modContext.newPage();
  await openBoard(mod, board.links.moderator);
  await expect(mod.getByTestId('board-language')).toHaveValue('en');

  const projector = await modContext.newPage();
  await projector.goto(`/b/${board.id}/present`);
  await expect(projector.getByTestId('projector-levers')).toContainText('Headline levers');
  await expectDirection(projector, 'en');

  // Switched while the projector is open: it changes language without a reload.
  await mod.getByTestId('board-language').selectOption('ur');
  await expect(projector.getByTestId('projector-levers')).toContainText('بنیادی لیورز');
  await expectDirection(projector, 'ur');
  await expect(projector.getByTestId('chart-exports')).toContainText(
    'ذرائع کے لحاظ سے آئی سی ٹی برآمدات کا تخمینہ',
  );
  await expect(projector.getByTestId('projector-join')).toContainText('یہاں شامل ہوں');
  await expectNastaliq(projector);
  await expectNoHorizontalOverflow(projector);
  await expectNothingClipped(projector, 'header');
  // The moderator's own board stays in their language.
  await expectDirection(mod, 'en');
  await shot(projector, 'i18n-ur-projector.png');

  // A projector opened later starts in the board's language.
  const second = await modContext.newPage();
  await second.goto(`/b/${board.id}/present`);
  await expect(second.getByTestId('projector-levers')).toContainText('بنیادی لیورز');
  await modContext.close();
});

test('a refused request reads in Urdu: the answer one over the Q&A limit', async ({
  browser,
  request,
}) => {
  const board = await createBoard(request, 'Urdu refusal');
  const modContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await rememberIdentity(modContext, 'Ayesha', '#0b5cad');
  const mod = await modContext.newPage();
  await openBoard(mod, board.links.moderator);
  const phone = await urduPage(browser, 'phone');
  await rememberIdentity(phone.context(), 'بلال', '#c2410c');
  await openBoard(phone, board.links.editor);

  await mod.getByTestId('poll-open').click();
  await mod.getByTestId('poll-kind-qa').click();
  await mod.getByTestId('poll-open-submit').click();
  const card = phone.getByTestId('qa-card');
  await expect(card).toBeVisible();
  const answers = ['زیادہ تربیت', 'سستا انٹرنیٹ', 'فری لانسرز کے لیے بینک کھاتے'];
  for (const [i, answer] of answers.entries()) {
    await phone.getByTestId('qa-answer-input').fill(answer);
    await phone.getByTestId('qa-answer-submit').click();
    await expect(card.getByTestId('qa-answer')).toHaveCount(i + 1);
  }
  // The server refuses a fourth (three per person) with a code; the phone says why in Urdu.
  await phone.getByTestId('qa-answer-input').fill('ایک اور');
  await phone.getByTestId('qa-answer-submit').click();
  const refusal = card.getByRole('alert');
  await expect(refusal).toHaveText('آپ پہلے ہی 3 جواب دے چکے ہیں۔');
  await expect(card.getByTestId('qa-answer')).toHaveCount(3);
});
