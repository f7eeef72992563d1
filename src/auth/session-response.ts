// The answer to signing in, signing up and renewing: the tokens in the body (curl, services) and as cookies (browsers).
import type { PublicUser } from '@/src/users/schema.ts';
import { sessionCookies } from './cookie.ts';
import type { SessionTokens } from './sessions.ts';

export function sessionBody(tokens: SessionTokens, includeRefresh = true) {
  return {
    token: tokens.access.token,
    expiresAt: tokens.access.expiresAt.toISOString(),
    ...(includeRefresh && tokens.refresh
      ? { refreshToken: tokens.refresh.token, refreshExpiresAt: tokens.refresh.expiresAt.toISOString() }
      : {}),
  };
}

export function sessionResponse(
  req: Request,
  tokens: SessionTokens,
  {
    user,
    status = 200,
    headers = {},
    includeRefresh = true,
  }: { user?: PublicUser; status?: number; headers?: Record<string, string>; includeRefresh?: boolean } = {},
): Response {
  const response = Response.json(
    { ...(user ? { user } : {}), ...sessionBody(tokens, includeRefresh) },
    { status, headers },
  );
  for (const cookie of sessionCookies(req, tokens)) response.headers.append('set-cookie', cookie);
  return response;
}

/** The answer to signing out: 204 with both session cookies expired. */
export function signedOutResponse(req: Request): Response {
  const response = new Response(null, { status: 204 });
  for (const cookie of sessionCookies(req, 'clear')) response.headers.append('set-cookie', cookie);
  return response;
}
