// Using a one-time link: what it is for (the page shows whom), and setting the password with it. The link is
// spent in the statement that sets the password and signs the user out everywhere, so of two at once one wins.
import { hashPassword } from '@/src/auth/password.ts';
import { hashSecret } from '@/src/auth/refresh-token.ts';
import type { SignedIn } from '@/src/auth/login.ts';
import { startSession, userAgentOf } from '@/src/auth/sessions.ts';
import { db } from '@/src/db/client.ts';
import { Problem } from '@/src/http/problem.ts';
import { USER_COLUMNS, type WrittenUserColumns } from '@/src/users/queries.ts';
import { toPublicUser } from '@/src/users/schema.ts';
import { MAX_INVITATION_TOKEN_LENGTH, type AcceptInvitation, type InvitationPurpose } from './schema.ts';

export type InvitationState =
  | { status: 'valid'; name: string; email: string; purpose: InvitationPurpose }
  | { status: 'unknown' | 'expired' | 'used' };

/** Why a link cannot be used, for people: what happened and what to do now. */
export function unusableInvitation(status: Exclude<InvitationState['status'], 'valid'>): Problem {
  switch (status) {
    case 'unknown':
      return new Problem('invitation_not_found', {
        detail:
          'This link is not valid: it may be incomplete, or a newer link has replaced it. Ask an admin for a new one.',
      });
    case 'expired':
      return new Problem('invitation_expired', { detail: 'This link has expired. Ask an admin for a new one.' });
    case 'used':
      return new Problem('invitation_used', {
        detail: 'This link has already been used. Sign in with your password, or ask an admin for a new link.',
      });
  }
}

interface FoundRow {
  name: string;
  email: string;
  purpose: InvitationPurpose;
  used: boolean;
  expired: boolean;
}

/** What a link's token is for, and whether it can still be used. A read: nothing changes. */
export async function findInvitation(token: string): Promise<InvitationState> {
  if (token.length > MAX_INVITATION_TOKEN_LENGTH) return { status: 'unknown' };
  return invitationByHash(await hashSecret(token));
}

async function invitationByHash(tokenHash: string): Promise<InvitationState> {
  const [row] = await db().$queryRaw<FoundRow[]>`
    SELECT u.name, u.email, i.purpose::text AS purpose, i."usedAt" IS NOT NULL AS used,
           i."expiresAt" <= CURRENT_TIMESTAMP AS expired
    FROM invitations i JOIN users u ON u.id = i."userId" WHERE i."tokenHash" = ${tokenHash}`;
  if (!row) return { status: 'unknown' };
  if (row.used) return { status: 'used' };
  if (row.expired) return { status: 'expired' };
  return { status: 'valid', name: row.name, email: row.email, purpose: row.purpose };
}

interface AcceptedRow extends WrittenUserColumns {
  status: InvitationState['status'];
}

/**
 * Sets the password of the user a link is for, and signs them in. The link is checked first (a link that cannot
 * be used costs no password hash), then spent in one statement that also sets the password and revokes every
 * session of the user: a reset signs out whoever else was signed in. The link works once, whatever runs at once.
 */
export async function acceptInvitation({ token, password }: AcceptInvitation, req: Request): Promise<SignedIn> {
  // The schema bounds the token's length as findInvitation does.
  const tokenHash = await hashSecret(token);
  const found = await invitationByHash(tokenHash);
  if (found.status !== 'valid') throw unusableInvitation(found.status);
  const passwordHash = await hashPassword(password);
  const [row] = await db().$queryRaw<AcceptedRow[]>`
    WITH found AS (
      SELECT "expiresAt" <= CURRENT_TIMESTAMP AS expired FROM invitations WHERE "tokenHash" = ${tokenHash}
    ), spent AS (
      UPDATE invitations SET "usedAt" = CURRENT_TIMESTAMP
      WHERE "tokenHash" = ${tokenHash} AND "usedAt" IS NULL AND "expiresAt" > CURRENT_TIMESTAMP
      RETURNING "userId"
    ), changed AS (
      UPDATE users SET "passwordHash" = ${passwordHash}, "updatedAt" = CURRENT_TIMESTAMP
      WHERE id = (SELECT "userId" FROM spent)
      RETURNING ${USER_COLUMNS}
    ), signed_out AS (
      UPDATE sessions SET "revokedAt" = CURRENT_TIMESTAMP
      WHERE "userId" = (SELECT "userId" FROM spent) AND "revokedAt" IS NULL
      RETURNING id
    )
    SELECT CASE WHEN EXISTS (SELECT 1 FROM changed) THEN 'valid'
                WHEN NOT EXISTS (SELECT 1 FROM found) THEN 'unknown'
                WHEN (SELECT expired FROM found) THEN 'expired'
                -- Unused in this statement's snapshot, but spent by a concurrent one it waited for.
                ELSE 'used' END AS status, changed.*
    FROM (SELECT 1) AS one LEFT JOIN changed ON true`;
  if (row!.status !== 'valid') throw unusableInvitation(row!.status as Exclude<InvitationState['status'], 'valid'>);
  const user = row as { [Key in keyof AcceptedRow]: NonNullable<AcceptedRow[Key]> };
  return { user: toPublicUser(user), tokens: await startSession(user, { userAgent: userAgentOf(req) }) };
}
