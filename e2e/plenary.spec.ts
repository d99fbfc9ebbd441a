// A plenary in the browser (issue 12): a moderator and one participant in Chromium, and 300
// headless participants on the same board, each holding both connections a browser holds (a
// stock y-websocket client and a socket.io session with its own credential, fetched through the
// API by link as a phone would). They are driven by bench:scale's load generator in its own
// process. The room votes while the moderator works the page; the moderator sees every vote and
// a "+N" for the crowd, and the page's interaction latencies are printed (Event Timing).
import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { createBoard, openBoard, rememberIdentity } from './helpers';
import type { Job, MemberSpec, Result } from '../bench/scaleWorker';

const CROWD = 300;

/** The moderator page's slow interactions, by interaction id: the slowest event of each. */
type SlowInteractions = Record<number, { ms: number; what: string }>;

/** The token in a role link (`/b/<id>#t=<token>`). */
const tokenOf = (link: string) => new URL(link).hash.replace(/^#t=/, '');

test('300 headless participants and a phone vote while the moderator works the page', async ({
  browser,
  request,
  baseURL,
}) => {
  test.setTimeout(150_000);
  const board = await createBoard(request, 'Plenary');
  const http = baseURL!;

  // The crowd: 5% editors (a few raise hands), everyone votes and sends presence now and then.
  const members: MemberSpec[] = Array.from({ length: CROWD }, (_, i) => ({
    board: 0,
    role: i % 20 === 0 ? 'editor' : 'viewer',
    observe: false,
    presenceHz: 0.5,
    vote: true,
    hand: i % 100 === 0,
    reactHz: 0,
    join: 'link',
    joinAtMs: i * 10, // 100 a second
  }));
  const job: Job = {
    http,
    ws: http.replace(/^http/, 'ws') + '/yjs',
    secret: 'unused-credentials-come-from-the-api'.padEnd(48, 'x'),
    boards: [
      {
        id: board.id,
        tokens: { editor: tokenOf(board.links.editor), viewer: tokenOf(board.links.viewer) },
        joinCode: board.joinCode,
      },
    ],
    members,
    runMs: 8_000,
    warmupMs: 0,
    pollWindowMs: 8_000,
    writersByBoard: {},
  };
  const worker: ChildProcess = fork(path.join(process.cwd(), 'bench', 'scaleWorker.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const message = (key: string) =>
    new Promise<unknown>((resolve, reject) => {
      worker.on('message', (m: Record<string, unknown>) => {
        if (typeof m.error === 'string') reject(new Error(m.error));
        else if (key in m) resolve(m[key]);
      });
    });
  const ready = message('ready');
  const measured = message('measured');
  const result = message('result') as Promise<Result>;
  try {
    worker.send(job);

    const modContext = await browser.newContext();
    await rememberIdentity(modContext, 'Moderator', '#0f766e');
    const mod = await modContext.newPage();
    await openBoard(mod, board.links.moderator);
    const phoneContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
    await rememberIdentity(phoneContext, 'Phone', '#b45309');
    const phone = await phoneContext.newPage();
    await openBoard(phone, board.links.editor);

    await ready;
    // Everyone is in: the moderator sees a count for the crowd, not 302 avatars.
    const presence = mod.getByTestId('presence');
    await expect(presence).toHaveAttribute('aria-label', `${CROWD + 2} people on this board`, {
      timeout: 20_000,
    });
    await expect(presence.getByTestId('presence-avatar')).toHaveCount(6);
    await expect(presence).toContainText(`+${CROWD + 2 - 6}`);
    // The phone comes back (a reload) after the crowd: the roster names only the oldest few, so
    // not the phone any more, yet its page shows the phone first and counts the whole room.
    await phone.reload();
    const phonePresence = phone.getByTestId('presence');
    await expect(phonePresence).toHaveAttribute('aria-label', `${CROWD + 2} people on this board`, {
      timeout: 20_000,
    });
    await expect(phonePresence.getByTestId('presence-avatar').first()).toHaveAttribute(
      'aria-label',
      'Phone (you)',
    );
    worker.send({ go: Date.now() + 200 });

    // Interaction latency on the moderator's page from here on (Event Timing, >= 16 ms kept).
    await mod.evaluate(() => {
      // Per interaction (a key press's keydown and keyup share one), its slowest event: as INP.
      const w = window as unknown as { slowInteractions: SlowInteractions };
      w.slowInteractions = {};
      // What each event was on, by its time stamp (an Event Timing entry's startTime): by the
      // time an entry is reported its target may have left the page (a dialog's button).
      const targets = new Map<number, string>();
      for (const type of ['pointerdown', 'pointerup', 'click', 'keydown', 'keyup'])
        document.addEventListener(
          type,
          (event) => {
            const el = event.target instanceof Element ? event.target : null;
            targets.set(
              event.timeStamp,
              el?.closest('[data-testid]')?.getAttribute('data-testid') ?? el?.tagName ?? '?',
            );
          },
          { capture: true },
        );
      new PerformanceObserver((list) => {
        for (const e of list.getEntries() as (PerformanceEntry & { interactionId?: number })[]) {
          if (!e.interactionId) continue;
          const seen = w.slowInteractions[e.interactionId];
          if (seen && seen.ms >= e.duration) continue;
          const t = e as PerformanceEventTiming;
          // Waiting for the page's main thread, its own handlers, then until the next frame.
          const split = [
            t.processingStart - t.startTime,
            t.processingEnd - t.processingStart,
            t.startTime + t.duration - t.processingEnd,
          ].map((ms) => ms.toFixed(0));
          const what = `${e.name} on ${targets.get(e.startTime) ?? '?'}: input delay ${split[0]}, handlers ${split[1]}, to the next frame ${split[2]} ms`;
          w.slowInteractions[e.interactionId] = { ms: e.duration, what };
        }
      }).observe({ type: 'event', durationThreshold: 16 } as PerformanceObserverInit);
    });

    await mod.getByTestId('poll-open').click();
    await mod.getByTestId('poll-open-submit').click();
    await expect(phone.getByTestId('poll-card')).toBeVisible();
    await phone.getByTestId('poll-option-1').click();

    // While the room votes, the moderator moves a lever with the keyboard.
    const slider = mod.getByTestId('slider-conversionRate');
    await slider.focus();
    const presses = 20;
    for (let i = 0; i < presses; i++) {
      await mod.keyboard.press(i % 2 ? 'ArrowLeft' : 'ArrowRight');
      await mod.waitForTimeout(200);
    }

    // Every vote reaches the moderator, exactly.
    await expect(mod.getByTestId('poll-voters')).toHaveText(
      `${CROWD + 1} of ${CROWD + 2} answered`,
      { timeout: 20_000 },
    );
    // The phone sees the same count, not the results (hidden until the poll closes).
    await expect(phone.getByTestId('poll-voters')).toHaveText(
      `${CROWD + 1} of ${CROWD + 2} answered`,
    );
    await expect(phone.getByTestId('poll-count-1')).toHaveCount(0);
    // The moderator's lever moves reached the phone (the room saw the last value).
    const moderatorValue = await mod.getByTestId('input-conversionRate').inputValue();
    await expect(phone.getByTestId('input-conversionRate')).toHaveValue(moderatorValue);

    const slowest = Object.values(
      await mod.evaluate(
        () => (window as unknown as { slowInteractions: SlowInteractions }).slowInteractions,
      ),
    ).sort((a, b) => b.ms - a.ms);
    // Interactions under 16 ms are not reported: the 95th percentile is the slow entry 5% from
    // the top, or "< 16 ms" when fewer than 5% were slow. Printed, not asserted (timings on a
    // shared machine are figures, not pass/fail).
    const interactions = presses + 2; // the key presses and two poll clicks (the phone's page is not observed)
    const sorted = slowest.map((i) => i.ms);
    const p95Index = Math.floor(interactions * 0.05);
    const p95 = p95Index < sorted.length ? `${sorted[p95Index]!.toFixed(0)} ms` : '< 16 ms';
    console.log(
      `plenary ${CROWD}: moderator interaction p95 ${p95} (target < 100 ms; ${sorted.length} of ${interactions} interactions >= 16 ms, slowest ${sorted[0]?.toFixed(0) ?? '-'} ms, ${slowest[0]?.what ?? '-'}; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores)`,
    );

    await measured;
    worker.send('finish');
    const r = await result;
    expect(r.votesAcked).toBe(CROWD);
    expect(r.disconnects).toBe(0);
    await modContext.close();
    await phoneContext.close();
  } finally {
    worker.kill();
  }
});
