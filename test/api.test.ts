/** The HTTP API against a real server on port 0. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAssumptions, project } from '../lib/model';
import { startServer, type TestServer } from './helpers';

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(async () => {
  await s.close();
});

const auth = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

const post = (body: unknown, contentType = 'application/json') =>
  fetch(`${s.http}/api/boards`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('POST /api/boards', () => {
  it('creates a board with defaults and returns its id and URL', async () => {
    const res = await post({ title: 'Workshop' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string; url: string; path: string; title: string };
    expect(body.id).toMatch(/^[a-z0-9]{12}$/);
    expect(body.path).toBe(`/b/${body.id}`);
    expect(body.url).toBe(`${s.http}/b/${body.id}`);
    expect(body.title).toBe('Workshop');
  });

  it('takes assumptions in the units the UI shows', async () => {
    const res = await post({
      title: 'Bold',
      assumptions: { conversionRate: 5, trainingOutput: 200000 },
    });
    expect(res.status).toBe(201);
    const { id, token } = (await res.json()) as { id: string; token: string };
    const projection = (await (
      await fetch(`${s.http}/api/boards/${id}/projection`, auth(token))
    ).json()) as {
      scenarios: { assumptions: Record<string, number> }[];
    };
    expect(projection.scenarios[0]!.assumptions.conversionRate).toBe(5);
    expect(projection.scenarios[0]!.assumptions.trainingOutput).toBe(200000);
  });

  it.each([
    [{ title: 'x', assumptions: { notAThing: 1 } }, 'assumptions.notAThing'],
    [{ title: 'x', assumptions: { constructor: 1 } }, 'assumptions.constructor'],
    [{ title: 'x', assumptions: [] }, 'assumptions'],
    [{ title: 'x', assumptions: { conversionRate: 51 } }, 'assumptions.conversionRate'],
    [{ title: 'x', assumptions: { conversionRate: -1 } }, 'assumptions.conversionRate'],
    [{ title: 'x', assumptions: { trainingOutput: 'lots' } }, 'assumptions.trainingOutput'],
    [{ title: 'x', assumptions: { trainingOutput: null } }, 'assumptions.trainingOutput'],
    [{ title: '' }, 'title'],
    [{}, 'title'],
    [{ title: 'x'.repeat(500) }, 'title'],
  ])('refuses %j with 400 naming %s', async (body, field) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: string; field: string; code: string };
    expect(json.field).toBe(field);
    expect(json.code).toBe('invalidRequest');
    expect(json.error.length).toBeGreaterThan(3);
  });

  it('refuses malformed JSON, a wrong content type and an oversized body', async () => {
    const answers = [
      await post('{"title": "x"'),
      await post('title=x', 'application/x-www-form-urlencoded'),
      await post({ title: 'x', pad: 'y'.repeat(100_000) }),
    ];
    const seen = await Promise.all(
      answers.map(async (r) => [r.status, ((await r.json()) as { code: string }).code]),
    );
    expect(seen).toEqual([
      [400, 'notJson'],
      [415, 'notJson'],
      [413, 'bodyTooLarge'],
    ]);
  });
});

describe('GET /api/boards/<id>', () => {
  it('returns metadata, and 404 JSON for an unknown id', async () => {
    const { id, token } = (await (await post({ title: 'Meta' })).json()) as {
      id: string;
      token: string;
    };
    const res = await fetch(`${s.http}/api/boards/${id}`, auth(token));
    expect(res.status).toBe(200);
    const meta = (await res.json()) as {
      title: string;
      modelId: string;
      scenarios: { name: string }[];
    };
    expect(meta.title).toBe('Meta');
    expect(meta.modelId).toBe('pk-ict-exports');
    expect(meta.scenarios.map((x) => x.name)).toEqual(['Baseline']);
    for (const path of [
      '/api/boards/unknown1234',
      '/api/boards/unknown1234/projection',
      '/api/boards/Bad!Id',
    ]) {
      const missing = await fetch(`${s.http}${path}`, auth(token));
      expect(missing.status).toBe(404);
      const body = (await missing.json()) as { error: string; code: string };
      expect(body.error).toMatch(/no board/);
      expect(body.code).toBe('unknownBoard');
    }
  });

  it('projection is the model’s, in US dollars, every segment every year', async () => {
    const { id, token } = (await (await post({ title: 'Numbers' })).json()) as {
      id: string;
      token: string;
    };
    const res = await fetch(`${s.http}/api/boards/${id}/projection`, auth(token));
    const body = (await res.json()) as {
      scenarios: { id: string; name: string; years: Record<string, number>[] }[];
    };
    const expected = project(defaultAssumptions()).years;
    const years = body.scenarios[0]!.years;
    expect(body.scenarios[0]!.name).toBe('Baseline');
    expect(years).toHaveLength(expected.length);
    expect(years[0]).toEqual({
      year: expected[0]!.year,
      total: expected[0]!.total,
      existing: expected[0]!.existing,
      services: expected[0]!.services,
      products: expected[0]!.products,
      freelance: expected[0]!.freelance,
      withoutProgramme: expected[0]!.withoutProgramme,
      trained: 0,
      // R22: every year says whether it is a reported actual; a board without actuals projects all.
      kind: 'projected',
    });
    expect(years[0]!.total).toBeCloseTo(2.6e9, -3);
  });

  it('answers unknown API routes and methods with JSON errors', async () => {
    const nothing = await fetch(`${s.http}/api/nothing`);
    expect([nothing.status, ((await nothing.json()) as { code: string }).code]).toEqual([
      404,
      'unknownRoute',
    ]);
    const list = await fetch(`${s.http}/api/boards`);
    expect([list.status, ((await list.json()) as { code: string }).code]).toEqual([
      405,
      'wrongMethod',
    ]);
  });

  it('says why a token does not open a board, as a code the browser can word', async () => {
    const created = async () =>
      (await (await post({ title: 'Codes' })).json()) as {
        id: string;
        token: string;
        tokens: { viewer: string };
      };
    const board = await created();
    const other = await created();
    const viewer = board.tokens.viewer;
    const codeOf = async (path: string, token?: string, init: RequestInit = {}) => {
      const res = await fetch(`${s.http}${path}`, {
        ...init,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...init.headers },
      });
      return [res.status, ((await res.json()) as { code: string }).code];
    };
    const forged = `${board.token.slice(0, -4)}AAAA`;
    expect(await codeOf(`/api/boards/${board.id}`)).toEqual([401, 'credentialMissing']);
    expect(await codeOf(`/api/boards/${board.id}`, forged)).toEqual([401, 'credentialInvalid']);
    expect(await codeOf(`/api/boards/${board.id}`, other.token)).toEqual([403, 'otherBoard']);
    expect(await codeOf(`/api/boards/${board.id}/links`, viewer)).toEqual([403, 'roleTooLow']);
    expect(await codeOf(`/api/boards/${board.id}?token=${board.token}`)).toEqual([
      401,
      'tokenInUrl',
    ]);
  });
});
