// The answer to signing in, signing up and renewing: the tokens in the body (curl, services) and as cookies (browsers).
import type { PublicUser } from '@/src/users/schema.ts';
import { sessionCookies } from './cookie.ts';
import type { SessionTokens } from './sessions.ts';

/** Auth responses carry credentials: no cache, shared or private, may keep them. */
export const NO_STORE = { 'cache-control': 'no-store' } as const;

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
    { status, headers: { ...NO_STORE, ...headers } },
  );
  for (const cookie of sessionCookies(req, tokens)) response.headers.append('set-cookie', cookie);
  return response;
}
