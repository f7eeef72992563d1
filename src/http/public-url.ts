// The URL a client used to reach us, for links, redirects, cookie names and same-origin checks. With PUBLIC_ORIGIN
// (required in production; derived on Vercel) it is that origin and the request's own path: no header counts.
// Without it (next dev, tests): X-Forwarded-Host and X-Forwarded-Proto count only when TRUST_PROXY says a proxy in
// front sets them (any client can send them, and Next.js builds `req.url` from them); else the Host header, and
// plain HTTP if a protocol was forwarded.
import { env } from '@/src/env.ts';

export const firstHop = (value: string | null) => value?.split(',', 1)[0]?.trim() || undefined;

function fromHeaders(req: Request): URL {
  const url = new URL(req.url);
  const trusted = env().TRUST_PROXY;
  const host = (trusted && firstHop(req.headers.get('x-forwarded-host'))) || req.headers.get('host');
  const forwardedProto = firstHop(req.headers.get('x-forwarded-proto'));
  // Untrusted, a forwarded protocol may have shaped req.url itself: assume the plain HTTP of a direct connection.
  const proto = trusted ? forwardedProto : forwardedProto && 'http';
  if (host) {
    // Setting `host` without a port would keep req.url's (an internal :3000 behind a proxy).
    url.port = '';
    url.host = host;
  }
  if (proto === 'http' || proto === 'https') url.protocol = `${proto}:`;
  return url;
}

export function publicUrl(req: Request): URL {
  const configured = env().PUBLIC_ORIGIN;
  if (!configured) return fromHeaders(req);
  const { pathname, search } = new URL(req.url);
  // Set as parts, not resolved as a relative URL: a path like `//evil.example/x` must stay a path.
  const url = new URL(configured);
  url.pathname = pathname;
  url.search = search;
  return url;
}

/**
 * Whether a browser's `Origin` header names this site: the public origin or, on Vercel, one of the deployment's
 * own generated URLs (its deployment and branch URLs, which Vercel routes only to this app: this deployment, or the
 * latest of its branch).
 */
export function isOwnOrigin(req: Request, origin: string): boolean {
  return origin === publicUrl(req).origin || env().DEPLOYMENT_ORIGINS.includes(origin);
}
