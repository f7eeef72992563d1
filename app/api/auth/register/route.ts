// POST /api/auth/register — create an account with the `user` role and start its session
import { register } from '@/src/auth/login.ts';
import { registerSchema } from '@/src/auth/schema.ts';
import { signedInResponse } from '@/src/auth/session-response.ts';
import { readJson } from '@/src/http/body.ts';
import { methodsNotAllowed, noStore, publicRoute } from '@/src/http/handler.ts';
import { publicUrl } from '@/src/http/public-url.ts';

export const runtime = 'edge';
// Runs beside the database, in the project's function region (README: where functions run).
export const preferredRegion = 'home';

export const POST = noStore(
  publicRoute('/api/auth/register', 'POST', async ({ req }) => {
    const signedIn = await register(await readJson(req, registerSchema), req);
    const location = new URL(`/api/users/${signedIn.user.id}`, publicUrl(req)).href;
    return signedInResponse(req, signedIn, { status: 201, headers: { location } });
  }),
);

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed('/api/auth/register');
