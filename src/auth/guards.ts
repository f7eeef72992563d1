// Who may do what, as the token says: the declared access of a route (src/http/access.ts) enforced early, at no
// database round trip. The database decides again in each write (src/users/queries.ts), from the caller's current
// role and session.
import * as z from 'zod/mini';
import type { Access } from '@/src/http/access.ts';
import { Problem } from '@/src/http/problem.ts';
import { idSchema } from '@/src/users/schema.ts';
import type { Identity } from './tokens.ts';

export function assertAdmin(caller: Identity, detail = 'Only an admin may do this.'): void {
  if (caller.role !== 'admin') throw new Problem('not_allowed', { detail });
}

/**
 * The route's `[id]` as a user id, or the 400 problem the route itself (readId, src/http/id.ts) gives: the id
 * schema words every refusal of a path segment itself, so this needs no error map, and every route that only
 * authenticates stays without src/http/validation.ts.
 */
function ownerId(raw: unknown): number {
  const parsed = z.safeParse(idSchema, raw);
  if (parsed.success) return parsed.data;
  const errors = parsed.error.issues.map(({ message }) => ({ field: 'id', message }));
  throw new Problem('validation_failed', { detail: 'The request path is invalid.', errors });
}

/** Refuses a signed-in caller the declared access does not admit; `owner-or-admin` reads the route's `[id]`. */
export function authorize(access: Exclude<Access, 'public'>, caller: Identity, params: { id?: unknown }): void {
  if (access === 'admin') assertAdmin(caller);
  if (access === 'owner-or-admin' && caller.role !== 'admin' && caller.id !== ownerId(params.id)) {
    throw new Problem('not_allowed', { detail: "Only an admin may change another user's record." });
  }
}
