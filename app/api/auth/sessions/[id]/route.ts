// DELETE /api/auth/sessions/:id — sign one of your sessions out
import { authenticated } from '@/src/auth/authenticated.ts';
import { revokeSessionsOrThrow } from '@/src/auth/sessions.ts';
import { isSessionId } from '@/src/auth/tokens.ts';
import { methodsNotAllowed } from '@/src/http/handler.ts';
import { Problem } from '@/src/http/problem.ts';

export const runtime = 'edge';
// Runs beside the database, in the project's function region (README: where functions run).
export const preferredRegion = 'home';

export const DELETE = authenticated('/api/auth/sessions/[id]', 'DELETE', async ({ params, caller }) => {
  if (!isSessionId(params.id)) throw new Problem('validation_failed', { detail: 'A session id is a lower-case UUID.' });
  await revokeSessionsOrThrow(caller, params.id);
  return new Response(null, { status: 204 });
});

export const { GET, POST, PUT, PATCH } = methodsNotAllowed('/api/auth/sessions/[id]');
