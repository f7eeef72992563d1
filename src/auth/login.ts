// Signing up and signing in: shared by the API and the login page's Server Action.
import { db } from '@/src/db/client.ts';
import { Problem } from '@/src/http/problem.ts';
import { createUserOrThrow } from '@/src/users/queries.ts';
import { toPublicUser, type PublicUser } from '@/src/users/schema.ts';
import { assertNotThrottled, clearFailedLogins, findLoginAttempts, recordFailedLogin } from './login-attempts.ts';
import { hashPassword, needsRehash, verifyPassword } from './password.ts';
import type { Login, Register } from './schema.ts';
import { issueToken, type IssuedToken } from './tokens.ts';

export interface Session {
  user: PublicUser;
  issued: IssuedToken;
}

const wrongCredentials = () =>
  new Problem(401, {
    detail: 'Wrong email or password.',
    headers: { 'www-authenticate': 'Bearer realm="edge-users-api"' },
  });

/**
 * Checks the password even when no user has this email, against a decoy hash, so that an unknown
 * email and a wrong password look the same from outside, in answer and in time.
 */
export async function logIn({ email, password }: Login): Promise<Session> {
  const [user, attempts] = await Promise.all([
    db().user.findUnique({ where: { email }, omit: { passwordHash: false } }),
    findLoginAttempts(email),
  ]);
  assertNotThrottled(attempts);
  if (!(await verifyPassword(password, user?.passwordHash)) || !user) {
    await recordFailedLogin(email);
    throw wrongCredentials();
  }
  const upkeep: Promise<unknown>[] = [];
  if (attempts) upkeep.push(clearFailedLogins(email));
  if (needsRehash(user.passwordHash!)) {
    upkeep.push(
      hashPassword(password).then((passwordHash) =>
        db().user.update({ where: { id: user.id }, data: { passwordHash } }),
      ),
    );
  }
  await Promise.all(upkeep);
  return { user: toPublicUser(user), issued: await issueToken(user) };
}

/** Creates a user with the `user` role. An email already taken is a 409. */
export async function register({ name, email, password }: Register): Promise<Session> {
  const passwordHash = await hashPassword(password);
  const user = await createUserOrThrow({ name, email, passwordHash, role: 'user' });
  return { user: toPublicUser(user), issued: await issueToken(user) };
}
