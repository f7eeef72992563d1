// The edge gate behind middleware.ts: strips forged identity, answers CORS preflights, and refuses
// unauthenticated requests before they reach a route (routes check again; this is the early no).
import { NextResponse, type NextRequest } from 'next/server';
import { env } from '@/src/env.ts';
import { isPublic } from '@/src/http/public-paths.ts';
import { errorResponse, logFailure, requestId, toProblem } from '@/src/http/errors.ts';
import { uncached } from '@/src/http/handler.ts';
import { Problem, problemResponse } from '@/src/http/problem.ts';
import { publicUrl } from '@/src/http/public-url.ts';
import { cookieName, readCookie } from './cookie.ts';
import { assertSameOrigin, authenticate, SAFE_METHODS } from './credentials.ts';
import { selfOrigin } from './self-origin.ts';
import type { Identity } from './tokens.ts';

/** Set only here, after verifying; whatever a client sent under these names is dropped first. */
export const IDENTITY_HEADERS = { id: 'x-user-id', role: 'x-user-role' } as const;

const CORS_METHODS = 'GET, POST, PATCH, DELETE, OPTIONS';
const CORS_REQUEST_HEADERS = 'authorization, content-type';
const CORS_EXPOSED_HEADERS = 'link, location, retry-after, www-authenticate, x-request-id';

/** The methods a route handler can serve; Next.js answers any other with an empty 400. */
const HTTP_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** Next.js's router answers a bare 500 for a path it cannot percent-decode, after this gate lets it through. */
function isDecodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

function isApi(pathname: string): boolean {
  return pathname === '/api' || pathname.startsWith('/api/');
}

function allowedOrigin(req: NextRequest): string | undefined {
  const origin = req.headers.get('origin');
  return origin && env().CORS_ORIGINS.includes(origin) ? origin : undefined;
}

function withCors(response: Response, origin: string | undefined): Response {
  response.headers.append('vary', 'Origin');
  if (origin) {
    response.headers.set('access-control-allow-origin', origin);
    response.headers.set('access-control-expose-headers', CORS_EXPOSED_HEADERS);
  }
  return response;
}

function preflight(req: NextRequest): Response {
  const origin = allowedOrigin(req);
  if (!origin) {
    return withCors(
      problemResponse(new Problem('origin_not_allowed', { detail: 'This origin may not call the API.' })),
      undefined,
    );
  }
  const response = new Response(null, {
    status: 204,
    headers: {
      'access-control-allow-methods': CORS_METHODS,
      'access-control-allow-headers': CORS_REQUEST_HEADERS,
      'access-control-max-age': '600',
    },
  });
  return withCors(response, origin);
}

function signInRedirect(req: NextRequest): Response {
  const login = new URL('/login', publicUrl(req));
  // Built from our own URL's path, so it can only ever point back into this site.
  login.searchParams.set('next', req.nextUrl.pathname + req.nextUrl.search);
  return NextResponse.redirect(login, 303);
}

interface Renewal {
  caller?: Identity;
  /** The access cookie as the rest of this request should see it. */
  cookieHeader?: string;
  /** What the refresh endpoint set (new cookies) or cleared (a dead session). */
  setCookies: string[];
}

/** The cookie header with the access cookie's value replaced. */
function withAccessCookie(req: NextRequest, token: string): string {
  const name = cookieName(req, 'access');
  const others = (req.headers.get('cookie') ?? '')
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => pair && pair.slice(0, pair.indexOf('=')).trim() !== name);
  return [...others, `${name}=${token}`].join('; ');
}

/**
 * A browser whose access cookie has expired (or dropped out) but whose refresh cookie remains is renewed here,
 * transparently, for pages, Server Actions and the API alike. The middleware cannot carry Prisma, so it asks
 * POST /api/auth/refresh on its own origin (see self-origin.ts: never one the request names), as the browser itself
 * would; the route rotates the refresh token in one database round trip. Only a request that would otherwise be refused pays for this.
 */
