// GET, PATCH, DELETE /api/users/:id — one user
import { readJson } from '@/src/http/body.ts';
import { handler, methodsNotAllowed } from '@/src/http/handler.ts';
import { readId } from '@/src/http/id.ts';
import { deleteUserOrThrow, findUserOrThrow, updateUserOrThrow } from '@/src/users/queries.ts';
import { toPublicUser, updateUserSchema } from '@/src/users/schema.ts';

export const runtime = 'edge';

export const GET = handler(async ({ params }) => {
  const user = await findUserOrThrow(readId(params.id));
  return Response.json(toPublicUser(user));
});

export const PATCH = handler(async ({ req, params }) => {
  const id = readId(params.id);
  const input = await readJson(req, updateUserSchema);
  return Response.json(toPublicUser(await updateUserOrThrow(id, input)));
});

export const DELETE = handler(async ({ params }) => {
  await deleteUserOrThrow(readId(params.id));
  return new Response(null, { status: 204 });
});

export const { POST, PUT } = methodsNotAllowed('GET', 'PATCH', 'DELETE');
