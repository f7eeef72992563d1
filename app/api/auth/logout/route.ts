// POST /api/auth/logout — revoke this session and clear its cookies (public, so an expired session can still sign out)
import { sessionToEnd } from '@/src/auth/renewal.ts';
import { signedOutResponse } from '@/src/auth/session-response.ts';
import { revokeNamedSession } from '@/src/auth/sessions.ts';
import { methodsNotAllowed, noStore, publicRoute } from '@/src/http/handler.ts';

export const runtime = 'edge';
// Runs beside the database, in the project's function region (README: where functions run).
export const preferredRegion = 'home';

export const POST = noStore(
  publicRoute('/api/auth/logout', 'POST', async ({ req }) => {
    await revokeNamedSession(await sessionToEnd(req));
    return signedOutResponse(req);
  }),
);

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed('/api/auth/logout');
