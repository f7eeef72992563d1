// Tokens for test identities, minted with the app's own signer: bare tokens for reads and gates, and real
// signed-in users (a row and a live session in this file's database) for writes, which the database authorises.
import { startSession } from '@/src/auth/sessions.ts';
import { issueToken, type Identity } from '@/src/auth/tokens.ts';
import { db } from '@/src/db/client.ts';
import type { Role } from '@/src/users/schema.ts';
import { uniqueEmail } from '../requests.ts';

/** A token for an identity that need not exist: enough for the middleware and for reads, refused by writes. */
export async function tokenFor(identity: Identity): Promise<string> {
  return (await issueToken({ sessionId: crypto.randomUUID(), ...identity })).token;
}

export interface SignedInUser {
  id: number;
  role: Role;
  sessionId: string;
  token: string;
  refreshToken: string;
}

/** A user in the database with a live session, as signing in would leave them. */
export async function signedInUser(role: Role = 'user'): Promise<SignedInUser> {
  const user = await db().user.create({ data: { name: `Test ${role}`, email: uniqueEmail(role), role } });
  const tokens = await startSession(user);
  return {
    id: user.id,
    role,
    sessionId: tokens.sessionId,
    token: tokens.access.token,
    refreshToken: tokens.refresh!.token,
  };
}

/** The access token of a new signed-in admin of this file's database. */
export const adminToken = async () => (await signedInUser('admin')).token;
