// GET, PATCH, DELETE /api/users/:id — one user (read: signed in; change: that user or an admin, checked in the database)
import { authenticated } from '@/src/auth/authenticated.ts';
import { readJson } from '@/src/http/body.ts';
import { methodsNotAllowed } from '@/src/http/handler.ts';
import { readId } from '@/src/http/id.ts';
import { deleteUserOrThrowAs, findUserOrThrow, updateUserOrThrowAs } from '@/src/users/queries.ts';
import { toPublicUser, updateUserSchema } from '@/src/users/schema.ts';

export const runtime = 'edge';
// Runs beside the database, in the project's function region (README: where functions run).
export const preferredRegion = 'home';

export const GET = authenticated('/api/users/[id]', 'GET', async ({ params }) =>
  Response.json(toPublicUser(await findUserOrThrow(readId(params.id)))),
);

export const PATCH = authenticated('/api/users/[id]', 'PATCH', async ({ req, params, caller }) => {
  const id = readId(params.id);
  const change = await readJson(req, updateUserSchema);
  return Response.json(toPublicUser(await updateUserOrThrowAs(caller, id, change)));
});

export const DELETE = authenticated('/api/users/[id]', 'DELETE', async ({ params, caller }) => {
  await deleteUserOrThrowAs(caller, readId(params.id));
  return new Response(null, { status: 204 });
});

export const { POST, PUT } = methodsNotAllowed('/api/users/[id]');
