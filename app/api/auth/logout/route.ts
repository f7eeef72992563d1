// POST /api/auth/logout — clear the session cookie (public, so an expired session can still sign out)
import { clearedSessionCookie } from '@/src/auth/cookie.ts';
import { handler, methodsNotAllowed } from '@/src/http/handler.ts';

export const runtime = 'edge';

export const POST = handler(
  ({ req }) => new Response(null, { status: 204, headers: { 'set-cookie': clearedSessionCookie(req) } }),
);

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed('POST');
