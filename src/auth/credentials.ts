// Reading a request's credentials: the access token from the session cookie (browsers) or `Authorization: Bearer`
// (curl, services), verified; and the same-origin rule for cookie-authenticated writes.
import { Problem } from '@/src/http/problem.ts';
import { isOwnOrigin } from '@/src/http/public-url.ts';
import { readCookie, sessionCookieName } from './cookie.ts';
import { invalidToken, missingToken, verifyToken, type Identity } from './tokens.ts';

export type CredentialSource = 'bearer' | 'cookie';

export function readCredential(req: Request): { token: string; source: CredentialSource } | undefined {
  const authorization = req.headers.get('authorization');
  if (authorization) {
    const [scheme, token] = authorization.trim().split(/\s+/, 2);
    if (scheme?.toLowerCase() !== 'bearer' || !token) throw invalidToken('Use `Authorization: Bearer <token>`.');
    return { token, source: 'bearer' };
  }
  const token = readCookie(req, sessionCookieName(req));
  return token ? { token, source: 'cookie' } : undefined;
}

/** Methods that change nothing, which another origin may send with the cookies. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cookies ride along on cross-site requests; a cookie-authenticated write must come from this origin.
 * Browsers send Sec-Fetch-Site or Origin with every write; a request with neither is not a browser's. This
 * origin is PUBLIC_ORIGIN when set (see public-url.ts), so a proxy's Host or X-Forwarded-* cannot change it.
 */
export function assertSameOrigin(
  req: Request,
  detail = 'Cross-origin requests cannot use the session cookie; send a Bearer token.',
): void {
  if (SAFE_METHODS.has(req.method)) return;
  const site = req.headers.get('sec-fetch-site');
  const origin = req.headers.get('origin');
  const sameSite = site ? site === 'same-origin' || site === 'none' : true;
  const sameOrigin = origin ? isOwnOrigin(req, origin) : true;
  if (!sameSite || !sameOrigin) throw new Problem('cross_origin', { detail });
}

/** The verified identity behind a request, or a 401 (403 for a cross-origin cookie write). */
export async function authenticate(req: Request): Promise<Identity> {
  const credential = readCredential(req);
  if (!credential) throw missingToken('Sign in first: send a Bearer token or the session cookie.');
  if (credential.source === 'cookie') assertSameOrigin(req);
  return verifyToken(credential.token);
}
