// Data access for users: one database round trip each, no interactive transactions (PrismaNeonHttp has none).
// Reads trust the short-lived access token; every write checks its caller in the same SQL statement.
import { callerCte, sessionEnded } from '@/src/auth/authority.ts';
import type { Identity } from '@/src/auth/tokens.ts';
import { db } from '@/src/db/client.ts';
import { isRecordNotFound, isUniqueViolation } from '@/src/db/errors.ts';
import { Prisma } from '#prisma/client';
import { Problem } from '@/src/http/problem.ts';
import type { InvitationPurpose } from '@/src/invitations/schema.ts';
import type { CreateUser, Role, UpdateUser, UserRecord } from './schema.ts';
import type { UsersQuery } from './search.ts';

const notFound = () => new Problem('user_not_found', { detail: 'No such user.' });
const emailTaken = () => new Problem('email_taken', { detail: 'A user with this email already exists.' });

/** Rethrows the database's "no row" and "duplicate email" as the problems they mean to a client. */
function explain(error: unknown): never {
  if (isRecordNotFound(error)) throw notFound();
  if (isUniqueViolation(error)) throw emailTaken();
  throw error;
}

/** A listed user, with what the admin page shows of their sign-in state (the API leaves it out). */
export interface ListedUser extends UserRecord {
  hasPassword: boolean;
  /** When the user's unused one-time link stops working; null when none is pending. */
  linkExpiresAt: Date | null;
}

/** `term` as a LIKE pattern that finds it anywhere: `%`, `_` and `\` in it match themselves. */
const containing = (term: string) => `%${term.replace(/[\\%_]/g, '\\$&')}%`;

/**
 * A page of users by id, with one more row than the page holds, so the caller knows whether a next page exists
 * without counting. With `q`, only users whose name or email contains it, in any case: ILIKE on each column,
 * which their trigram indexes serve (prisma/schema.prisma). One statement, their pending link joined in.
 */
export function listUsers({ limit, cursor, q }: UsersQuery): Promise<ListedUser[]> {
  const pattern = q === undefined ? undefined : containing(q);
  return db().$queryRaw<ListedUser[]>`
    SELECT users.id, users.name, users.email, users.role::text AS role, users."createdAt", users."updatedAt",
           users."passwordHash" IS NOT NULL AS "hasPassword",
           CASE WHEN invitations."usedAt" IS NULL THEN invitations."expiresAt" END AS "linkExpiresAt"
    FROM users LEFT JOIN invitations ON invitations."userId" = users.id
    WHERE ${cursor === undefined ? Prisma.sql`true` : Prisma.sql`users.id > ${cursor}`}
      ${pattern === undefined ? Prisma.empty : Prisma.sql`AND (users.name ILIKE ${pattern} OR users.email ILIKE ${pattern})`}
    ORDER BY users.id
    LIMIT ${limit + 1}`;
}

/** Sign-up's insert: the caller is the new user, so there is no one to authorise. */
export function createUserOrThrow(data: CreateUser & { passwordHash?: string }) {
  return db().user.create({ data }).catch(explain);
}

export async function findUserOrThrow(id: number) {
  const [user] = await db().$queryRaw<PublicColumns[]>`SELECT ${USER_COLUMNS} FROM users WHERE id = ${id}`;
  if (!user) throw notFound();
  return user;
}

/** What an authorised write decided, and the row it wrote (absent unless `ok`). */
type Outcome = 'ok' | 'unauthenticated' | 'forbidden' | 'not_found' | 'last_admin';

/** A user's public columns as a statement that may have written no row returns them: all null then. */
export interface WrittenUserColumns {
  id: number | null;
  name: string | null;
  email: string | null;
  role: Role | null;
  createdAt: Date | null;
  updatedAt: Date | null;
}

/** A user's public columns, read from a row that exists. */
type PublicColumns = { [Column in keyof WrittenUserColumns]: NonNullable<WrittenUserColumns[Column]> };

interface UserRow extends WrittenUserColumns {
  outcome: Outcome;
}

/** Those columns, for a RETURNING or SELECT list. */
export const USER_COLUMNS = Prisma.sql`id, name, email, role::text AS role, "createdAt", "updatedAt"`;

function settle<Row extends { outcome: Outcome }>(row: Row | undefined, forbidden: string) {
  switch (row?.outcome) {
    case 'ok':
      return row as { [Key in keyof Row]: NonNullable<Row[Key]> };
    case 'unauthenticated':
      throw sessionEnded();
    case 'forbidden':
      throw new Problem('not_allowed', { detail: forbidden });
    case 'not_found':
      throw notFound();
    case 'last_admin':
      throw new Problem('last_admin', { detail: 'This is the last admin; make another user an admin first.' });
    default:
      throw new Error(`Unexpected write outcome ${String(row?.outcome)}`);
  }
}

