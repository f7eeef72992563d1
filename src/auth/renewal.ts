// Renewing and ending sessions from what a request carries: a refresh token in the body, or the refresh cookie.
import { readJson } from '@/src/http/body.ts';
import { Problem, type ProblemCode } from '@/src/http/problem.ts';
import { cookieName, readCookie } from './cookie.ts';
import { readRefreshToken, type RefreshToken } from './refresh-token.ts';
import { refreshSchema } from './schema.ts';
import { assertSameOrigin, readCredential } from './credentials.ts';
import { invalidToken, verifyToken, type Identity } from './tokens.ts';

export type RefreshSource = 'body' | 'cookie';

/** The refresh token a request presents; a cookie only counts from this origin (it rides cross-site posts too). */
export async function presentedRefreshToken(req: Request): Promise<{ token: RefreshToken; source: RefreshSource }> {
  let raw: string | undefined;
  let source: RefreshSource;
  if (req.headers.has('content-type')) {
    raw = (await readJson(req, refreshSchema)).refreshToken;
    source = 'body';
  } else {
    assertSameOrigin(req);
    raw = readCookie(req, cookieName(req, 'refresh'));
    source = 'cookie';
  }
  const token = await readRefreshToken(raw);
  if (!token) {
    throw invalidToken(
      raw ? 'The refresh token is invalid.' : 'Send {"refreshToken": …} or the refresh cookie.',
      'invalid_refresh_token',
    );
  }
  return { token, source };
}

const UNNAMED_SESSION = new Set<ProblemCode>(['invalid_token', 'identity_provider_unavailable']);

/**
 * The session a sign-out ends: named by the access token (expired or not: its signature still counts) or by
 * the refresh cookie. Empty when the request carries neither, or nothing valid: signing out always succeeds, from
 * this origin.
 */
export async function sessionToEnd(req: Request): Promise<{ identity?: Identity; refresh?: RefreshToken }> {
  // Another site may neither sign a browser out nor clear its cookies (logout CSRF), cookie or no cookie.
  assertSameOrigin(req);
  let identity: Identity | undefined;
  try {
    const credential = readCredential(req);
    if (credential) identity = await verifyToken(credential.token, { ignoreExpiry: true });
  } catch (error) {
    // A token that names no session of ours (bad, or an identity provider's out of reach) leaves the refresh cookie.
    if (!(error instanceof Problem && UNNAMED_SESSION.has(error.code))) throw error;
  }
  const refresh = await readRefreshToken(readCookie(req, cookieName(req, 'refresh')));
  return { identity, refresh };
}
