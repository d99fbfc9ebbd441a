/**
 * A participant on a mid-range phone (issue 11): how much JavaScript the pages ship before anyone
 * touches them, how soon the board's chart is painted, and whether a lever drag keeps frames short.
 *
 * Runs the production build (`npm run build` first) in its own process on a free port with SQLite
 * in a temporary folder, and Debian's Chromium through playwright-core. The throttled profile is
 * Chrome DevTools' own: CPU slowed 4x (Emulation.setCPUThrottlingRate) and a 1.6 Mbps / 150 ms
 * round-trip network (Network.emulateNetworkConditions). Every page load is a fresh browser context
 * (cold cache), as a participant's first visit is. Prints figures beside targets; asserts nothing.
 *
 * `npm run bench:phone` (BENCH_PHONE_RUNS, default 3: the median of that many loads is printed;
 * BENCH_PHONE_FILES=1 lists the scripts, and on a build with browser source maps, what they are
 * made of: bench/bundleAttribution.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { attributeScripts } from './bundleAttribution';
import { emulateMidRangePhone } from '../e2e/phoneProfile';

const root = path.resolve(import.meta.dirname, '..');
const runs = Number(process.env.BENCH_PHONE_RUNS ?? 3);
const distDir = process.env.NEXT_DIST_DIR || '.next';

const TARGETS = {
  boardJsKb: 250,
  landingJsKb: 250,
  chartMs: 1000,
  chartThrottledMs: 3500,
  frameMs: 50,
};

function startServer(): Promise<{ child: ChildProcess; baseUrl: string }> {
  if (!fs.existsSync(path.join(root, 'dist/server/index.js'))) {
    throw new Error('No compiled server in dist/: run `npm run build` first.');
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-phone-'));
  const child = spawn(process.execPath, ['dist/server/index.js'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      NEXT_DIST_DIR: distDir,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening`)));
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const port = /Scenario Board on http:\/\/localhost:(\d+)/.exec(output)?.[1];
      if (!port) return;
      child.stdout.removeAllListeners('data');
      child.stdout.resume();
      child.removeAllListeners('exit');
      resolve({ child, baseUrl: `http://127.0.0.1:${port}` });
    });
  });
}

async function createBoard(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/boards`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Phone bench', baselineOpen: true }),
  });
  if (res.status !== 201) throw new Error(`create board: ${res.status} ${await res.text()}`);
  const { links } = (await res.json()) as { links: { editor: string } };
  return links.editor;
}

/** A fresh context as a returning participant (a display name remembered), optionally throttled. */
async function openPage(
  browser: Browser,
  throttled: boolean,
  viewport = { width: 390, height: 844 },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, isMobile: false });
  await context.addInitScript(() => {
    window.localStorage.setItem(
      'scenario-board:identity',
      JSON.stringify({ name: 'Phone bench', color: '#0f766e' }),
    );
    // The first chart paint: the frame after the chart's first stacked area is in the DOM.
    const w = window as unknown as { __chartPaintedAt?: number };
    const observer = new MutationObserver(() => {
      if (!document.querySelector('[data-testid="chart-exports"] svg path')) return;
      observer.disconnect();
      requestAnimationFrame(() => (w.__chartPaintedAt = performance.now()));
    });
    observer.observe(document, { childList: true, subtree: true });
  });
  const page = await context.newPage();
  if (throttled) {
    await emulateMidRangePhone(await context.newCDPSession(page));
  }
  return { context, page };
}

/** Scripts fetched by the page, gzipped here (level 6, what a typical proxy does), in bytes. */
function collectScripts(page: Page): () => Promise<{ total: number; files: [string, number][] }> {
  const pending: Promise<[string, number] | null>[] = [];
  page.on('response', (res) => {
    if (res.request().resourceType() !== 'script') return;
    pending.push(
      res.body().then(
        (body) => [new URL(res.url()).pathname, zlib.gzipSync(body, { level: 6 }).length],
        () => null,
      ),
    );
  });
  return async () => {
    const files = (await Promise.all(pending)).filter((f) => f !== null);
    return { total: files.reduce((sum, [, size]) => sum + size, 0), files };
  };
}

