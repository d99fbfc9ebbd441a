/**
 * Security headers. The custom server puts the base headers on every response it sends (API,
 * pages, Next's static files, socket.io polling); pages get their Content-Security-Policy from
 * `proxy.ts`, which makes a nonce per request (Next adds it to its own scripts and styles).
 *
 * Dependency-free: `proxy.ts` imports this file inside Next's bundle.
 */
import type { ServerResponse } from 'node:http';

/** On every response. */
export const BASE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  // Browsers must believe Content-Type (a JSON body or a CSV is never run as a script or page).
  'x-content-type-options': 'nosniff',
  // Board URLs carry the role token in their #fragment and downloads a token in the query; no
  // URL of ours is ever sent to another site.
  'referrer-policy': 'no-referrer',
};

/** The API answers JSON and downloads: nothing in them may load anything or be framed. */
export const API_CONTENT_SECURITY_POLICY =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export function setBaseSecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(BASE_SECURITY_HEADERS)) res.setHeader(name, value);
  res.removeHeader('x-powered-by');
}

/** The embeddable chart (`/b/<id>/embed`), the one page other sites may frame. */
export function isEmbedPath(pathname: string): boolean {
  return /^\/b\/[^/]+\/embed\/?$/.test(pathname);
}

export interface PagePolicyOptions {
  /** A fresh random value per response. */
  nonce: string;
  /** The request's Host header, for the WebSocket origins (ignored unless it looks like a host). */
  host: string | null;
  /** `next dev`: React's debugging needs eval, and dev styles are injected without a nonce. */
  dev: boolean;
  /** Leave out frame-ancestors, so any site may frame the page (the embed page). */
  embeddable: boolean;
}

/** The Content-Security-Policy of a page. */
export function pageContentSecurityPolicy({
  nonce,
  host,
  dev,
  embeddable,
}: PagePolicyOptions): string {
  const safeHost =
    host && /^[a-z0-9.-]+(:\d+)?$|^\[[0-9a-f:.]+\](:\d+)?$/i.test(host) ? host : null;
  const directives = [
    "default-src 'self'",
    // Next's scripts carry the nonce; 'strict-dynamic' lets them load the page's chunks.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    // Stylesheets of ours and <style> elements carrying the nonce (dev: injected without one).
    // No 'unsafe-inline' in production: React and Recharts set inline styles through CSSOM
    // (element.style), which the policy does not govern, and no page renders a style="" attribute
    // on the server (e2e/security.spec.ts walks every page and fails on any violation).
    `style-src 'self' ${dev ? "'unsafe-inline'" : `'nonce-${nonce}'`}`,
    // QR codes are data: SVGs; the PNG export draws the chart from a blob: URL.
    "img-src 'self' data: blob:",
    "font-src 'self'",
    // The Yjs and socket.io WebSockets (and dev HMR) go to this host.
    `connect-src 'self'${safeHost ? ` ws://${safeHost} wss://${safeHost}` : ''}`,
    // The Monte Carlo Web Worker is a script file of ours.
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    // Not upgrade-insecure-requests: a workshop may serve the app over plain http on a LAN.
  ];
  if (!embeddable) directives.push("frame-ancestors 'none'");
  return directives.join('; ');
}