async function renewSession(req: NextRequest): Promise<Renewal | undefined> {
  const refresh = readCookie(req, cookieName(req, 'refresh'));
  if (!refresh) return undefined;
  const self = selfOrigin();
  const headers = new Headers({ ...self.headers, cookie: `${cookieName(req, 'refresh')}=${refresh}` });
  // Without PUBLIC_ORIGIN (next dev), the route works out the cookies' names from these, as this request did.
  if (!env().PUBLIC_ORIGIN) {
    for (const name of ['x-forwarded-host', 'x-forwarded-proto']) {
      const value = req.headers.get(name);
      if (value) headers.set(name, value);
    }
  }
  const response = await fetch(new URL('/api/auth/refresh', self.origin), {
    method: 'POST',
    headers,
    cache: 'no-store',
    redirect: 'manual',
  });
  const setCookies = response.headers.getSetCookie();
  if (!response.ok) return { setCookies };
  const { token } = (await response.json()) as { token: string };
  const cookieHeader = withAccessCookie(req, token);
  const renewed = new Headers(req.headers);
  renewed.set('cookie', cookieHeader);
  const caller = await authenticate(new Request(req.url, { method: req.method, headers: renewed }));
  return { caller, cookieHeader, setCookies };
}

/**
 * Whether a refusal could be mended by renewing: no Bearer token, the cookie missing or only expired, and a request
 * the renewed cookie would be allowed to make. A write from another origin would be refused even then, and renewing
 * it would spend the refresh token: the browser drops the new cookies of a cross-site answer, keeps the spent one,
 * and its next renewal looks like reuse and revokes the session.
 */
function renewable(req: NextRequest, error: unknown): boolean {
  if (req.headers.has('authorization') || !(error instanceof Problem)) return false;
  if (error.code !== 'token_expired' && error.code !== 'missing_token') return false;
  try {
    assertSameOrigin(req);
    return true;
  } catch {
    return false;
  }
}

function appendCookies(response: Response, setCookies: string[] = []): Response {
  for (const cookie of setCookies) response.headers.append('set-cookie', cookie);
  return response;
}

export async function gate(req: NextRequest): Promise<Response> {
  const { pathname } = req.nextUrl;
  const api = isApi(pathname);
  if (!HTTP_METHODS.has(req.method)) {
    return withCors(
      problemResponse(new Problem('unsupported_method', { detail: `The ${req.method} method is not supported.` })),
      undefined,
    );
  }
  if (!isDecodable(pathname)) {
    return withCors(
      problemResponse(new Problem('invalid_path', { detail: 'The request path is not valid percent-encoding.' })),
      undefined,
    );
  }
  if (api && req.method === 'OPTIONS' && req.headers.has('access-control-request-method')) return preflight(req);
  // A page takes no write but a Server Action's, and a form posted without JavaScript carries its action id in the
  // body, not in a Next-Action header: so every write to a page, as well as every Next-Action post, is one.
  if (req.headers.has('next-action') || (!api && !SAFE_METHODS.has(req.method))) {
    try {
      // Next.js would refuse it too, but with a 500 and a stack trace in the log.
      assertSameOrigin(req, 'Server Actions accept posts from this site only.');
    } catch (error) {
      return withCors(uncached(errorResponse(error, req)), undefined);
    }
  }

  const headers = new Headers(req.headers);
  headers.delete(IDENTITY_HEADERS.id);
  headers.delete(IDENTITY_HEADERS.role);
  const origin = api ? allowedOrigin(req) : undefined;

  let renewal: Renewal | undefined;
  if (!isPublic(pathname, req.method)) {
    try {
      let caller: Identity;
      try {
        caller = await authenticate(req);
      } catch (error) {
        renewal = renewable(req, error)
          ? await renewSession(req).catch((failure: unknown) => {
              // The request is refused as if there were nothing to renew; the failure itself is worth a look.
              logFailure(req, requestId(req), 'session renewal failed', failure);
              return undefined;
            })
          : undefined;
        if (!renewal?.caller) throw error;
        caller = renewal.caller;
        headers.set('cookie', renewal.cookieHeader!);
      }
      headers.set(IDENTITY_HEADERS.id, String(caller.id));
      headers.set(IDENTITY_HEADERS.role, caller.role);
    } catch (error) {
      if (!api && toProblem(error).status === 401) return appendCookies(signInRedirect(req), renewal?.setCookies);
      return appendCookies(withCors(uncached(errorResponse(error, req)), origin), renewal?.setCookies);
    }
  }
  return appendCookies(withCors(NextResponse.next({ request: { headers } }), origin), renewal?.setCookies);
}
