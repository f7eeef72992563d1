// Where to go after signing in: only a path on this site, so `?next=` cannot send anyone elsewhere.

export const DEFAULT_NEXT_PATH = '/users';

const SITE = 'http://site.invalid';

/**
 * `next` when it is a same-site path, else /users. Refused: `//host` and `/\host` (browsers read both as
 * another host), control characters and backslashes (browsers drop or rewrite them), and /login (a loop).
 */
export function safeNextPath(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || /^\/[/\\]/.test(next)) return DEFAULT_NEXT_PATH;
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return DEFAULT_NEXT_PATH;
  const url = new URL(next, SITE);
  if (url.origin !== SITE || url.pathname === '/login' || url.pathname.startsWith('/login/')) return DEFAULT_NEXT_PATH;
  return url.pathname + url.search + url.hash;
}
