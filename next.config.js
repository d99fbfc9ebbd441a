// Next.js configuration. ESM because package.json has "type": "module".
// Next runs inside our own Node server (server/index.ts), so there is deliberately no `output`
// setting: `standalone` would produce a second server entry that bypasses our WebSocket routing.

import createNextIntlPlugin from 'next-intl/plugin';

// next-intl reads the locale and its messages per request from lib/i18n/request.ts.
// The catalogs are precompiled at build time (`precompile`): browsers get messages already parsed
// and no ICU parser (about 9 KB gzipped off every page, issue 11's JavaScript budget).
const withNextIntl = createNextIntlPlugin({
  requestConfig: './lib/i18n/request.ts',
  experimental: {
    messages: { path: './lib/i18n/messages', format: 'json', locales: 'infer', precompile: true },
  },
});

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Double-invokes effects and renders in development, which flushes out Yjs observers and socket
  // listeners that are not cleaned up on unmount.
  reactStrictMode: true,

  // Packages that must be loaded from node_modules at runtime instead of being bundled into the
  // server build:
  // - better-sqlite3 (a native addon), pg and ioredis (optional native parts, dynamic requires).
  // - pino: spawns worker threads by file path.
  // - yjs, y-protocols, lib0: one copy of Yjs per process. The custom server loads yjs itself; when
  //   Next bundles another copy into server-rendered code, Yjs warns "Yjs was already imported" and
  //   `instanceof Y.Doc` fails across the two. As externals, Next imports the same node_modules/yjs
  //   ESM build the server uses (checked with Next 16.4 + tsx). Components using y-websocket or
  //   y-indexeddb still need `ssr: false`: those touch browser APIs.
  serverExternalPackages: ['better-sqlite3', 'pg', 'ioredis', 'pino', 'yjs', 'y-protocols', 'lib0'],

  // Statically typed <Link href> stays off: board URLs are built from runtime ids and tokens, so
  // the checks would mostly be casts, and it ties `tsc --noEmit` to generated .next/types.
  typedRoutes: false,

  // Build folder. Parallel work (several builds and e2e servers on one machine) sets NEXT_DIST_DIR
  // so that builds do not overwrite each other; the server reads the same variable.
  distDir: process.env.NEXT_DIST_DIR || '.next',

  // No `X-Powered-By: Next.js` (the other security headers: server/http/securityHeaders.ts, proxy.ts).
  poweredByHeader: false,
  productionBrowserSourceMaps: process.env.SB_SOURCEMAPS === '1',

  // Pin the project root so Next/Turbopack never guesses a parent directory from a stray lockfile.
  turbopack: {
    root: import.meta.dirname,
    // lib0 (Yjs) mentions Node's global `Buffer` in a branch browsers never take, which made the
    // bundler ship a 7 KB gzipped Buffer polyfill to every board page. Browsers get an empty module.
    resolveAlias: {
      'next/dist/compiled/buffer': { browser: './lib/client/noNodeBuffer.js' },
    },
  },
};

export default withNextIntl(nextConfig);
