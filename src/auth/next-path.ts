// Where to go after signing in: only a path on this site, so `?next=` cannot send anyone elsewhere.

export const DEFAULT_NEXT_PATH = '/users';

const SITE = 'http://site.invalid';

/** `//host` and `/\host`: browsers read both as another host. */
const OTHER_HOST = /^\/[/\\]/;

/**
 * `next` when it is a same-site path, else /users. Refused: `//host` and `/\host`, before and after the URL
 * parser normalises it (`/.//host`, `/..//host` and `/%2e//host` all become `//host`), control characters and
 * backslashes (browsers drop or rewrite them), and /login (a loop).
 */
export function safeNextPath(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || OTHER_HOST.test(next)) return DEFAULT_NEXT_PATH;
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return DEFAULT_NEXT_PATH;
  const url = new URL(next, SITE);
  if (url.origin !== SITE || OTHER_HOST.test(url.pathname)) return DEFAULT_NEXT_PATH;
  if (url.pathname === '/login' || url.pathname.startsWith('/login/')) return DEFAULT_NEXT_PATH;
  return url.pathname + url.search + url.hash;
}
