// The edge gate behind middleware.ts: strips forged identity, answers CORS preflights, and refuses
// unauthenticated requests before they reach a route (routes check again; this is the early no).
import { NextResponse, type NextRequest } from 'next/server';
import { env } from '@/src/env.ts';
import { toProblem } from '@/src/http/errors.ts';
import { Problem, problemResponse } from '@/src/http/problem.ts';
import { publicUrl } from '@/src/http/public-url.ts';
import { authenticate } from './session.ts';

/** Set only here, after verifying; whatever a client sent under these names is dropped first. */
export const IDENTITY_HEADERS = { id: 'x-user-id', role: 'x-user-role' } as const;

const PUBLIC_PATHS = new Set([
  '/api/hello',
  '/api/health',
  '/api/auth/login',
  '/api/auth/register',
  '/api/auth/logout',
  '/api/openapi.json',
  '/login',
  '/docs',
]);

const CORS_METHODS = 'GET, POST, PATCH, DELETE, OPTIONS';
const CORS_REQUEST_HEADERS = 'authorization, content-type';
const CORS_EXPOSED_HEADERS = 'link, location, retry-after, www-authenticate';

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
    return withCors(problemResponse(new Problem(403, { detail: 'This origin may not call the API.' })), undefined);
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

export async function gate(req: NextRequest): Promise<Response> {
  const { pathname } = req.nextUrl;
  const api = isApi(pathname);
  if (!HTTP_METHODS.has(req.method)) {
    return withCors(
      problemResponse(new Problem(400, { detail: `The ${req.method} method is not supported.` })),
      undefined,
    );
  }
  if (!isDecodable(pathname)) {
    return withCors(
      problemResponse(new Problem(400, { detail: 'The request path is not valid percent-encoding.' })),
      undefined,
    );
  }
  if (api && req.method === 'OPTIONS' && req.headers.has('access-control-request-method')) return preflight(req);

  const headers = new Headers(req.headers);
  headers.delete(IDENTITY_HEADERS.id);
  headers.delete(IDENTITY_HEADERS.role);
  const origin = api ? allowedOrigin(req) : undefined;

  if (!PUBLIC_PATHS.has(pathname)) {
    try {
      const identity = await authenticate(req);
      headers.set(IDENTITY_HEADERS.id, String(identity.id));
      headers.set(IDENTITY_HEADERS.role, identity.role);
    } catch (error) {
      const problem = toProblem(error);
      if (!api && problem.status === 401) return signInRedirect(req);
      return withCors(problemResponse(problem), origin);
    }
  }
  return withCors(NextResponse.next({ request: { headers } }), origin);
}
