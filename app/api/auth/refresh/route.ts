// POST /api/auth/refresh — renew a session: a new access token and the next refresh token (the presented one is spent)
import { sessionCookies } from '@/src/auth/cookie.ts';
import { presentedRefreshToken } from '@/src/auth/renewal.ts';
import { sessionResponse } from '@/src/auth/session-response.ts';
import { refreshSession } from '@/src/auth/sessions.ts';
import { handler, methodsNotAllowed, noStore } from '@/src/http/handler.ts';
import { Problem, problemResponse } from '@/src/http/problem.ts';

export const runtime = 'edge';
// Runs beside the database, in the project's function region (README: where functions run).
export const preferredRegion = 'home';

export const POST = noStore(
  handler(async ({ req }) => {
    const { token, source } = await presentedRefreshToken(req);
    try {
      // A browser's refresh token stays in its HttpOnly cookie, never in a body a script could read.
      return sessionResponse(req, await refreshSession(token), { includeRefresh: source === 'body' });
    } catch (error) {
      if (!(error instanceof Problem) || source !== 'cookie') throw error;
      // A dead refresh cookie is dropped, so the browser stops presenting it.
      const response = problemResponse(error);
      for (const cookie of sessionCookies(req, 'clear')) response.headers.append('set-cookie', cookie);
      return response;
    }
  }),
);

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed('POST');
