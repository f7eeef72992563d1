// The signed-in identity for pages and Server Actions, read with the API's own code from the incoming request.
// Kept free of the database, so the edge page at / stays small; session-cookies.ts sets and clears the cookies.
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { Problem, type ProblemCode } from '@/src/http/problem.ts';
import { authenticate } from './credentials.ts';
import type { Identity } from './tokens.ts';

/**
 * The incoming request as a Web `Request`, rebuilt from its headers: pages and actions get no `Request`.
 * `authenticate` needs its method (writes get the same-origin check) and its headers, from which it works out
 * the public origin (Host, X-Forwarded-*) for that check and for the cookie's name; the placeholder URL is unused.
 */
export async function incomingRequest(method: 'GET' | 'POST'): Promise<Request> {
  return new Request('http://localhost/', { method, headers: await headers() });
}

/** What makes a visitor signed out: no token, a bad or expired one, or a cookie posted from another site. */
const SIGNED_OUT = new Set<ProblemCode>(['missing_token', 'invalid_token', 'token_expired', 'cross_origin']);

async function identityFor(method: 'GET' | 'POST'): Promise<Identity | undefined> {
  try {
    return await authenticate(await incomingRequest(method));
  } catch (error) {
    // Anything else (the identity provider's keys out of reach) is an outage, not a reason to sign in again.
    if (error instanceof Problem && SIGNED_OUT.has(error.code)) return undefined;
    throw error;
  }
}

/** Who is viewing a page, or undefined when signed out or the token is invalid. */
export function currentIdentity(): Promise<Identity | undefined> {
  return identityFor('GET');
}

/** Who is calling a Server Action; signed out (or a cross-origin cookie) goes to /login. Checked in every action. */
export async function actionIdentity(): Promise<Identity> {
  const identity = await identityFor('POST');
  if (!identity) redirect('/login');
  return identity;
}
