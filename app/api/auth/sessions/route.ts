// GET /api/auth/sessions — your live sessions; DELETE /api/auth/sessions — sign out everywhere
import { authenticated } from '@/src/auth/authenticated.ts';
import { signedOutResponse } from '@/src/auth/session-response.ts';
import { listSessions, revokeSessionsOrThrow } from '@/src/auth/sessions.ts';
import { methodsNotAllowed } from '@/src/http/handler.ts';

export const runtime = 'edge';
// Runs beside the database, in the project's function region (README: where functions run).
export const preferredRegion = 'home';

export const GET = authenticated(async ({ user }) => Response.json(await listSessions(user)));

export const DELETE = authenticated(async ({ req, user }) => {
  await revokeSessionsOrThrow(user);
  return signedOutResponse(req);
});

export const { POST, PUT, PATCH } = methodsNotAllowed('GET', 'DELETE');
