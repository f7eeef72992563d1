// Where the middleware reaches this app's own routes (to renew a session). Never the request's origin: Next.js
// builds that from the client's Host (and X-Forwarded-Proto), and OpenNext from `x-forwarded-host ?? host`, so
// following it would post the refresh cookie to a host the client chose.
import { env } from '@/src/env.ts';

export interface SelfOrigin {
  origin: string;
  /** Headers this app's own edge needs to let the call through (Vercel's Deployment Protection). */
  headers: Record<string, string>;
}

/**
 * In order: the `INTERNAL_ORIGIN` setting; under `next dev`, `next start` or the standalone server, the address
 * that server listens on (Next.js records it in `__NEXT_PRIVATE_ORIGIN` once listening, and forwards Server
 * Actions to it); otherwise (Vercel, serverless adapters such as OpenNext) `PUBLIC_ORIGIN`, on Vercel with the
 * automation bypass secret when Deployment Protection is on. Throws when none is known (only outside production,
 * where PUBLIC_ORIGIN is required): the session is then not renewed.
 */
export function selfOrigin(): SelfOrigin {
  const { INTERNAL_ORIGIN, PUBLIC_ORIGIN } = env();
  if (INTERNAL_ORIGIN) return { origin: new URL(INTERNAL_ORIGIN).origin, headers: {} };
  const server = process.env.__NEXT_PRIVATE_ORIGIN;
  if (server) return { origin: new URL(server).origin, headers: {} };
  if (!PUBLIC_ORIGIN) {
    throw new Error('No origin to renew the session on: set PUBLIC_ORIGIN (or INTERNAL_ORIGIN)');
  }
  const bypass = process.env.VERCEL === '1' ? process.env.VERCEL_AUTOMATION_BYPASS_SECRET : undefined;
  return { origin: PUBLIC_ORIGIN, headers: bypass ? { 'x-vercel-protection-bypass': bypass } : {} };
}
