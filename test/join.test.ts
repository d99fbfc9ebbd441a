/**
 * Joining by code at a real venue (many people behind one address) while guessing codes stays
 * throttled: only wrong codes count, per address, per code and overall (server/http/rateLimits.ts);
 * X-Forwarded-For only behind TRUST_PROXY; the budgets shared by instances through Redis.
 * Addresses other than 127.0.0.1 are simulated through X-Forwarded-For on a TRUST_PROXY=1 server.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { JOIN_CODE_ALPHABET } from '../server/auth/joinCodes';
import { JOIN_CODE_LENGTH } from '../lib/protocol';
import { JOIN_BUDGETS } from '../server/http/rateLimits';
import { createBoard, startServer, type TestServer } from './helpers';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

let servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers) await s.close();
  servers = [];
});

async function server(env: Record<string, string> = {}, rateLimitKeyPrefix?: string) {
  const s = await startServer(env, undefined, { rateLimitKeyPrefix });
  servers.push(s);
  return s;
}

function join(s: TestServer, code: string, forwardedFor?: string) {
  return fetch(`${s.http}/api/join`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
    },
    body: JSON.stringify({ code }),
  });
}

/** Codes that match no board (~30 bits each: a collision with a test board is negligible). */
function wrongCode(): string {
  let code = '';
  for (let i = 0; i < JOIN_CODE_LENGTH; i++)
    code += JOIN_CODE_ALPHABET[Math.floor(Math.random() * JOIN_CODE_ALPHABET.length)];
  return code;
}

async function expectThrottled(res: Response, message: RegExp): Promise<void> {
  expect(res.status).toBe(429);
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  const body = (await res.json()) as { error: string; code: string; retryAfterSeconds: number };
  expect(body.error).toMatch(message);
  expect(body.code).toBe('rateLimited');
  expect(body.retryAfterSeconds).toBe(Number(res.headers.get('retry-after')));
}

const perAddress = JOIN_BUDGETS.failuresPerAddress.points;

