// Attempt limits counted in the database, so they hold across every edge isolate. A slot is reserved in one
// statement (INSERT … ON CONFLICT … RETURNING) before any password is hashed, so parallel attempts cannot
// overtake the count: the 11th of 30 simultaneous guesses sees 11, whatever the others are doing.
import { db } from '@/src/db/client.ts';
import { env } from '@/src/env.ts';
import { Prisma } from '#prisma/client';
import { Problem } from '@/src/http/problem.ts';
import { clientAddress } from '@/src/http/client-address.ts';
import { knownDevice } from './device.ts';

interface Limit {
  key: string;
  max: number;
  detail: string;
}

interface Reservation {
  key: string;
  hits: number;
  windowStart: Date;
}

/** Counts one attempt against every key at once; refuses with 429 when any is over its limit for the window. */
async function reserve(limits: Limit[], windowSeconds: number, now = Date.now()): Promise<void> {
  const values = Prisma.join(limits.map(({ key }) => Prisma.sql`(${key}, 1, CURRENT_TIMESTAMP)`));
  const rows = await db().$queryRaw<Reservation[]>`
    INSERT INTO rate_limits (key, hits, "windowStart") VALUES ${values}
    ON CONFLICT (key) DO UPDATE SET
      hits = CASE WHEN rate_limits."windowStart" <= CURRENT_TIMESTAMP - make_interval(secs => ${windowSeconds})
                  THEN 1 ELSE rate_limits.hits + 1 END,
      "windowStart" = CASE WHEN rate_limits."windowStart" <= CURRENT_TIMESTAMP - make_interval(secs => ${windowSeconds})
                           THEN CURRENT_TIMESTAMP ELSE rate_limits."windowStart" END
    RETURNING key, hits, "windowStart"`;
  for (const limit of limits) {
    const row = rows.find((reservation) => reservation.key === limit.key);
    if (!row || row.hits <= limit.max) continue;
    const retryAfter = Math.max(1, Math.ceil((row.windowStart.getTime() + windowSeconds * 1000 - now) / 1000));
    throw new Problem('rate_limited', { detail: limit.detail, headers: { 'retry-after': String(retryAfter) } });
  }
}

/** Who is trying to sign in: a device known to the account (its own count), or a stranger at an address (if known). */
export type Attempter = { device: string } | { address: string | undefined };

/** The attempter for a sign-in to `email`: the device its token names, if valid for this account; else a stranger. */
export async function attempterFor(req: Request, email: string, deviceToken: string | undefined): Promise<Attempter> {
  const device = await knownDevice(deviceToken, email);
  return device ? { device } : { address: await clientAddress(req) };
}

const signInKey = (email: string, attempter: Attempter) =>
  'device' in attempter ? `sign-in-device:${email}:${attempter.device}` : `sign-in:${email}:${attempter.address ?? ''}`;

/** `limit`, and `perAddress` beside it when the client's address is known (its key then ends with the address). */
function withAddressLimit(limit: Limit, address: string | undefined, perAddress: Limit): Limit[] {
  return address ? [limit, { ...perAddress, key: `${perAddress.key}:${address}` }] : [limit];
}

/**
 * A sign-in attempt for `email`. From a device known to the account, counted for that device alone. From anyone
 * else, counted per account *from this address* and per address: a stranger who knows the admin's email uses up
 * only their own address's tries (and, where no address is known, strangers' tries: never a known device's), and
 * one address cannot spray many accounts.
 */
export function reserveSignIn(email: string, attempter: Attempter): Promise<void> {
  const { LOGIN_MAX_FAILURES, LOGIN_MAX_ATTEMPTS_PER_ADDRESS, LOGIN_WINDOW_SECONDS } = env();
  const stranger = 'address' in attempter;
  return reserve(
    withAddressLimit(
      {
        key: signInKey(email, attempter),
        max: LOGIN_MAX_FAILURES,
        detail: stranger
          ? 'Too many sign-in attempts for this email; try again later.'
          : 'Too many sign-in attempts for this email from this device; try again later.',
      },
      stranger ? attempter.address : undefined,
      {
        key: 'sign-in-address',
        max: LOGIN_MAX_ATTEMPTS_PER_ADDRESS,
        detail: 'Too many sign-in attempts from this address; try again later.',
      },
    ),
    LOGIN_WINDOW_SECONDS,
  );
}

/** A successful sign-in gives back the attempter's own tries for the account (a device's, or its address's). */
export async function clearSignIn(email: string, attempter: Attempter): Promise<void> {
  await db().$executeRaw`DELETE FROM rate_limits WHERE key = ${signInKey(email, attempter)}`;
}

/** A sign-up from this client's address (where no address is known, all such clients share one count). */
export async function reserveSignUp(req: Request): Promise<void> {
  const { REGISTER_MAX_PER_ADDRESS, REGISTER_WINDOW_SECONDS } = env();
  return reserve(
    [
      {
        key: `sign-up:${(await clientAddress(req)) ?? ''}`,
        max: REGISTER_MAX_PER_ADDRESS,
        detail: 'Too many sign-ups from this address; try again later.',
      },
    ],
    REGISTER_WINDOW_SECONDS,
  );
}

/**
 * A password-reset request for `email`, counted per email (whether or not an account uses it, so the count says
 * nothing about that) and per client address when one is known: enough for a person to ask again, too few to
 * flood an inbox.
 */
export async function reservePasswordReset(req: Request, email: string): Promise<void> {
  const { PASSWORD_RESET_MAX_PER_EMAIL, PASSWORD_RESET_MAX_PER_ADDRESS, PASSWORD_RESET_WINDOW_SECONDS } = env();
  return reserve(
    withAddressLimit(
      {
        key: `password-reset:${email}`,
        max: PASSWORD_RESET_MAX_PER_EMAIL,
        detail: 'Too many password resets asked for this email; try again later.',
      },
      await clientAddress(req),
      {
        key: 'password-reset-address',
        max: PASSWORD_RESET_MAX_PER_ADDRESS,
        detail: 'Too many password resets asked from this address; try again later.',
      },
    ),
    PASSWORD_RESET_WINDOW_SECONDS,
  );
}
