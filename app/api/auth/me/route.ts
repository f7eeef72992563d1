// GET /api/auth/me — the signed-in user
import { authenticated } from '@/src/auth/authenticated.ts';
import { methodsNotAllowed } from '@/src/http/handler.ts';
import { findUserOrThrow } from '@/src/users/queries.ts';
import { toPublicUser } from '@/src/users/schema.ts';

export const runtime = 'edge';
// Runs beside the database, in the project's function region (README: where functions run).
export const preferredRegion = 'home';

export const GET = authenticated('/api/auth/me', 'GET', async ({ caller }) =>
  Response.json(toPublicUser(await findUserOrThrow(caller.id))),
);

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed('/api/auth/me');
