// The caller as the database sees it now, as a CTE that writes join in the same statement: the token says
// who signed in; whether they still exist, still hold their role and still have a live session is decided here.
import { Prisma } from '#prisma/client';
import { invalidToken, type Identity } from './tokens.ts';

/**
 * `caller(id, role)`: one row while the user exists and (for our own tokens) the session is neither revoked
 * nor expired; no row otherwise. An identity provider's token has no session of ours: its user must exist.
 */
export function callerCte({ id, sessionId }: Identity): Prisma.Sql {
  const live = sessionId
    ? Prisma.sql`AND EXISTS (SELECT 1 FROM sessions s WHERE s.id = ${sessionId}::uuid AND s."userId" = u.id
        AND s."revokedAt" IS NULL AND s."expiresAt" > CURRENT_TIMESTAMP)`
    : Prisma.empty;
  return Prisma.sql`caller AS (SELECT u.id, u.role::text AS role FROM users u WHERE u.id = ${id} ${live})`;
}

/** The write's caller is gone, demoted to nothing, or signed out: the token alone no longer counts. */
export const sessionEnded = () =>
  invalidToken(
    'This session has been signed out or has expired, or the account no longer exists; sign in again.',
    'session_ended',
  );
