// POST /api/auth/refresh — renew a session: a new access token and the next refresh token (the presented one is spent)
import { presentedRefreshToken } from '@/src/auth/renewal.ts';
import { clearingCookies, renewedResponse } from '@/src/auth/session-response.ts';
import { refreshSession } from '@/src/auth/sessions.ts';
import { errorResponse } from '@/src/http/errors.ts';
import { methodsNotAllowed, noStore, publicRoute } from '@/src/http/handler.ts';
import { Problem } from '@/src/http/problem.ts';

export const runtime = 'edge';
// Runs beside the database, in the project's function region (README: where functions run).
export const preferredRegion = 'home';

export const POST = noStore(
  publicRoute('/api/auth/refresh', 'POST', async ({ req }) => {
    const { token, source } = await presentedRefreshToken(req);
    try {
      return renewedResponse(req, await refreshSession(token), source === 'body');
    } catch (error) {
      const refused =
        error instanceof Problem && (error.code === 'invalid_refresh_token' || error.code === 'session_ended');
      if (!refused || source !== 'cookie') throw error;
      // A dead refresh cookie is dropped, so the browser stops presenting it.
      return clearingCookies(req, errorResponse(error, req));
    }
  }),
);

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed('/api/auth/refresh');
