// POST /api/auth/password — change your password: every session of yours is signed out, and this client gets a new one
import { authenticated } from '@/src/auth/authenticated.ts';
import { changePassword } from '@/src/auth/login.ts';
import { changePasswordSchema } from '@/src/auth/schema.ts';
import { sessionResponse } from '@/src/auth/session-response.ts';
import { readJson } from '@/src/http/body.ts';
import { methodsNotAllowed } from '@/src/http/handler.ts';

export const runtime = 'edge';
// Runs beside the database, in the project's function region (README: where functions run).
export const preferredRegion = 'home';

export const POST = authenticated(async ({ req, user }) => {
  const { user: changed, tokens } = await changePassword(user, await readJson(req, changePasswordSchema), req);
  return sessionResponse(req, tokens, { user: changed });
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed('POST');