/** Wait until no request has been in flight for `quietMs` (the page has loaded what it loads). */
async function settle(page: Page, quietMs = 1000): Promise<void> {
  await page.waitForLoadState('load');
  let inFlight = 0;
  let lastChange = Date.now();
  const onStart = () => ((inFlight += 1), (lastChange = Date.now()));
  const onEnd = () => ((inFlight = Math.max(0, inFlight - 1)), (lastChange = Date.now()));
  page.on('request', onStart);
  page.on('requestfinished', onEnd);
  page.on('requestfailed', onEnd);
  while (inFlight > 0 || Date.now() - lastChange < quietMs) await page.waitForTimeout(100);
  page.off('request', onStart);
  page.off('requestfinished', onEnd);
  page.off('requestfailed', onEnd);
}

async function boardLoad(
  browser: Browser,
  link: string,
  throttled: boolean,
): Promise<{ chartMs: number; js: { total: number; files: [string, number][] } }> {
  const { context, page } = await openPage(browser, throttled);
  const scripts = collectScripts(page);
  await page.goto(link);
  await page.waitForFunction(
    () => (window as unknown as { __chartPaintedAt?: number }).__chartPaintedAt,
    null,
    { timeout: 60_000 },
  );
  const chartMs = await page.evaluate(
    () => (window as unknown as { __chartPaintedAt: number }).__chartPaintedAt,
  );
  await page.locator('[data-testid="connection-status"][data-state="live"]').waitFor();
  await settle(page);
  const js = await scripts();
  await context.close();
  return { chartMs, js };
}

async function landingJs(browser: Browser, baseUrl: string) {
  const { context, page } = await openPage(browser, false);
  const scripts = collectScripts(page);
  await page.goto(baseUrl);
  await settle(page);
  const js = await scripts();
  await context.close();
  return js;
}

/**
 * Drag the first headline lever across its track on the throttled profile and report the long
 * tasks (main-thread tasks over 50 ms, PerformanceObserver) and the longest gap between frames.
 */
