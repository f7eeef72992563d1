// The session's two cookies, a short-lived access token and the refresh token that renews it, and the device cookie
// that outlives sessions (src/auth/device.ts). Names, attributes and serialisation, for the API (Set-Cookie) and
// Server Actions (`cookies()`).
import { publicUrl } from '@/src/http/public-url.ts';
import type { IssuedToken } from './tokens.ts';

/**
 * Over HTTPS the `__Host-` prefix pins each cookie to this exact origin (no Domain, Path=/, Secure); plain
 * HTTP cannot carry it. The refresh cookie needs Path=/ anyway: the middleware renews on every page and API path.
 */
const NAMES = {
  access: { secure: '__Host-token', plain: 'token' },
  refresh: { secure: '__Host-refresh', plain: 'refresh' },
  device: { secure: '__Host-device', plain: 'device' },
} as const;

export type CookieKind = keyof typeof NAMES;

/** Every name a session cookie can have, over HTTPS or not (the device cookie is no session). */
export const SESSION_COOKIE_NAMES: readonly string[] = [NAMES.access, NAMES.refresh].flatMap(({ secure, plain }) => [
  secure,
  plain,
]);

function isSecure(req: Request): boolean {
  return publicUrl(req).protocol === 'https:';
}

export function cookieName(req: Request, kind: CookieKind): string {
  return NAMES[kind][isSecure(req) ? 'secure' : 'plain'];
}

export function sessionCookieName(req: Request): string {
  return cookieName(req, 'access');
}

export function readCookie(req: Request, name: string): string | undefined {
  for (const pair of req.headers.get('cookie')?.split(';') ?? []) {
    const separator = pair.indexOf('=');
    if (separator > 0 && pair.slice(0, separator).trim() === name) return pair.slice(separator + 1).trim();
  }
  return undefined;
}

/** The device token a browser holds (src/auth/device.ts), if any. */
export const readDeviceCookie = (req: Request) => readCookie(req, cookieName(req, 'device'));

export interface CookieTokens {
  access?: IssuedToken;
  refresh?: IssuedToken;
  device?: IssuedToken;
}

/** One cookie's parts, for frameworks that set cookies by name and options (Server Actions' `cookies()`). */
export function cookieFields(req: Request, kind: CookieKind, issued: IssuedToken | undefined) {
  return {
    name: cookieName(req, kind),
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

/**
 * The cookies a response sets: the given tokens, or (with `clear`) both session cookies expired. Signing out keeps
 * the device cookie: the device stays known to the account.
 */
export function sessionCookieList(req: Request, tokens: CookieTokens | 'clear') {
  if (tokens === 'clear') return [cookieFields(req, 'access', undefined), cookieFields(req, 'refresh', undefined)];
  return (['access', 'refresh', 'device'] as const)
    .filter((kind) => tokens[kind])
    .map((kind) => cookieFields(req, kind, tokens[kind]));
}

function serialize({ name, value, options }: ReturnType<typeof cookieFields>): string {
  const secure = options.secure ? '; Secure' : '';
  return `${name}=${value}; Path=${options.path}; Max-Age=${options.maxAge}; HttpOnly; SameSite=Lax${secure}`;
}

/** Set-Cookie header values for the tokens, or to clear the session (see `sessionCookieList`). */
export function sessionCookies(req: Request, tokens: CookieTokens | 'clear'): string[] {
  return sessionCookieList(req, tokens).map(serialize);
}
