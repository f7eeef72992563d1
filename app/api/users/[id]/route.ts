// GET, PATCH, DELETE /api/users/:id — one user (read: signed in; change: that user or an admin, checked in the database)
import { assertAdmin, assertMayChangeUser } from '@/src/auth/guards.ts';
import { readJson } from '@/src/http/body.ts';
import { authenticated } from '@/src/auth/authenticated.ts';
import { methodsNotAllowed } from '@/src/http/handler.ts';
import { readId } from '@/src/http/id.ts';
import { deleteUserOrThrowAs, findUserOrThrow, updateUserOrThrowAs } from '@/src/users/queries.ts';
import { toPublicUser, updateUserSchema } from '@/src/users/schema.ts';

export const runtime = 'edge';
// Runs beside the database, in the project's function region (README: where functions run).
export const preferredRegion = 'home';

export const GET = authenticated(async ({ params }) => {
  const user = await findUserOrThrow(readId(params.id));
  return Response.json(toPublicUser(user));
});

export const PATCH = authenticated(async ({ req, params, user }) => {
  const id = readId(params.id);
  assertMayChangeUser(user, id);
  const change = await readJson(req, updateUserSchema);
  if (change.role !== undefined) assertAdmin(user, 'Only an admin may change a role.');
  return Response.json(toPublicUser(await updateUserOrThrowAs(user, id, change)));
});

export const DELETE = authenticated(async ({ params, user }) => {
  const id = readId(params.id);
  assertMayChangeUser(user, id);
  await deleteUserOrThrowAs(user, id);
  return new Response(null, { status: 204 });
});

export const { POST, PUT } = methodsNotAllowed('GET', 'PATCH', 'DELETE');
