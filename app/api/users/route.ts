// GET /api/users — a page of users by id (signed in); POST /api/users — create one (admin)
import { authenticated } from '@/src/auth/authenticated.ts';
import { readJson } from '@/src/http/body.ts';
import { methodsNotAllowed } from '@/src/http/handler.ts';
import { page, readPageQuery } from '@/src/http/pagination.ts';
import { publicUrl } from '@/src/http/public-url.ts';
import { createUserOrThrowAs, listUsers } from '@/src/users/queries.ts';
import { createUserSchema, toPublicUser } from '@/src/users/schema.ts';

export const runtime = 'edge';
// Runs beside the database, in the project's function region (README: where functions run).
export const preferredRegion = 'home';

export const GET = authenticated('/api/users', 'GET', async ({ req }) => {
  const url = publicUrl(req);
  const query = readPageQuery(url);
  const { items, link } = page(url, await listUsers(query), query);
  return Response.json(items.map(toPublicUser), { headers: link ? { link } : {} });
});

export const POST = authenticated('/api/users', 'POST', async ({ req, caller }) => {
  const created = await createUserOrThrowAs(caller, await readJson(req, createUserSchema));
  const location = new URL(`/api/users/${created.id}`, publicUrl(req)).href;
  return Response.json(toPublicUser(created), { status: 201, headers: { location } });
});

export const { PUT, PATCH, DELETE } = methodsNotAllowed('/api/users');
