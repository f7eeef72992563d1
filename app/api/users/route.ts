// GET /api/users — a page of users by id, optionally searched (signed in); POST /api/users — create one (admin)
import { authenticated } from '@/src/auth/authenticated.ts';
import { readJson } from '@/src/http/body.ts';
import { methodsNotAllowed } from '@/src/http/handler.ts';
import { page } from '@/src/http/pagination.ts';
import { publicUrl } from '@/src/http/public-url.ts';
import { createUserWithInvitationOrThrowAs } from '@/src/invitations/issue.ts';
import { listUsers } from '@/src/users/queries.ts';
import { createUserSchema, toPublicUser } from '@/src/users/schema.ts';
import { readUsersQuery } from '@/src/users/search.ts';

export const runtime = 'edge';
// Runs beside the database, in the project's function region (README: where functions run).
export const preferredRegion = 'home';

export const GET = authenticated('/api/users', 'GET', async ({ req }) => {
  const url = publicUrl(req);
  const query = readUsersQuery(url);
  const { items, link } = page(url, await listUsers(query), query);
  return Response.json(items.map(toPublicUser), { headers: link ? { link } : {} });
});

export const POST = authenticated('/api/users', 'POST', async ({ req, caller }) => {
  const created = await createUserWithInvitationOrThrowAs(caller, await readJson(req, createUserSchema), req);
  const location = new URL(`/api/users/${created.user.id}`, publicUrl(req)).href;
  return Response.json({ ...created.user, invitation: created.invitation }, { status: 201, headers: { location } });
});

export const { PUT, PATCH, DELETE } = methodsNotAllowed('/api/users');
