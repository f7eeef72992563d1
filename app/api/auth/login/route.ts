// POST /api/auth/login — exchange email and password for a session: access and refresh tokens, and their cookies
import { logIn } from '@/src/auth/login.ts';
import { loginSchema } from '@/src/auth/schema.ts';
import { sessionResponse } from '@/src/auth/session-response.ts';
import { readJson } from '@/src/http/body.ts';
import { handler, methodsNotAllowed, noStore } from '@/src/http/handler.ts';

export const runtime = 'edge';
// Runs beside the database, in the project's function region (README: where functions run).
export const preferredRegion = 'home';

export const POST = noStore(
  handler(async ({ req }) => {
    const { user, tokens } = await logIn(await readJson(req, loginSchema), req);
    return sessionResponse(req, tokens, { user });
  }),
);

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed('POST');