async function leverDrag(browser: Browser, link: string) {
  const { context, page } = await openPage(browser, true);
  await page.goto(link);
  await page.locator('[data-testid="connection-status"][data-state="live"]').waitFor({
    timeout: 60_000,
  });
  await settle(page);
  const slider = page.getByTestId('slider-trainingOutput');
  await slider.scrollIntoViewIfNeeded();
  const box = (await slider.boundingBox())!;
  // A string, not a function: tsx's transform would add helpers the page does not have.
  await page.evaluate(`(() => {
    window.__longTasks = [];
    window.__frames = [];
    window.__stop = false;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longTasks.push(entry.duration);
    }).observe({ type: 'longtask' });
    let last = performance.now();
    const tick = (now) => {
      window.__frames.push(now - last);
      last = now;
      if (!window.__stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  const y = box.y + box.height / 2;
  // About a second and a half of dragging: 40 pointer moves, one every ~35 ms, left to right.
  await page.mouse.move(box.x + 4, y);
  await page.mouse.down();
  for (let i = 1; i <= 40; i++) {
    await page.mouse.move(box.x + 4 + ((box.width - 8) * i) / 40, y);
    await page.waitForTimeout(35);
  }
  await page.mouse.up();
  await page.waitForTimeout(1000);
  const result = await page.evaluate(() => {
    const w = window as unknown as { __longTasks: number[]; __frames: number[]; __stop: boolean };
    w.__stop = true;
    return { longTasks: w.__longTasks, frames: w.__frames.slice(1) };
  });
  const value = await page.getByTestId('input-trainingOutput').inputValue();
  await context.close();
  return { ...result, value };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
const mark = (ok: boolean) => (ok ? 'ok' : 'OVER');

const { child, baseUrl } = await startServer();
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const link = await createBoard(baseUrl);
  console.log(
    `Phone bench: ${os.cpus().length} cores, Chromium ${browser.version()}, build ${distDir}, median of ${runs}`,
  );
  // One unmeasured load warms the server (Next compiles nothing in production, but it reads files).
  await boardLoad(browser, link, false);

  const landing = await landingJs(browser, baseUrl);
  const fast = [];
  for (let i = 0; i < runs; i++) fast.push(await boardLoad(browser, link, false));
  const slow = [];
  for (let i = 0; i < runs; i++) slow.push(await boardLoad(browser, link, true));
  const drag = await leverDrag(browser, link);

  const boardJs = fast[0]!.js;
  const chartMs = median(fast.map((r) => r.chartMs));
  const chartSlowMs = median(slow.map((r) => r.chartMs));
  const longest = Math.max(0, ...drag.longTasks);
  const worstFrame = Math.max(0, ...drag.frames);

  const rows: [string, string, string, string][] = [
    [
      'board page JS before interaction (gzip)',
      kb(boardJs.total),
      `<= ${TARGETS.boardJsKb} KB`,
      mark(boardJs.total <= TARGETS.boardJsKb * 1024),
    ],
    [
      'landing page JS (gzip)',
      kb(landing.total),
      `<= ${TARGETS.landingJsKb} KB`,
      mark(landing.total <= TARGETS.landingJsKb * 1024),
    ],
    [
      'first chart painted, unthrottled',
      `${chartMs.toFixed(0)} ms`,
      `<= ${TARGETS.chartMs} ms`,
      mark(chartMs <= TARGETS.chartMs),
    ],
    [
      'first chart painted, phone profile',
      `${chartSlowMs.toFixed(0)} ms`,
      `<= ${TARGETS.chartThrottledMs} ms`,
      mark(chartSlowMs <= TARGETS.chartThrottledMs),
    ],
    [
      'lever drag, phone profile: long tasks',
      `${drag.longTasks.length} (longest ${longest.toFixed(0)} ms)`,
      `0 (frames < ${TARGETS.frameMs} ms)`,
      mark(drag.longTasks.length === 0),
    ],
    [
      'lever drag, phone profile: longest frame',
      `${worstFrame.toFixed(0)} ms of ${drag.frames.length}, p50 ${median(drag.frames).toFixed(0)} ms`,
      `< ${TARGETS.frameMs} ms`,
      mark(worstFrame < TARGETS.frameMs),
    ],
  ];
  for (const [name, value, target, verdict] of rows) {
    console.log(`${name.padEnd(42)} ${value.padEnd(28)} target ${target.padEnd(22)} ${verdict}`);
  }
  console.log(`  (drag moved training output to ${drag.value})`);
  if (process.env.BENCH_PHONE_FILES) {
    for (const [name, js] of [
      ['board', boardJs],
      ['landing', landing],
    ] as const) {
      console.log(`${name} scripts:`);
      for (const [file, size] of [...js.files].sort((a, b) => b[1] - a[1])) {
        console.log(`  ${kb(size).padStart(7)}  ${file}`);
      }
    }
    // With browser source maps in the build: what the board page's bytes are made of.
    const groups = attributeScripts(
      path.join(root, distDir),
      boardJs.files.map(([file]) => file),
    );
    if (!groups.has('(no source map)')) {
      console.log('board page JS by package or source file (gzip, estimated from source maps):');
      for (const [group, bytes] of [...groups]
        .sort((a, b) => b[1] - a[1])
        .slice(0, Number(process.env.BENCH_PHONE_TOP ?? 40))) {
        console.log(`  ${(bytes / 1024).toFixed(1).padStart(6)} KB  ${group}`);
      }
    }
  }
} finally {
  await browser.close();
  child.kill('SIGTERM');
}
