/**
 * Endpoints for operators and load balancers (beside the app's own /api/health):
 *
 *   GET /healthz   200 while the process runs (liveness)
 *   GET /readyz    200 when storage answers and the server is not shutting down; else 503 with
 *                  {"ready": false, "reason": "..."}. A Redis that does not answer is reported
 *                  ({"ready": true, "degraded": "redis unreachable"}) but does not fail it.
 *   GET /metrics   Prometheus text; 404 with METRICS=off; with METRICS_TOKEN, 401 unless
 *                  `Authorization: Bearer <token>`
 */
import type http from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { sendJson } from './api';
import type { Metrics } from '../metrics';

export interface OpsOptions {
  metrics: Pick<Metrics, 'scrape'>;
  metricsToken: string | undefined;
  /** Null when ready, else why not (one short sentence). */
  notReadyReason(): Promise<string | null>;
  /** Null when every optional dependency answers, else which does not (still ready). */
  degradedReason?(): Promise<string | null>;
}

/** Returns a handler that answers the ops endpoints and returns false for anything else. */
export function createOpsHandler(options: OpsOptions) {
  const expected = options.metricsToken ? Buffer.from(`Bearer ${options.metricsToken}`) : null;
  const authorized = (req: http.IncomingMessage) => {
    if (!expected) return true;
    const given = Buffer.from(req.headers.authorization ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  return async (req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (pathname !== '/healthz' && pathname !== '/readyz' && pathname !== '/metrics') return false;
    res.setHeader('Cache-Control', 'no-store');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      sendJson(res, 405, { error: 'method not allowed' });
      return true;
    }
    if (pathname === '/healthz') {
      sendJson(res, 200, { live: true });
      return true;
    }
    if (pathname === '/readyz') {
      const reason = await options.notReadyReason();
      if (reason) sendJson(res, 503, { ready: false, reason });
      else {
        const degraded = (await options.degradedReason?.()) ?? null;
        sendJson(res, 200, degraded ? { ready: true, degraded } : { ready: true });
      }
      return true;
    }
    const scrape = options.metrics.scrape();
    if (!scrape) {
      sendJson(res, 404, { error: 'not found' });
      return true;
    }
    if (!authorized(req)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      sendJson(res, 401, { error: 'metrics need Authorization: Bearer <METRICS_TOKEN>' });
      return true;
    }
    const { contentType, body } = await scrape;
    res.writeHead(200, { 'Content-Type': contentType });
    res.end(body);
    return true;
  };
}
