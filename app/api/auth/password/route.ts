// POST /api/auth/password — change your password: every session of yours is signed out, and this client gets a new one
import { authenticated } from '@/src/auth/authenticated.ts';
import { changePassword } from '@/src/auth/login.ts';
import { changePasswordSchema } from '@/src/auth/schema.ts';
import { signedInResponse } from '@/src/auth/session-response.ts';
import { readJson } from '@/src/http/body.ts';
import { methodsNotAllowed } from '@/src/http/handler.ts';

export const runtime = 'edge';
// Runs beside the database, in the project's function region (README: where functions run).
export const preferredRegion = 'home';

export const POST = authenticated('/api/auth/password', 'POST', async ({ req, caller }) =>
  signedInResponse(req, await changePassword(caller, await readJson(req, changePasswordSchema), req)),
);

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed('/api/auth/password');
