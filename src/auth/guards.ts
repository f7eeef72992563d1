// Who may do what, as the token says: the declared access of a route (src/http/access.ts) enforced early, at no
// database round trip. The database decides again in each write (src/users/queries.ts), from the caller's current
// role and session.
import type { Access } from '@/src/http/access.ts';
import { readId } from '@/src/http/id.ts';
import { Problem } from '@/src/http/problem.ts';
import type { Identity } from './tokens.ts';

export function assertAdmin(caller: Identity, detail = 'Only an admin may do this.'): void {
  if (caller.role !== 'admin') throw new Problem('not_allowed', { detail });
}

/** Refuses a signed-in caller the declared access does not admit; `owner-or-admin` reads the route's `[id]`. */
export function authorize(access: Exclude<Access, 'public'>, caller: Identity, params: { id?: unknown }): void {
  if (access === 'admin') assertAdmin(caller);
  if (access === 'owner-or-admin' && caller.role !== 'admin' && caller.id !== readId(params.id)) {
    throw new Problem('not_allowed', { detail: "Only an admin may change another user's record." });
  }
}
