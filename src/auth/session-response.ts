// The answer to signing in, signing up and renewing: the tokens in the body (curl, services) and as cookies (browsers).
import { sessionCookies, type CookieTokens } from './cookie.ts';
import type { SignedIn } from './login.ts';
import type { TokensBody } from './schema.ts';
import type { SessionTokens } from './sessions.ts';

export function sessionBody(tokens: SessionTokens, includeRefresh = true): TokensBody {
  return {
    token: tokens.access.token,
    expiresAt: tokens.access.expiresAt.toISOString(),
    ...(includeRefresh && tokens.refresh
      ? { refreshToken: tokens.refresh.token, refreshExpiresAt: tokens.refresh.expiresAt.toISOString() }
      : {}),
  };
}

function withCookies(req: Request, tokens: CookieTokens | 'clear', response: Response): Response {
  for (const cookie of sessionCookies(req, tokens)) response.headers.append('set-cookie', cookie);
  return response;
}

/** A new session (signed in, signed up, password changed): the user and the tokens, in the body and as cookies. */
export function signedInResponse(req: Request, { user, tokens, device }: SignedIn, init: ResponseInit = {}): Response {
  const body = { user, ...sessionBody(tokens), ...(device ? { deviceToken: device.token } : {}) };
  return withCookies(req, { ...tokens, device }, Response.json(body, init));
}

/** A renewed session; a browser's refresh token stays in its HttpOnly cookie, never in a body a script could read. */
export function renewedResponse(req: Request, tokens: SessionTokens, includeRefresh: boolean): Response {
  return withCookies(req, tokens, Response.json(sessionBody(tokens, includeRefresh)));
}

/** The answer to signing out: 204 with both session cookies expired. */
export function signedOutResponse(req: Request): Response {
  return withCookies(req, 'clear', new Response(null, { status: 204 }));
}

/** Drops both session cookies from a response (a dead refresh cookie, so the browser stops presenting it). */
export function clearingCookies(req: Request, response: Response): Response {
  return withCookies(req, 'clear', response);
}
