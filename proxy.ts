/**
 * Next's proxy (formerly middleware): a fresh nonce and Content-Security-Policy for every page.
 * Next reads the nonce from the policy on the request and puts it on its own scripts and styles,
 * which is why every page renders per request (the root layout waits for `connection()`).
 * The other security headers come from the custom server (server/http/securityHeaders.ts).
 */
import { NextResponse, type NextRequest } from 'next/server';
import { isEmbedPath, pageContentSecurityPolicy } from './server/http/securityHeaders';

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  const policy = pageContentSecurityPolicy({
    nonce,
    host: request.headers.get('host'),
    dev: process.env.NODE_ENV === 'development',
    embeddable: isEmbedPath(request.nextUrl.pathname),
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('content-security-policy', policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('content-security-policy', policy);
  return response;
}

export const config = {
  matcher: [
    // Pages only: not the API (the custom server answers it), static files or prefetches.
    {
      source: '/((?!api|_next/static|_next/image|favicon.ico).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