describe('joining by code', () => {
  it('300 people behind one address join within a minute', async () => {
    const s = await server();
    const board = await createBoard(s.http, { title: 'Venue' });
    const started = Date.now();
    const statuses: number[] = [];
    // 30 phones at a time, as a room scanning the QR code does.
    for (let wave = 0; wave < 10; wave++) {
      const answers = await Promise.all(Array.from({ length: 30 }, () => join(s, board.joinCode)));
      statuses.push(...answers.map((r) => r.status));
    }
    const seconds = (Date.now() - started) / 1000;
    expect(statuses.filter((st) => st === 200)).toHaveLength(300);
    expect(seconds).toBeLessThan(20);
  });

  it('wrong codes from one address are throttled after the budget; the room still gets in', async () => {
    const s = await server({ TRUST_PROXY: '1' });
    const venue = await createBoard(s.http, { title: 'Venue' });
    const other = await createBoard(s.http, { title: 'Somebody else’s' });
    const wifi = '198.51.100.20';
    expect((await join(s, venue.joinCode, wifi)).status).toBe(200);

    for (let i = 0; i < perAddress; i++)
      expect((await join(s, wrongCode(), wifi)).status).toBe(404);
    await expectThrottled(await join(s, wrongCode(), wifi), /wrong codes.*from your network/);

    // The venue's code keeps working for everyone behind the address...
    for (let i = 0; i < 5; i++) expect((await join(s, venue.joinCode, wifi)).status).toBe(200);
    // ...but a right code for a board nobody there joined is refused like a wrong one: the
    // throttled address learns nothing from its guesses.
    await expectThrottled(await join(s, other.joinCode, wifi), /wrong codes.*from your network/);
    // Other addresses are not affected.
    const elsewhere = await join(s, wrongCode(), '198.51.100.21');
    expect([elsewhere.status, ((await elsewhere.json()) as { code: string }).code]).toEqual([
      404,
      'unknownJoinCode',
    ]);
    expect((await join(s, other.joinCode, '198.51.100.21')).status).toBe(200);
  });

  it('one wrong code tried again and again is refused, wherever it comes from', async () => {
    const s = await server({ TRUST_PROXY: '1' });
    const stale = wrongCode();
    const { points } = JOIN_BUDGETS.failuresPerCode;
    for (let i = 0; i < points; i++)
      expect((await join(s, stale, `203.0.113.${i + 1}`)).status).toBe(404);
    await expectThrottled(await join(s, stale, '203.0.113.200'), new RegExp(`code ${stale}`));
    expect((await join(s, wrongCode(), '203.0.113.201')).status).toBe(404);
  });

  it('guessing across many codes from many addresses is limited overall', async () => {
    const s = await server({ TRUST_PROXY: '1' });
    const board = await createBoard(s.http, { title: 'Live workshop' });
    const room = '192.0.2.200';
    expect((await join(s, board.joinCode, room)).status).toBe(200);

    // A botnet: every address stays under its own budget, together they spend the overall one.
    const { points } = JOIN_BUDGETS.failuresOverall;
    let failures = 0;
    for (let bot = 0; failures < points; bot++) {
      const tries = Math.min(perAddress - 1, points - failures);
      const answers = await Promise.all(
        Array.from({ length: tries }, () => join(s, wrongCode(), `192.0.2.${bot + 1}`)),
      );
      expect(answers.map((r) => r.status)).toEqual(answers.map(() => 404));
      failures += tries;
    }
    await expectThrottled(await join(s, wrongCode(), '192.0.2.250'), /right now/);
    await expectThrottled(await join(s, board.joinCode, '192.0.2.251'), /right now/);
    // The room that already joined keeps joining.
    expect((await join(s, board.joinCode, room)).status).toBe(200);
  });

  it('X-Forwarded-For is ignored without TRUST_PROXY', async () => {
    const s = await server();
    for (let i = 0; i < perAddress; i++)
      expect((await join(s, wrongCode(), `10.0.${i}.1`)).status).toBe(404);
    // Every request came from 127.0.0.1, whatever the header said.
    await expectThrottled(await join(s, wrongCode(), '10.9.9.9'), /from your network/);
  });

  it('with TRUST_PROXY=1 the right-most X-Forwarded-For entry is the client; entries a client adds are not', async () => {
    const s = await server({ TRUST_PROXY: '1' });
    for (let i = 0; i < perAddress; i++)
      expect((await join(s, wrongCode(), `6.6.6.${i}, 198.51.100.7`)).status).toBe(404);
    await expectThrottled(await join(s, wrongCode(), '1.1.1.1, 198.51.100.7'), /from your network/);
    expect((await join(s, wrongCode(), '198.51.100.8')).status).toBe(404);
    // Behind two proxies, the second entry from the right is the client.
    const two = await server({ TRUST_PROXY: '2' });
    for (let i = 0; i < perAddress; i++)
      expect((await join(two, wrongCode(), `198.51.100.9, 10.0.0.${i}`)).status).toBe(404);
    await expectThrottled(await join(two, wrongCode(), '198.51.100.9, 10.0.0.99'), /network/);
  });

  it('two instances on one Redis share the budgets: failures on A count on B', async () => {
    const prefix = `sb:test:${randomUUID()}`;
    const env = { REDIS_URL, TOKEN_SECRET: 'x'.repeat(40) };
    const a = await server(env, prefix);
    const b = await server(env, prefix);
    const half = Math.floor(perAddress / 2);
    for (let i = 0; i < half; i++) expect((await join(a, wrongCode())).status).toBe(404);
    for (let i = half; i < perAddress; i++) expect((await join(b, wrongCode())).status).toBe(404);
    await expectThrottled(await join(a, wrongCode()), /from your network/);
    await expectThrottled(await join(b, wrongCode()), /from your network/);
    // An instance with its own budgets (another prefix) is not affected.
    const c = await server(env);
    expect((await join(c, wrongCode())).status).toBe(404);
  });
});
