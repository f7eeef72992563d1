// POST /api/auth/login — exchange email and password for a session: access and refresh tokens, and their cookies
import { logIn } from '@/src/auth/login.ts';
import { loginSchema } from '@/src/auth/schema.ts';
import { signedInResponse } from '@/src/auth/session-response.ts';
import { readJson } from '@/src/http/body.ts';
import { methodsNotAllowed, noStore, publicRoute } from '@/src/http/handler.ts';

export const runtime = 'edge';
// Runs beside the database, in the project's function region (README: where functions run).
export const preferredRegion = 'home';

export const POST = noStore(
  publicRoute('/api/auth/login', 'POST', async ({ req }) =>
    signedInResponse(req, await logIn(await readJson(req, loginSchema), req)),
  ),
);

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed('/api/auth/login');
