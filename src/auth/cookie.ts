// The session cookie: its name, attributes and serialisation, for the API (Set-Cookie) and Server Actions (`cookies()`).
import { publicUrl } from '@/src/http/public-url.ts';
import type { IssuedToken } from './tokens.ts';

/** Over HTTPS the `__Host-` prefix pins the cookie to this exact origin; plain HTTP cannot carry it. */
const SECURE_COOKIE = '__Host-token';
const PLAIN_COOKIE = 'token';

function isSecure(req: Request): boolean {
  return publicUrl(req).protocol === 'https:';
}

export function sessionCookieName(req: Request): string {
  return isSecure(req) ? SECURE_COOKIE : PLAIN_COOKIE;
}

export function readCookie(req: Request, name: string): string | undefined {
  for (const pair of req.headers.get('cookie')?.split(';') ?? []) {
    const separator = pair.indexOf('=');
    if (separator > 0 && pair.slice(0, separator).trim() === name) return pair.slice(separator + 1).trim();
  }
  return undefined;
}

/** The session cookie's parts, for frameworks that set cookies by name and options (Server Actions' `cookies()`). */
export function sessionCookieFields(req: Request, issued: IssuedToken | undefined) {
  return {
    name: sessionCookieName(req),
    value: issued?.token ?? '',
    options: {
      path: '/',
      maxAge: issued ? Math.max(0, Math.floor((issued.expiresAt.getTime() - Date.now()) / 1000)) : 0,
      httpOnly: true,
      sameSite: 'lax',
      secure: isSecure(req),
    },
  } as const;
}

function serialize({ name, value, options }: ReturnType<typeof sessionCookieFields>): string {
  const secure = options.secure ? '; Secure' : '';
  return `${name}=${value}; Path=${options.path}; Max-Age=${options.maxAge}; HttpOnly; SameSite=Lax${secure}`;
}

export function sessionCookie(req: Request, issued: IssuedToken): string {
  return serialize(sessionCookieFields(req, issued));
}

export function clearedSessionCookie(req: Request): string {
  return serialize(sessionCookieFields(req, undefined));
}
