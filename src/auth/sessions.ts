// Server-side sessions: created at sign-in, renewed by rotating refresh tokens, revoked by sign-out.
// Each operation is one SQL statement (one round trip over PrismaNeonHttp, which has no transactions).
import { db } from '@/src/db/client.ts';
import { env } from '@/src/env.ts';
import { Problem } from '@/src/http/problem.ts';
import type { Role } from '@/src/users/schema.ts';
import { callerCte, sessionEnded } from './authority.ts';
import { hashSecret, mintRefreshToken, type RefreshToken } from './refresh-token.ts';
import { invalidToken, issueToken, type Identity, type IssuedToken } from './tokens.ts';

/**
 * A refresh token one generation old still renews the access token (but not itself) this long after its
 * rotation: a browser's parallel requests all find the same expired cookie and renew at once.
 */
export const ROTATION_GRACE_SECONDS = 10;

export interface SessionTokens {
  sessionId: string;
  access: IssuedToken;
  /** Absent when a request lost a concurrent rotation: the winner's response carries the new refresh token. */
  refresh?: IssuedToken;
}

const refreshExpiry = (from = Date.now()) => new Date(from + env().SESSION_TTL_SECONDS * 1000);

async function tokensFor(
  identity: { id: number; role: Role },
  sessionId: string,
  refresh?: string,
  refreshExpiresAt?: Date,
): Promise<SessionTokens> {
  const access = await issueToken({ ...identity, sessionId });
  return { sessionId, access, ...(refresh ? { refresh: { token: refresh, expiresAt: refreshExpiresAt! } } : {}) };
}

const INSERT_SESSION = `INSERT INTO sessions (id, "userId", "refreshHash", "expiresAt", "userAgent")
  VALUES ($1::uuid, $2, $3, CURRENT_TIMESTAMP + make_interval(secs => $4), $5)`;

/** The longest User-Agent a session keeps: enough to tell a browser and its system apart. */
export const MAX_USER_AGENT_LENGTH = 256;

/** The client a request came from, as its User-Agent names it (shortened), to tell sessions apart. */
export function userAgentOf(req: Request): string | null {
  return req.headers.get('user-agent')?.trim().slice(0, MAX_USER_AGENT_LENGTH) || null;
}

/** Runs one parameterised statement: Prisma's in the app; Neon's driver where Prisma's edge client cannot load. */
export type Execute = (query: string, params: unknown[]) => Promise<unknown>;

const executeWithPrisma: Execute = (query, params) => db().$executeRawUnsafe(query, ...params);

/** A new session for a user, started by the client `userAgent` names: the row, then its first tokens. */
export async function startSession(
  user: { id: number; role: Role },
  { userAgent = null, execute = executeWithPrisma }: { userAgent?: string | null; execute?: Execute } = {},
): Promise<SessionTokens> {
  const sessionId = crypto.randomUUID();
  const refresh = await mintRefreshToken(sessionId, 0);
  const expiresAt = refreshExpiry();
  await execute(INSERT_SESSION, [sessionId, user.id, refresh.hash, env().SESSION_TTL_SECONDS, userAgent]);
  return tokensFor(user, sessionId, refresh.token, expiresAt);
}

interface RotationRow {
  userId: number;
  role: Role;
  generation: number;
  current: boolean;
  recent: boolean;
  live: boolean;
  newGeneration: number | null;
  reused: boolean;
}

/**
 * Renews a session from its refresh token, in one statement: the current generation rotates to the next;
 * an older one is reuse (OAuth 2.0 Security BCP §4.14) and revokes the session, except one generation back
 * within the grace period, which gets an access token only. The role in the new token is read afresh.
 */
