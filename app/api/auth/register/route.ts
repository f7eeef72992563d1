// POST /api/auth/register — create an account with the `user` role and sign it in
import { register } from '@/src/auth/login.ts';
import { registerSchema } from '@/src/auth/schema.ts';
import { sessionCookie } from '@/src/auth/cookie.ts';
import { env } from '@/src/env.ts';
import { readJson } from '@/src/http/body.ts';
import { publicUrl } from '@/src/http/public-url.ts';
import { handler, methodsNotAllowed } from '@/src/http/handler.ts';
import { Problem } from '@/src/http/problem.ts';

export const runtime = 'edge';
// Runs beside the database, in the project's function region (README: where functions run).
export const preferredRegion = 'home';

export const POST = handler(async ({ req }) => {
  if (!env().REGISTRATION_ENABLED) throw new Problem(403, { detail: 'Registration is closed.' });
  const { user, issued } = await register(await readJson(req, registerSchema));
  return Response.json(
    { user, token: issued.token, expiresAt: issued.expiresAt.toISOString() },
    {
      status: 201,
      headers: {
        location: new URL(`/api/users/${user.id}`, publicUrl(req)).href,
        'set-cookie': sessionCookie(req, issued),
        'cache-control': 'no-store',
      },
    },
  );
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed('POST');