/**
 * Admins, locked in id order, for writes that can take one away: two admins demoting or deleting each other
 * at once are serialised, and the second sees what the first did (READ COMMITTED rechecks locked rows).
 */
const lockedAdmins = (lock: boolean) =>
  Prisma.sql`admins AS (SELECT id FROM users WHERE role = 'admin' AND ${lock} ORDER BY id FOR UPDATE)`;

/**
 * `target` and `verdict`: who may act (`allowed`, over the caller's row), whether the target exists, and whether
 * the write would take away the last admin (`removesAdmin`, judged from the locked `admins`).
 */
function verdictCte(id: number, allowed: Prisma.Sql, removesAdmin: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`target AS (SELECT id, role FROM users WHERE id = ${id}),
    verdict AS (
      SELECT CASE
        WHEN NOT EXISTS (SELECT 1 FROM caller) THEN 'unauthenticated'
        WHEN NOT EXISTS (SELECT 1 FROM caller WHERE ${allowed}) THEN 'forbidden'
        WHEN NOT EXISTS (SELECT 1 FROM target) THEN 'not_found'
        WHEN ${removesAdmin} AND EXISTS (SELECT 1 FROM target WHERE role = 'admin')
             AND NOT EXISTS (SELECT 1 FROM admins WHERE id <> ${id}) THEN 'last_admin'
        ELSE 'ok' END AS outcome
    )`;
}

/** A new one-time link's token hash and lifetime, stored with the user it is for. */
export interface NewInvitation {
  tokenHash: string;
  ttlSeconds: number;
}

/** POST /api/users: the caller must still be a signed-in admin. The new user's invitation is stored alongside. */
export async function createUserOrThrowAs(caller: Identity, data: CreateUser, invitation: NewInvitation) {
  const rows = await db().$queryRaw<(UserRow & { invitationExpiresAt: Date | null })[]>`
      WITH ${callerCte(caller)}, created AS (
        INSERT INTO users (name, email, role, "updatedAt")
        SELECT ${data.name}, ${data.email}, COALESCE(${data.role ?? null}::"Role", 'user'), CURRENT_TIMESTAMP
        FROM caller WHERE caller.role = 'admin'
        RETURNING ${USER_COLUMNS}
      ), invited AS (
        INSERT INTO invitations ("userId", purpose, "tokenHash", "expiresAt")
        SELECT id, 'invitation', ${invitation.tokenHash},
               CURRENT_TIMESTAMP + make_interval(secs => ${invitation.ttlSeconds})
        FROM created
        RETURNING "expiresAt"
      )
      SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM caller) THEN 'unauthenticated'
                  WHEN NOT EXISTS (SELECT 1 FROM created) THEN 'forbidden' ELSE 'ok' END AS outcome, created.*,
             (SELECT "expiresAt" FROM invited) AS "invitationExpiresAt"
      FROM (SELECT 1) AS one LEFT JOIN created ON true`.catch(explain);
  return settle(rows[0], 'Only an admin may do this.');
}

interface InvitationRow {
  outcome: Outcome;
  name: string | null;
  email: string | null;
  purpose: InvitationPurpose | null;
  expiresAt: Date | null;
}

/**
 * `issued`: a new one-time link for the user `where` selects, replacing any earlier one (a user has one link at a
 * time, so the old one stops working in this statement). The link invites a user who has no password yet, and
 * resets the password of one who has.
 */
function issuedCte(where: Prisma.Sql, invitation: NewInvitation): Prisma.Sql {
  return Prisma.sql`issued AS (
      INSERT INTO invitations ("userId", purpose, "tokenHash", "expiresAt")
      SELECT id, CASE WHEN "passwordHash" IS NULL THEN 'invitation' ELSE 'password_reset' END::"InvitationPurpose",
             ${invitation.tokenHash}, CURRENT_TIMESTAMP + make_interval(secs => ${invitation.ttlSeconds})
      -- Locked: a user deleted since this statement's snapshot yields no row here rather than a foreign-key error.
      FROM users WHERE ${where} FOR KEY SHARE
      ON CONFLICT ("userId") DO UPDATE SET purpose = EXCLUDED.purpose, "tokenHash" = EXCLUDED."tokenHash",
        "createdAt" = CURRENT_TIMESTAMP, "expiresAt" = EXCLUDED."expiresAt", "usedAt" = NULL
      RETURNING "userId", purpose::text AS purpose, "expiresAt"
    )`;
}

