// GET /api/users — a page of users by id; POST /api/users — create one
import { readJson } from '@/src/http/body.ts';
import { handler, methodsNotAllowed } from '@/src/http/handler.ts';
import { page, readPageQuery } from '@/src/http/pagination.ts';
import { createUserOrThrow, listUsers } from '@/src/users/queries.ts';
import { createUserSchema, toPublicUser } from '@/src/users/schema.ts';

export const runtime = 'edge';

export const GET = handler(async ({ req }) => {
  const url = new URL(req.url);
  const query = readPageQuery(url);
  const { items, link } = page(url, await listUsers(query), query);
  return Response.json(items.map(toPublicUser), { headers: link ? { link } : {} });
});

export const POST = handler(async ({ req }) => {
  const input = await readJson(req, createUserSchema);
  const user = await createUserOrThrow(input);
  const location = new URL(`/api/users/${user.id}`, req.url).href;
  return Response.json(toPublicUser(user), { status: 201, headers: { location } });
});

export const { PUT, PATCH, DELETE } = methodsNotAllowed('GET', 'POST');
