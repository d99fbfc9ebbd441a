/**
 * Shared helpers for the Playwright specs: boards are created through the API (fast), and each
 * browser context can be given a remembered display name so the first-visit prompt is skipped.
 */
import { expect, type APIRequestContext, type BrowserContext, type Page } from '@playwright/test';
import { defaultAssumptions, kpis, project, type Assumptions } from '../lib/model';
import { formatUsd } from '../lib/format';

export interface TestBoard {
  id: string;
  title: string;
  path: string;
  /** The moderator's token. */
  token: string;
  links: { moderator: string; editor: string; viewer: string };
  joinCode: string;
}

/**
 * A new board. Its baseline is open for the room unless `baselineOpen` is false: most specs are
 * about editing, not about the facilitator's rules (e2e/facilitation.spec.ts).
 */
export async function createBoard(
  request: APIRequestContext,
  title: string,
  options: { baselineOpen?: boolean } = {},
): Promise<TestBoard> {
  const res = await request.post('/api/boards', {
    data: { title, baselineOpen: options.baselineOpen ?? true },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as TestBoard;
}

/** Make this context remember a display name, as if the person had chosen it before. */
export async function rememberIdentity(
  context: BrowserContext,
  name: string,
  color: string,
): Promise<void> {
  await context.addInitScript(
    ([n, c]) =>
      window.localStorage.setItem('scenario-board:identity', JSON.stringify({ name: n, color: c })),
    [name, color] as const,
  );
}

/** Open a board link and wait until it is live (synced with the server). */
export async function openBoard(page: Page, link: string): Promise<void> {
  await page.goto(link);
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('kpi-total-2028')).toBeVisible();
}

/** The 2028 total and horizon total the UI should show for these assumptions, formatted. */
export function expectedTotals(changes: Partial<Assumptions> = {}): {
  total2028: string;
  horizon: string;
} {
  const k = kpis(project({ ...defaultAssumptions(), ...changes }));
  return { total2028: formatUsd(k.total2028 ?? Number.NaN), horizon: formatUsd(k.totalHorizon) };
}

/** Type a value into an assumption's number box and commit it (Enter). */
export async function typeValue(page: Page, id: string, value: string): Promise<void> {
  const input = page.getByTestId(`input-${id}`);
  await input.fill(value);
  await input.press('Enter');
}
