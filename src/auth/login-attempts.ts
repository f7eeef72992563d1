// Failed sign-ins counted in the database, so the limit holds across every edge isolate.
import { db } from '@/src/db/client.ts';
import { env } from '@/src/env.ts';
import { Problem } from '@/src/http/problem.ts';

export function findLoginAttempts(email: string) {
  return db().loginAttempt.findUnique({ where: { email } });
}

/** Refuses with 429 while the email has used up its failures in the current window. */
export function assertNotThrottled(attempts: { failures: number; windowStart: Date } | null, now = Date.now()): void {
  if (!attempts) return;
  const { LOGIN_MAX_FAILURES, LOGIN_WINDOW_SECONDS } = env();
  const windowEnd = attempts.windowStart.getTime() + LOGIN_WINDOW_SECONDS * 1000;
  if (attempts.failures < LOGIN_MAX_FAILURES || windowEnd <= now) return;
  const retryAfter = Math.max(1, Math.ceil((windowEnd - now) / 1000));
  throw new Problem(429, {
    detail: 'Too many failed sign-ins for this email; try again later.',
    headers: { 'retry-after': String(retryAfter) },
  });
}

/** Counts one failure atomically, starting a new window when the last one has ended. */
export async function recordFailedLogin(email: string): Promise<void> {
  const { LOGIN_WINDOW_SECONDS } = env();
  await db().$executeRaw`
    INSERT INTO login_attempts (email, failures, "windowStart") VALUES (${email}, 1, now())
    ON CONFLICT (email) DO UPDATE SET
      failures = CASE WHEN login_attempts."windowStart" <= now() - make_interval(secs => ${LOGIN_WINDOW_SECONDS})
                      THEN 1 ELSE login_attempts.failures + 1 END,
      "windowStart" = CASE WHEN login_attempts."windowStart" <= now() - make_interval(secs => ${LOGIN_WINDOW_SECONDS})
                           THEN now() ELSE login_attempts."windowStart" END`;
}

export async function clearFailedLogins(email: string): Promise<void> {
  await db().$executeRaw`DELETE FROM login_attempts WHERE email = ${email}`;
}
