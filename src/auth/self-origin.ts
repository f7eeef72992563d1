// Where the middleware reaches this app's own routes (to renew a session). Not simply the request's origin: on
// Next.js's own server that origin takes its scheme from the client's X-Forwarded-Proto (behind a TLS-terminating
// proxy, https:// to a plain-HTTP port, which fails), and with `trustHostHeader` its host from the Host header.
import { env } from '@/src/env.ts';

export interface SelfOrigin {
  origin: string;
  /** Headers this app's own edge needs to let the call through (Vercel's Deployment Protection). */
  headers: Record<string, string>;
}

/**
 * In order: the `INTERNAL_ORIGIN` setting; on Vercel, the request's own origin (Vercel sends a deployment only
 * the hosts that belong to it), with the automation bypass secret when Deployment Protection is on; under
 * `next start` or the standalone server, the address that server listens on (Next.js records it in
 * `__NEXT_PRIVATE_ORIGIN` once listening, and forwards Server Actions to it); otherwise (serverless adapters,
 * whose front door routes only this app's hosts) the request's origin.
 */
export function selfOrigin(requestOrigin: string): SelfOrigin {
  const configured = env().INTERNAL_ORIGIN;
  if (configured) return { origin: new URL(configured).origin, headers: {} };
  if (process.env.VERCEL === '1') {
    const bypass = process.env.VERCEL_AUTOMATION_BYPASS_SECRET;
    return { origin: requestOrigin, headers: bypass ? { 'x-vercel-protection-bypass': bypass } : {} };
  }
  const server = process.env.__NEXT_PRIVATE_ORIGIN;
  return { origin: server ? new URL(server).origin : requestOrigin, headers: {} };
}
