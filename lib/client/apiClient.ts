/**
 * The one way the browser calls the HTTP API (server/http/api.ts): fetch without the HTTP cache,
 * the bearer token, a JSON body, a deadline, and one error shape for every failure. The typed
 * calls (`api.ts`, `history.ts`) build on it; nothing else in the browser calls fetch().
 */

import { isApiErrorCode, type ApiErrorCode } from '../protocol';

/** An API call failed; `status` is the HTTP status (0: the server could not be reached in time). */
export class ApiRequestError extends Error {
  override name = 'ApiRequestError';
  constructor(
    readonly status: number,
    /** The server's `error` text, or a sentence of ours when it sent none. */
    message: string,
    /** From `Retry-After` (429): when asking again may work. */
    readonly retryAfterMs: number | null = null,
    /** The server's `field` (which input a 400 is about), when it named one. */
    readonly field: string | null = null,
    /** What went wrong, for the reader's language (lib/i18n/apiErrors.ts); null: not said. */
    readonly code: ApiErrorCode | null = null,
    /** For `refused`: the board rule's kind. */
    readonly refusal: string | null = null,
  ) {
    super(message);
  }
}

export const UNREACHABLE_MESSAGE =
  'Could not reach the server. Check your connection and try again.';
export const TIMEOUT_MESSAGE =
  'The server took too long to answer. Check your connection and try again.';

/** Long enough for a slow phone network and a busy server; short enough that a form never hangs. */
export const API_TIMEOUT_MS = 30_000;

export interface ApiCall {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** A link token or participant credential, sent as `Authorization: Bearer`. */
  token?: string | null;
  /** Sent as JSON (with `content-type: application/json`); none: no body and no content type. */
  body?: unknown;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** The error an answer that is not 2xx stands for: the server's `ApiErrorBody` when it sent one. */
export async function errorFrom(res: Response): Promise<ApiRequestError> {
  let message = `The server answered ${res.status}.`;
  let field: string | null = null;
  let code: ApiErrorCode | null = null;
  let refusal: string | null = null;
  try {
    const body: unknown = await res.json();
    if (body && typeof body === 'object') {
      const said = body as { error?: unknown; field?: unknown; code?: unknown; refusal?: unknown };
      if (typeof said.error === 'string') message = said.error;
      if (typeof said.field === 'string') field = said.field;
      // A code this build does not know (a newer server) is left out: the text is shown then.
      if (isApiErrorCode(said.code)) code = said.code;
      if (typeof said.refusal === 'string') refusal = said.refusal;
    }
  } catch {
    // not JSON: keep the generic message
  }
  if (code === null && res.status === 429) code = 'rateLimited';
  const retryAfter = Number(res.headers.get('retry-after'));
  return new ApiRequestError(
    res.status,
    message,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : null,
    field,
    code,
    refusal,
  );
}

/**
 * Send a request and hand back the answer whatever its status (for callers that read 404 or 401
 * as an answer, like `lookupBoard`). Throws `ApiRequestError` (status 0) when the server cannot be
 * reached or does not answer before the deadline; the caller's own abort is rethrown as is.
 */
export async function apiResponse(path: string, call: ApiCall = {}): Promise<Response> {
  const { method, token, body, signal, timeoutMs = API_TIMEOUT_MS } = call;
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  // One controller for both the caller's signal and the deadline (AbortSignal.any is too new
  // for some phones still in use).
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = () => controller.abort();
  if (signal?.aborted) controller.abort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      signal: controller.signal,
    });
    // Read the body inside the deadline too: a server can stall after its headers.
    const text = await res.text();
    return new Response(res.status === 204 || res.status === 304 ? null : text, {
      status: res.status,
      statusText: res.statusText,
      headers: res.headers,
    });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw timedOut
      ? new ApiRequestError(0, TIMEOUT_MESSAGE, null, null, 'timeout')
      : new ApiRequestError(0, UNREACHABLE_MESSAGE, null, null, 'unreachable');
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/** Send a request; the answer's JSON when it is 2xx, else the `ApiRequestError` it stands for. */
export async function apiRequest(path: string, call: ApiCall = {}): Promise<unknown> {
  const res = await apiResponse(path, call);
  if (!res.ok) throw await errorFrom(res);
  return res.json();
}
