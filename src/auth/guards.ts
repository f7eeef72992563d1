// Who may do what to users, as the token says: an early refusal that costs no database round trip. The
// database decides again in the write itself (src/users/queries.ts), from the caller's current role and session.
import { Problem } from '@/src/http/problem.ts';
import type { Identity } from './tokens.ts';

export function assertAdmin(identity: Identity, detail = 'Only an admin may do this.'): void {
  if (identity.role !== 'admin') throw new Problem(403, { detail });
}

/** Anyone may change their own record; an admin any record. */
export function assertMayChangeUser(identity: Identity, id: number): void {
  if (identity.role !== 'admin' && identity.id !== id) {
    throw new Problem(403, { detail: "Only an admin may change another user's record." });
  }
}
