// Next.js settings: a self-contained server (npm start, the container), no framework fingerprint,
// and security headers on every response.
import type { NextConfig } from 'next';
import { PHASE_DEVELOPMENT_SERVER, PHASE_PRODUCTION_BUILD } from 'next/constants';
import { writeMigrationNames } from './scripts/migration-names.ts';

const production = process.env.NODE_ENV === 'production';

/** Pages need inline scripts and styles for hydration; development also needs eval for Fast Refresh. */
const pageCsp = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${production ? '' : " 'unsafe-eval'"}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** JSON never needs to load anything. */
const apiCsp = "default-src 'none'; frame-ancestors 'none'";

const everywhere = [
  { key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains; preload' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=()' },
];

const config: NextConfig = {
  output: 'standalone',
  poweredByHeader: false,
  // The app serves no raster images, so the image optimizer and its native sharp/libvips (about 20 MB of
  // the standalone server) stay out. With next/image, drop both lines: Next then traces sharp again.
  images: { unoptimized: true },
  outputFileTracingExcludes: { '*': ['node_modules/sharp/**', 'node_modules/@img/**'] },
  experimental: {
    // Middleware buffers request bodies up to this size (10 MB by default); the API refuses over 16 KiB
    // anyway, so buffering more only costs memory under attack.
    proxyClientMaxBodySize: '64kb',
    // The server writes nothing at run time (a read-only root filesystem works): a page made at build time
    // (/docs) is served from the build and kept in memory, not copied into .next/server/route-cache on first use.
    isrFlushToDisk: false,
  },
  async headers() {
    return [
      { source: '/:path*', headers: [...everywhere, { key: 'Content-Security-Policy', value: pageCsp }] },
      { source: '/api/:path*', headers: [{ key: 'Content-Security-Policy', value: apiCsp }] },
    ];
  },
};

/** Every build (and `next dev`) carries the list of migrations /api/health checks the database for. */
export default function nextConfig(phase: string): NextConfig {
  if (phase === PHASE_PRODUCTION_BUILD || phase === PHASE_DEVELOPMENT_SERVER) writeMigrationNames();
  return config;
}
