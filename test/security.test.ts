/**
 * HTTP hardening of the API: security headers, role tokens only in the Authorization header,
 * short-lived download tokens, the board-creation budget and formula-safe CSV exports.
 * (Pages and their Content-Security-Policy need the Next build: e2e/security.spec.ts.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createBoard, startServer, type CreatedBoard, type TestServer } from './helpers';

let servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers) await s.close();
  servers = [];
});

async function server(env: Record<string, string> = {}) {
  const s = await startServer(env);
  servers.push(s);
  return s;
}

function boardApi(s: TestServer, board: CreatedBoard) {
  return (path: string, init: RequestInit = {}, token: string | null = board.token) =>
    fetch(`${s.http}/api/boards/${board.id}${path}`, {
      ...init,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(init.body ? { 'content-type': 'application/json' } : {}),
      },
    });
}

async function errorOf(res: Response): Promise<string> {
  return ((await res.json()) as { error: string }).error;
}

function expectBaseHeaders(res: Response): void {
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  expect(res.headers.get('x-powered-by')).toBeNull();
}

describe('security headers', () => {
  it('every API answer carries nosniff, no-referrer and a deny-all policy, and no X-Powered-By', async () => {
    const s = await server();
    const board = await createBoard(s.http);
    const api = boardApi(s, board);
    const answers = [
      await fetch(`${s.http}/api/health`),
      await fetch(`${s.http}/api/boards`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Headers' }),
      }),
      await api('', {}, null), // 401
      await api('/export.csv'),
      await fetch(`${s.http}/api/nothing-here`), // 404
      await fetch(`${s.http}/not-an-api-path`), // no Next in tests: the server's own 404
    ];
    for (const res of answers) {
      expectBaseHeaders(res);
      if (new URL(res.url).pathname.startsWith('/api/'))
        expect(res.headers.get('content-security-policy')).toBe(
          "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
        );
    }
    expect(answers.map((r) => r.status)).toEqual([200, 201, 401, 200, 404, 404]);
  });

  it('socket.io long-polling answers carry them too', async () => {
    const s = await server();
    const res = await fetch(`${s.http}/socket.io/?EIO=4&transport=polling`);
    expect(res.status).toBe(200);
    expectBaseHeaders(res);
  });
});

describe('role tokens and download tokens', () => {
  it('a role token in the query string is refused with a message that says where it goes', async () => {
    const s = await server();
    const board = await createBoard(s.http);
    for (const path of ['', '/export.csv', '/export.json', '/log', '/links']) {
      const res = await fetch(
        `${s.http}/api/boards/${board.id}${path}?token=${encodeURIComponent(board.token)}`,
      );
      expect(res.status).toBe(401);
      expect(await errorOf(res)).toMatch(/Authorization: Bearer/);
    }
    // The same token in the header works.
    expect((await boardApi(s, board)('/links')).status).toBe(200);
  });

  it('a download token (any role) opens exports and versions for about a minute, and nothing else', async () => {
    const s = await server();
    const board = await createBoard(s.http, { title: 'Downloads' });
    const api = boardApi(s, board);
    const version = (await (
      await api('/versions', { method: 'POST', body: JSON.stringify({ name: 'v1' }) })
    ).json()) as { id: string };

    const issued = await api('/downloads', { method: 'POST' }, board.tokens.viewer);
    expect(issued.status).toBe(201);
    const { token, expiresAt } = (await issued.json()) as { token: string; expiresAt: number };
    expect(expiresAt - Date.now()).toBeGreaterThan(50_000);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(60_000);

    const get = (path: string, dl = token) =>
      fetch(`${s.http}/api/boards/${board.id}${path}${path.includes('?') ? '&' : '?'}dl=${dl}`);
    const csv = await get('/export.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toMatch(/attachment/);
    expect(await csv.text()).toContain('"Baseline"');
    expect((await get('/export.json')).status).toBe(200);
    const yjs = await get(`/versions/${version.id}?format=yjs`);
    expect(yjs.status).toBe(200);
    expect(yjs.headers.get('content-type')).toBe('application/octet-stream');

    // Not on other routes, not as a bearer token, not to mint more download tokens.
    for (const path of ['', '/log', '/projection']) {
      const res = await get(path);
      expect(res.status).toBe(401);
      expect(await errorOf(res)).toMatch(/only opens downloads/);
    }
    const asBearer = await api('', {}, token);
    expect(asBearer.status).toBe(401);
    expect(await errorOf(asBearer)).toMatch(/download token only opens downloads/);
    expect((await api('/export.csv', {}, token)).status).toBe(401);
    expect((await api('/downloads', { method: 'POST' }, token)).status).toBe(401);

    // Not for another board.
    const other = await createBoard(s.http, { title: 'Other' });
    const elsewhere = await fetch(`${s.http}/api/boards/${other.id}/export.csv?dl=${token}`);
    expect(elsewhere.status).toBe(403);

    // A role token is not a download token.
    const roleAsDl = await get('/export.csv', board.tokens.viewer);
    expect(roleAsDl.status).toBe(401);
    expect(await errorOf(roleAsDl)).toMatch(/role token cannot open a download/);
  });

  it('a download token expires, and rotating the links ends it at once', async () => {
    const s = await server();
    const board = await createBoard(s.http, { title: 'Expiry' });
    const api = boardApi(s, board);
    const verified = await s.server.tokens.verify(board.tokens.viewer);
    if (!verified.ok) throw new Error('the viewer token should verify');
    const expired = await s.server.tokens.signDownload(verified.claims, -1);
    const stale = await fetch(`${s.http}/api/boards/${board.id}/export.csv?dl=${expired}`);
    expect(stale.status).toBe(401);
    expect(await errorOf(stale)).toMatch(/expired: start the download again/);

    const { token } = (await (await api('/downloads', { method: 'POST' })).json()) as {
      token: string;
    };
    expect((await fetch(`${s.http}/api/boards/${board.id}/export.csv?dl=${token}`)).status).toBe(
      200,
    );
    expect((await api('/rotate', { method: 'POST' })).status).toBe(200);
    const rotated = await fetch(`${s.http}/api/boards/${board.id}/export.csv?dl=${token}`);
    expect(rotated.status).toBe(401);
    expect(await errorOf(rotated)).toMatch(/replaced by the moderator/);
  });
});

describe('board creation budget', () => {
  it('is per address: over BOARDS_PER_HOUR gets 429 with Retry-After and a JSON error', async () => {
    const s = await server({ BOARDS_PER_HOUR: '3', TRUST_PROXY: '1' });
    const create = (address: string) =>
      fetch(`${s.http}/api/boards`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
        body: JSON.stringify({ title: 'Flood' }),
      });
    for (let i = 0; i < 3; i++) expect((await create('198.51.100.50')).status).toBe(201);
    const refused = await create('198.51.100.50');
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(3000);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(refused.headers.get('content-type')).toMatch(/application\/json/);
    expect(await errorOf(refused)).toMatch(/Too many boards were created from your network/);
    expect((await create('198.51.100.51')).status).toBe(201);
  });
});

describe('CSV export', () => {
  it('a scenario named like a formula, with quotes, commas and a newline, comes out inert on one row per year', async () => {
    const s = await server();
    const board = await createBoard(s.http, { title: 'CSV' });
    const api = boardApi(s, board);
    const name = '=HYPERLINK("http://evil.example","x"), "q"\n+1';
    const imported = await api('/scenarios', {
      method: 'POST',
      body: JSON.stringify({ name, assumptions: {} }),
    });
    expect(imported.status).toBe(201);
    const { scenarioIds } = (await imported.json()) as { scenarioIds: string[] };
    const lines = (await (await api('/export.csv')).text()).trimEnd().split('\r\n');
    // The memo-ready CSV: the scenario's name first, its id last.
    const rows = lines.filter((l) => l.endsWith(`,"${scenarioIds[0]}"`));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows)
      expect(row).toMatch(
        new RegExp(
          `^"'=HYPERLINK\\(""http://evil.example"",""x""\\), ""q"" \\+1",\\d{4},\\d+,.*,"${scenarioIds[0]}"$`,
        ),
      );
    expect(lines.every((l) => l.startsWith('"'))).toBe(true);
  });
});
