// Signing in and out from Server Actions: the session cookies set or cleared through Next's `cookies()`, and the
// session revoked, as the API's login and logout routes do.
import { cookies } from 'next/headers';
import { isUnavailable } from '@/src/db/errors.ts';
import { sessionCookieList, type CookieTokens } from './cookie.ts';
import { incomingRequest } from './current-user.ts';
import { sessionToEnd } from './renewal.ts';
import { revokeNamedSession } from './sessions.ts';

async function setCookies(tokens: CookieTokens | 'clear'): Promise<void> {
  const jar = await cookies();
  for (const { name, value, options } of sessionCookieList(await incomingRequest('POST'), tokens)) {
    jar.set(name, value, options);
  }
}

/** Sets the same cookies as POST /api/auth/login; only Server Actions may call this. */
export function setSessionCookies(tokens: CookieTokens): Promise<void> {
  return setCookies(tokens);
}

/** Expires this browser's session cookies, once its sessions have been revoked; only Server Actions may call this. */
export function clearSessionCookies(): Promise<void> {
  return setCookies('clear');
}

/**
 * Revokes the session and expires its cookies, as POST /api/auth/logout does. A person signing out of a page
 * while the database is unreachable is still signed out of this browser: the cookies go, and the access token
 * they held expires within its lifetime. Only the revocation waits (the API's logout answers 503 instead).
 */
export async function endSession(): Promise<void> {
  const named = await sessionToEnd(await incomingRequest('POST'));
  try {
    await revokeNamedSession(named);
  } catch (error) {
    if (!isUnavailable(error)) throw error;
  }
  await setCookies('clear');
}
