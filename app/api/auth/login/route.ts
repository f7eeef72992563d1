// POST /api/auth/login — exchange email and password for a token and the session cookie
import { logIn } from '@/src/auth/login.ts';
import { loginSchema } from '@/src/auth/schema.ts';
import { sessionCookie } from '@/src/auth/cookie.ts';
import { readJson } from '@/src/http/body.ts';
import { handler, methodsNotAllowed } from '@/src/http/handler.ts';

export const runtime = 'edge';
// Runs beside the database, in the project's function region (README: where functions run).
export const preferredRegion = 'home';

export const POST = handler(async ({ req }) => {
  const { user, issued } = await logIn(await readJson(req, loginSchema));
  return Response.json(
    { user, token: issued.token, expiresAt: issued.expiresAt.toISOString() },
    { headers: { 'set-cookie': sessionCookie(req, issued), 'cache-control': 'no-store' } },
  );
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed('POST');
