// POST /api/auth/logout — revoke this session and clear its cookies (public, so an expired session can still sign out)
import { sessionCookies } from '@/src/auth/cookie.ts';
import { sessionToEnd } from '@/src/auth/renewal.ts';
import { NO_STORE } from '@/src/auth/session-response.ts';
import { revokeRefreshedSession, revokeSession } from '@/src/auth/sessions.ts';
import { handler, methodsNotAllowed, noStore } from '@/src/http/handler.ts';

export const runtime = 'edge';
// Runs beside the database, in the project's function region (README: where functions run).
export const preferredRegion = 'home';

export const POST = noStore(
  handler(async ({ req }) => {
    const { identity, refresh } = await sessionToEnd(req);
    if (identity?.sessionId) await revokeSession(identity.id, identity.sessionId);
    else if (refresh) await revokeRefreshedSession(refresh.sessionId);
    const response = new Response(null, { status: 204, headers: NO_STORE });
    for (const cookie of sessionCookies(req, 'clear')) response.headers.append('set-cookie', cookie);
    return response;
  }),
);

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed('POST');