export async function refreshSession(presented: RefreshToken): Promise<SessionTokens> {
  const { sessionId, generation, secret } = presented;
  const [hash, next] = await Promise.all([hashSecret(secret), mintRefreshToken(sessionId, generation + 1)]);
  const rows = await db().$queryRaw<RotationRow[]>`
    WITH found AS (
      SELECT u.id AS "userId", u.role::text AS role, s.generation, s."refreshHash" = ${hash} AS current,
             s."rotatedAt" > CURRENT_TIMESTAMP - make_interval(secs => ${ROTATION_GRACE_SECONDS}) AS recent,
             s."revokedAt" IS NULL AND s."expiresAt" > CURRENT_TIMESTAMP AS live
      FROM sessions s JOIN users u ON u.id = s."userId" WHERE s.id = ${sessionId}::uuid
    ), rotated AS (
      UPDATE sessions SET generation = generation + 1, "refreshHash" = ${next.hash},
        "rotatedAt" = CURRENT_TIMESTAMP, "lastUsedAt" = CURRENT_TIMESTAMP
      WHERE id = ${sessionId}::uuid AND generation = ${generation} AND "refreshHash" = ${hash}
        AND "revokedAt" IS NULL AND "expiresAt" > CURRENT_TIMESTAMP
      RETURNING generation
    ), reused AS (
      UPDATE sessions SET "revokedAt" = CURRENT_TIMESTAMP
      WHERE id = ${sessionId}::uuid AND "revokedAt" IS NULL AND generation > ${generation}
        AND NOT (generation = ${generation + 1}
                 AND "rotatedAt" > CURRENT_TIMESTAMP - make_interval(secs => ${ROTATION_GRACE_SECONDS}))
      RETURNING id
    )
    SELECT found.*, (SELECT generation FROM rotated) AS "newGeneration", EXISTS (SELECT 1 FROM reused) AS reused
    FROM found`;
  const row = rows[0];
  if (!row) throw invalidToken('The refresh token is invalid.', 'invalid_refresh_token');
  const user = { id: row.userId, role: row.role };
  if (row.newGeneration !== null) return tokensFor(user, sessionId, next.token, refreshExpiry());
  if (row.reused) {
    throw invalidToken(
      'This refresh token was already used; the session has been revoked. Sign in again.',
      'session_ended',
    );
  }
  // A concurrent request rotated this generation a moment ago (`current` in our snapshot, or one step behind).
  const lostRace = (row.generation === generation && row.current) || (row.generation === generation + 1 && row.recent);
  if (row.live && lostRace) return tokensFor(user, sessionId);
  throw invalidToken('The session has been signed out or has expired; sign in again.', 'session_ended');
}

/** Signs a session out (no-op when it is not the user's or already ended). */
export async function revokeSession(userId: number, sessionId: string): Promise<void> {
  await db().$executeRaw`
    UPDATE sessions SET "revokedAt" = CURRENT_TIMESTAMP
    WHERE id = ${sessionId}::uuid AND "userId" = ${userId} AND "revokedAt" IS NULL`;
}

/** Signs out the session a refresh token belongs to, whoever's it is: holding the token is the proof. */
async function revokeRefreshedSession(sessionId: string): Promise<void> {
  await db()
    .$executeRaw`UPDATE sessions SET "revokedAt" = CURRENT_TIMESTAMP WHERE id = ${sessionId}::uuid AND "revokedAt" IS NULL`;
}

/** Signs out the session a sign-out names (see sessionToEnd): by its access token, else by its refresh token. */
export async function revokeNamedSession({ identity, refresh }: { identity?: Identity; refresh?: RefreshToken }) {
  if (identity?.sessionId) await revokeSession(identity.id, identity.sessionId);
  else if (refresh) await revokeRefreshedSession(refresh.sessionId);
}

export interface SessionSummary {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  /** The User-Agent the client signed in with; null when it sent none. */
  userAgent: string | null;
  current: boolean;
}

/** The caller's live sessions, newest first (a read: the token is trusted for its short life). */
export async function listSessions(caller: Identity): Promise<SessionSummary[]> {
  const sessions = await db().session.findMany({
    where: { userId: caller.id, revokedAt: null, expiresAt: { gt: new Date() } },
    select: { id: true, createdAt: true, lastUsedAt: true, expiresAt: true, userAgent: true },
    orderBy: { createdAt: 'desc' },
  });
  return sessions.map((session) => ({
    id: session.id,
    createdAt: session.createdAt.toISOString(),
    lastUsedAt: session.lastUsedAt.toISOString(),
    expiresAt: session.expiresAt.toISOString(),
    userAgent: session.userAgent,
    current: session.id === caller.sessionId,
  }));
}

interface RevocationRow {
  authorised: boolean;
  revoked: number;
}

/**
 * Revokes one of the caller's sessions (or all of them), in the statement that checks the caller's own
 * session is still live. A session that is not the caller's, or already ended, is a 404.
 */
export async function revokeSessionsOrThrow(caller: Identity, sessionId?: string): Promise<number> {
  const rows = await db().$queryRaw<RevocationRow[]>`
    WITH ${callerCte(caller)}, revoked AS (
      UPDATE sessions SET "revokedAt" = CURRENT_TIMESTAMP
      WHERE "userId" = ${caller.id} AND "revokedAt" IS NULL AND EXISTS (SELECT 1 FROM caller)
        AND (${sessionId ?? null}::uuid IS NULL OR id = ${sessionId ?? null}::uuid)
      RETURNING id
    )
    SELECT EXISTS (SELECT 1 FROM caller) AS authorised, (SELECT count(*)::int FROM revoked) AS revoked`;
  const row = rows[0]!;
  if (!row.authorised) throw sessionEnded();
  if (sessionId !== undefined && row.revoked === 0) {
    throw new Problem('session_not_found', { detail: 'No such live session of yours.' });
  }
  return row.revoked;
}
