// POST /api/auth/register — create an account with the `user` role and start its session
import { register } from '@/src/auth/login.ts';
import { registerSchema } from '@/src/auth/schema.ts';
import { sessionResponse } from '@/src/auth/session-response.ts';
import { readJson } from '@/src/http/body.ts';
import { publicUrl } from '@/src/http/public-url.ts';
import { handler, methodsNotAllowed, noStore } from '@/src/http/handler.ts';

export const runtime = 'edge';
// Runs beside the database, in the project's function region (README: where functions run).
export const preferredRegion = 'home';

export const POST = noStore(
  handler(async ({ req }) => {
    const { user, tokens } = await register(await readJson(req, registerSchema), req);
    const location = new URL(`/api/users/${user.id}`, publicUrl(req)).href;
    return sessionResponse(req, tokens, { user, status: 201, headers: { location } });
  }),
);

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed('POST');
