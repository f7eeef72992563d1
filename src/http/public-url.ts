// The URL a client used to reach us. Behind `next start` and proxies `req.url` may name an internal
// host, so links, redirects and same-origin checks are built from the forwarded or Host header.
export function publicUrl(req: Request): URL {
  const url = new URL(req.url);
  const host = req.headers.get('x-forwarded-host')?.split(',', 1)[0]?.trim() || req.headers.get('host');
  const proto = req.headers.get('x-forwarded-proto')?.split(',', 1)[0]?.trim();
  if (host) url.host = host;
  if (proto === 'http' || proto === 'https') url.protocol = `${proto}:`;
  return url;
}