/** POST /api/users/:id/invitation: an admin (still signed in) issues the user a new one-time link (`issuedCte`). */
export async function replaceInvitationOrThrowAs(caller: Identity, id: number, invitation: NewInvitation) {
  const rows = await db().$queryRaw<InvitationRow[]>`
    WITH ${callerCte(caller)}, ${lockedAdmins(false)},
    ${verdictCte(id, Prisma.sql`caller.role = 'admin'`, Prisma.sql`false`)},
    ${issuedCte(Prisma.sql`id = ${id} AND (SELECT outcome FROM verdict) = 'ok'`, invitation)}
    SELECT CASE WHEN verdict.outcome = 'ok' AND NOT EXISTS (SELECT 1 FROM issued) THEN 'not_found'
                ELSE verdict.outcome END AS outcome, users.name, users.email, issued.purpose, issued."expiresAt"
    FROM verdict LEFT JOIN issued ON true LEFT JOIN users ON users.id = issued."userId"`;
  return settle(rows[0], 'Only an admin may issue sign-in links.');
}

/**
 * POST /api/auth/password-reset: a new one-time link for whoever has this email (`issuedCte`), or null when nobody
 * has it. One statement either way, so both cost the same round trip.
 */
export async function replaceInvitationForEmail(email: string, invitation: NewInvitation) {
  const [row] = await db().$queryRaw<{ name: string; email: string; purpose: InvitationPurpose; expiresAt: Date }[]>`
    WITH ${issuedCte(Prisma.sql`email = ${email}`, invitation)}
    SELECT users.name, users.email, issued.purpose, issued."expiresAt"
    FROM issued JOIN users ON users.id = issued."userId"`;
  return row ?? null;
}

/**
 * PATCH /api/users/:id: the caller (still signed in) changes their own name or email, or is an admin; only an
 * admin changes a role, never their own, and never the last admin's. A role change signs the user out everywhere.
 */
export async function updateUserOrThrowAs(caller: Identity, id: number, change: UpdateUser) {
  // Refused by what the token says, before any round trip; the statement below decides again from the database.
  if (change.role !== undefined && caller.role !== 'admin') {
    throw new Problem('not_allowed', { detail: 'Only an admin may change a role.' });
  }
  if (change.role !== undefined && caller.id === id) {
    throw new Problem('not_allowed', { detail: 'Nobody may change their own role.' });
  }
  const role = change.role ?? null;
  const demotes = role === 'user';
  const rows = await db().$queryRaw<UserRow[]>`
      WITH ${callerCte(caller)}, ${lockedAdmins(demotes)},
      ${verdictCte(
        id,
        Prisma.sql`(caller.role = 'admin' AND (NOT ${demotes} OR caller.id IN (SELECT id FROM admins)))
                   OR (caller.id = ${id} AND ${role}::"Role" IS NULL)`,
        Prisma.sql`${demotes}`,
      )},
      updated AS (
        UPDATE users SET
          name = COALESCE(${change.name ?? null}, name),
          email = COALESCE(${change.email ?? null}, email),
          role = COALESCE(${role}::"Role", role),
          "updatedAt" = CURRENT_TIMESTAMP
        WHERE id = ${id} AND (SELECT outcome FROM verdict) = 'ok'
        RETURNING ${USER_COLUMNS}
      ),
      -- Runs whether or not the query reads it, as every data-modifying WITH does.
      signed_out AS (
        UPDATE sessions SET "revokedAt" = CURRENT_TIMESTAMP
        WHERE "userId" = ${id} AND "revokedAt" IS NULL AND (SELECT outcome FROM verdict) = 'ok'
          AND EXISTS (SELECT 1 FROM target WHERE role <> ${role}::"Role")
        RETURNING id
      )
      SELECT verdict.outcome, updated.* FROM verdict LEFT JOIN updated ON true`.catch(explain);
  return settle(
    rows[0],
    change.role !== undefined ? 'Only an admin may change a role.' : "Only an admin may change another user's record.",
  );
}

/** DELETE /api/users/:id: the caller (still signed in) deletes themselves or is an admin; never the last admin. */
export async function deleteUserOrThrowAs(caller: Identity, id: number): Promise<void> {
  const rows = await db().$queryRaw<UserRow[]>`
    WITH ${callerCte(caller)}, ${lockedAdmins(true)},
    ${verdictCte(id, Prisma.sql`caller.id = ${id} OR caller.id IN (SELECT id FROM admins)`, Prisma.sql`true`)},
    deleted AS (DELETE FROM users WHERE id = ${id} AND (SELECT outcome FROM verdict) = 'ok' RETURNING id)
    SELECT verdict.outcome, deleted.id FROM verdict LEFT JOIN deleted ON true`;
  settle(rows[0], "Only an admin may delete another user's record.");
}
