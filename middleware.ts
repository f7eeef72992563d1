// The edge gate in front of every page and API route except static assets; see src/auth/gate.ts.
import { NextResponse, type NextRequest } from 'next/server';
import { UNAVAILABLE_PATH } from '@/app/unavailable/path.ts';
import { gate } from '@/src/auth/gate.ts';
import { RETRY_AFTER_SECONDS } from '@/src/http/errors.ts';

/**
 * A page cannot set its own status in Next.js (only 404, 401, 403 and redirects), but a status set here, before
 * it renders, is kept: so the outage notice is a 503 with Retry-After, which monitors and caches understand.
 */
function asUnavailable(response: Response): Response {
  if (!response.headers.has('x-middleware-next')) return response;
  const headers = new Headers(response.headers);
  headers.set('retry-after', String(RETRY_AFTER_SECONDS));
  headers.set('cache-control', 'no-store');
  return new NextResponse(null, { status: 503, headers });
}

/** A browser loading the notice itself: not a Server Action posted from it, nor the router fetching its payload. */
function isNoticeDocument(req: NextRequest): boolean {
  return (
    req.nextUrl.pathname === UNAVAILABLE_PATH &&
    (req.method === 'GET' || req.method === 'HEAD') &&
    !req.headers.has('rsc')
  );
}

export async function middleware(req: NextRequest): Promise<Response> {
  const response = await gate(req);
  return isNoticeDocument(req) ? asUnavailable(response) : response;
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon\\.ico|robots\\.txt).*)'],
};
