// GET /api/auth/sessions — your live sessions; DELETE /api/auth/sessions — sign out everywhere
import { authenticated } from '@/src/auth/authenticated.ts';
import { signedOutResponse } from '@/src/auth/session-response.ts';
import { listSessions, revokeSessionsOrThrow } from '@/src/auth/sessions.ts';
import { methodsNotAllowed } from '@/src/http/handler.ts';

export const runtime = 'edge';
// Runs beside the database, in the project's function region (README: where functions run).
export const preferredRegion = 'home';

export const GET = authenticated('/api/auth/sessions', 'GET', async ({ caller }) =>
  Response.json(await listSessions(caller)),
);

export const DELETE = authenticated('/api/auth/sessions', 'DELETE', async ({ req, caller }) => {
  await revokeSessionsOrThrow(caller);
  return signedOutResponse(req);
});

export const { POST, PUT, PATCH } = methodsNotAllowed('/api/auth/sessions');
