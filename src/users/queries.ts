// Data access for users: one database round trip each, no interactive transactions (PrismaNeonHttp has none).
import { db } from '@/src/db/client.ts';
import { isRecordNotFound, isUniqueViolation } from '@/src/db/errors.ts';
import { Problem } from '@/src/http/problem.ts';
import type { PageQuery } from '@/src/http/pagination.ts';
import type { CreateUser, UpdateUser } from './schema.ts';

const notFound = () => new Problem(404, { detail: 'No such user.' });
const emailTaken = () => new Problem(409, { detail: 'A user with this email already exists.' });

/** Rethrows the database's "no row" and "duplicate email" as the problems they mean to a client. */
function explain(error: unknown): never {
  if (isRecordNotFound(error)) throw notFound();
  if (isUniqueViolation(error)) throw emailTaken();
  throw error;
}

/** One more row than the page holds, so the caller knows whether a next page exists without counting. */
export function listUsers({ limit, cursor }: PageQuery) {
  return db().user.findMany({
    where: cursor === undefined ? undefined : { id: { gt: cursor } },
    orderBy: { id: 'asc' },
    take: limit + 1,
  });
}

/** The hash is set only by sign-up; the API's create takes no password. */
export function createUserOrThrow(data: CreateUser & { passwordHash?: string }) {
  return db().user.create({ data }).catch(explain);
}

export async function findUserOrThrow(id: number) {
  const user = await db().user.findUnique({ where: { id } });
  if (!user) throw notFound();
  return user;
}

export function updateUserOrThrow(id: number, data: UpdateUser) {
  return db().user.update({ where: { id }, data }).catch(explain);
}

export function deleteUserOrThrow(id: number) {
  return db()
    .user.delete({ where: { id }, select: { id: true } })
    .catch(explain);
}
