// The one API client against a real HTTP server on a free port (node:http): headers sent, JSON
// both ways, the server's error shape, Retry-After, an unreachable server, a stalled one, an abort.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiRequestError,
  TIMEOUT_MESSAGE,
  UNREACHABLE_MESSAGE,
  apiRequest,
  apiResponse,
} from './apiClient';

interface Seen {
  method: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let server: http.Server;
let base: string;
const seen: Seen[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', headers: req.headers, body });
      const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(value));
      };
      switch (req.url) {
        case '/echo':
          return json(200, {
            method: req.method,
            body: body ? (JSON.parse(body) as unknown) : null,
          });
        case '/refused':
          return json(400, { error: 'Title is too long.', field: 'title', code: 'invalidRequest' });
        case '/refused-change':
          return json(403, { error: 'Locked by Maria.', code: 'refused', refusal: 'locked' });
        case '/newer-code':
          return json(400, { error: 'Something new.', code: 'fromTheFuture' });
        case '/limited':
          return json(429, { error: 'Too many requests.' }, { 'retry-after': '7' });
        case '/plain':
          res.writeHead(502, { 'content-type': 'text/plain' });
          return res.end('bad gateway');
        case '/missing':
          return json(404, { error: 'not found' });
        case '/stall':
          return; // never answers
        case '/slow-body':
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.write('{"partial":'); // headers, then nothing
      }
      json(500, { error: 'internal error' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const last = () => seen[seen.length - 1]!;

async function failure(p: Promise<unknown>): Promise<ApiRequestError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiRequestError);
  return err as ApiRequestError;
}

describe('apiRequest', () => {
  it('sends a GET with the bearer token and no content type, and returns the JSON', async () => {
    const body = await apiRequest(`${base}/echo`, { token: 'tok-1' });
    expect(body).toEqual({ method: 'GET', body: null });
    expect(last().headers.authorization).toBe('Bearer tok-1');
    expect(last().headers['content-type']).toBeUndefined();
  });

  it('sends a body as JSON with its content type; no token, no authorization', async () => {
    const body = await apiRequest(`${base}/echo`, { method: 'POST', body: { title: 'T' } });
    expect(body).toEqual({ method: 'POST', body: { title: 'T' } });
    expect(last().headers['content-type']).toBe('application/json');
    expect(last().headers.authorization).toBeUndefined();
  });

  it("surfaces the server's status, error text and field", async () => {
    const err = await failure(apiRequest(`${base}/refused`, { method: 'POST', body: {} }));
    expect([err.status, err.message, err.field, err.retryAfterMs, err.code]).toEqual([
      400,
      'Title is too long.',
      'title',
      null,
      'invalidRequest',
    ]);
  });

  it("reads a refused change's rule, and leaves out a code this build does not know", async () => {
    const refused = await failure(apiRequest(`${base}/refused-change`));
    expect([refused.code, refused.refusal]).toEqual(['refused', 'locked']);
    const newer = await failure(apiRequest(`${base}/newer-code`));
    expect([newer.code, newer.message]).toEqual([null, 'Something new.']);
  });

  it('reads Retry-After on a 429', async () => {
    const err = await failure(apiRequest(`${base}/limited`));
    // A 429 without a code (a proxy's) is still said as "too many requests".
    expect([err.status, err.message, err.retryAfterMs, err.code]).toEqual([
      429,
      'Too many requests.',
      7000,
      'rateLimited',
    ]);
  });

  it('keeps a generic message when the error body is not JSON', async () => {
    const err = await failure(apiRequest(`${base}/plain`));
    expect([err.status, err.message]).toEqual([502, 'The server answered 502.']);
  });

  it('reports an unreachable server as status 0', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const err = await failure(apiRequest(`http://127.0.0.1:${port}/echo`));
    expect([err.status, err.message, err.code]).toEqual([0, UNREACHABLE_MESSAGE, 'unreachable']);
  });

  it('gives up after the deadline, before headers and while reading the body', async () => {
    for (const path of ['/stall', '/slow-body']) {
      const started = Date.now();
      const err = await failure(apiRequest(`${base}${path}`, { timeoutMs: 300 }));
      expect([err.status, err.message, err.code]).toEqual([0, TIMEOUT_MESSAGE, 'timeout']);
      expect(Date.now() - started).toBeLessThan(5000);
    }
  });

  it("rethrows the caller's own abort as an abort, not as a server failure", async () => {
    const controller = new AbortController();
    const p = apiRequest(`${base}/stall`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const err = await p.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).not.toBeInstanceOf(ApiRequestError);
    expect((err as Error).name).toBe('AbortError');
  });
});

describe('apiResponse', () => {
  it('hands back a 404 as an answer rather than throwing', async () => {
    const res = await apiResponse(`${base}/missing`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'not found' });
  });
});
