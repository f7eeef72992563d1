// Signing up, signing in and changing a password: shared by the API and the login page's Server Action.
import { db } from '@/src/db/client.ts';
import { env } from '@/src/env.ts';
import { Problem } from '@/src/http/problem.ts';
import { createUserOrThrow } from '@/src/users/queries.ts';
import { toPublicUser, type PublicUser } from '@/src/users/schema.ts';
import { callerCte, sessionEnded } from './authority.ts';
import { hashPassword, needsRehash, verifyPassword } from './password.ts';
import { readDeviceCookie } from './cookie.ts';
import { issueDeviceToken } from './device.ts';
import { attempterFor, clearSignIn, reserveSignIn, reserveSignUp } from './rate-limits.ts';
import type { ChangePassword, Login, Register } from './schema.ts';
import { startSession, userAgentOf, type SessionTokens } from './sessions.ts';
import type { Identity, IssuedToken } from './tokens.ts';

export interface SignedIn {
  user: PublicUser;
  tokens: SessionTokens;
  /** A device token for this account (sign-in and sign-up): this client's own count of sign-in attempts. */
  device?: IssuedToken;
}

const wrongCredentials = () =>
  new Problem('wrong_credentials', {
    detail: 'Wrong email or password.',
    headers: { 'www-authenticate': 'Bearer realm="edge-users-api"' },
  });

/**
 * The attempt is counted (and refused when over the limit) before any hashing: against the device a valid device
 * token names, else against strangers (src/auth/rate-limits.ts). The password is checked even when no user has this
 * email, against a decoy hash, so that an unknown email and a wrong password look the same from outside, in answer
 * and in time. A successful sign-in gets a new device token for this account.
 */
export async function logIn({ email, password, deviceToken }: Login, req: Request): Promise<SignedIn> {
  const attempter = await attempterFor(req, email, deviceToken ?? readDeviceCookie(req));
  const [user] = await Promise.all([
    db().user.findUnique({ where: { email }, omit: { passwordHash: false } }),
    reserveSignIn(email, attempter),
  ]);
  if (!(await verifyPassword(password, user?.passwordHash)) || !user) throw wrongCredentials();
  const upkeep: Promise<unknown>[] = [clearSignIn(email, attempter)];
  if (needsRehash(user.passwordHash!)) {
    upkeep.push(
      hashPassword(password).then((passwordHash) =>
        db().user.update({ where: { id: user.id }, data: { passwordHash } }),
      ),
    );
  }
  const [tokens, device] = await Promise.all([
    startSession(user, { userAgent: userAgentOf(req) }),
    issueDeviceToken(email),
    ...upkeep,
  ]);
  return { user: toPublicUser(user), tokens, device };
}

/**
 * Creates a user with the `user` role. Closed registration is a 403, an email already taken a 409, too many from
 * one address a 429.
 */
export async function register({ name, email, password }: Register, req: Request): Promise<SignedIn> {
  if (!env().REGISTRATION_ENABLED) throw new Problem('registration_closed', { detail: 'Registration is closed.' });
  await reserveSignUp(req);
  const passwordHash = await hashPassword(password);
  const user = await createUserOrThrow({ name, email, passwordHash, role: 'user' });
  const [tokens, device] = await Promise.all([
    startSession(user, { userAgent: userAgentOf(req) }),
    issueDeviceToken(email),
  ]);
  return { user: toPublicUser(user), tokens, device };
}

/**
 * Changes the caller's password, knowing the current one (throttled as a sign-in), and in the same statement
 * signs out every session of theirs and voids any unused one-time link; the caller gets a new session.
 */
export async function changePassword(
  caller: Identity,
  { currentPassword, newPassword }: ChangePassword,
  req: Request,
): Promise<SignedIn> {
  const user = await db().user.findUnique({ where: { id: caller.id }, omit: { passwordHash: false } });
  if (!user) throw sessionEnded();
  const attempter = await attempterFor(req, user.email, readDeviceCookie(req));
  await reserveSignIn(user.email, attempter);
  if (!(await verifyPassword(currentPassword, user.passwordHash))) {
    throw new Problem('wrong_password', { detail: 'The current password is wrong.' });
  }
  const passwordHash = await hashPassword(newPassword);
  const rows = await db().$queryRaw<{ changed: boolean }[]>`
    WITH ${callerCte(caller)},
    changed AS (
      UPDATE users SET "passwordHash" = ${passwordHash}, "updatedAt" = CURRENT_TIMESTAMP
      WHERE id = ${caller.id} AND EXISTS (SELECT 1 FROM caller) RETURNING id
    ),
    signed_out AS (
      UPDATE sessions SET "revokedAt" = CURRENT_TIMESTAMP
      WHERE "userId" = ${caller.id} AND "revokedAt" IS NULL AND EXISTS (SELECT 1 FROM caller) RETURNING id
    ),
    link_voided AS (
      DELETE FROM invitations WHERE "userId" = ${caller.id} AND "usedAt" IS NULL AND EXISTS (SELECT 1 FROM caller)
      RETURNING "userId"
    )
    SELECT EXISTS (SELECT 1 FROM changed) AS changed`;
  if (!rows[0]?.changed) throw sessionEnded();
  const [tokens] = await Promise.all([
    startSession(user, { userAgent: userAgentOf(req) }),
    clearSignIn(user.email, attempter),
  ]);
  return { user: toPublicUser(user), tokens };
}
