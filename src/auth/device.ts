// Known devices (OWASP's device cookie): a browser or API client that signed in to an account holds a signed token
// naming that account and a random device id, so its sign-in attempts are counted apart from strangers'. A stranger
// who locks an account out locks out strangers only; the person's own devices keep their own count.
import { errors, jwtVerify, SignJWT } from 'jose';
import { env } from '@/src/env.ts';
import { derivedKey } from './keys.ts';
import { MAX_DEVICE_TOKEN_LENGTH } from './schema.ts';
import type { IssuedToken } from './tokens.ts';

/** How long a device stays known after its last sign-in (each sign-in issues a new token). */
export const DEVICE_TTL_SECONDS = 90 * 24 * 3600;
/** Explicit typing (RFC 8725 §3.11): a device token is never taken for an access token, nor the reverse. */
const DEVICE_TOKEN_TYPE = 'device+jwt';
const ALGORITHM = 'HS256';

/** A device token for the account with this email, with a new device id. */
export async function issueDeviceToken(email: string, now = new Date()): Promise<IssuedToken> {
  const { JWT_ISSUER } = env();
  const issuedAt = Math.floor(now.getTime() / 1000);
  const expiresAt = issuedAt + DEVICE_TTL_SECONDS;
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: ALGORITHM, typ: DEVICE_TOKEN_TYPE })
    .setSubject(email)
    .setJti(crypto.randomUUID())
    .setIssuer(JWT_ISSUER)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(await derivedKey('deviceToken'));
  return { token, expiresAt: new Date(expiresAt * 1000) };
}

/**
 * The device id a token names, when we issued it for this email and it has not expired; otherwise (no token, a
 * forged, expired or malformed one, another account's) undefined: the attempt is a stranger's.
 */
export async function knownDevice(token: string | undefined, email: string): Promise<string | undefined> {
  if (!token || token.length > MAX_DEVICE_TOKEN_LENGTH) return undefined;
  try {
    const { payload } = await jwtVerify(token, await derivedKey('deviceToken'), {
      algorithms: [ALGORITHM],
      typ: DEVICE_TOKEN_TYPE,
      issuer: env().JWT_ISSUER,
      requiredClaims: ['exp', 'jti', 'sub'],
      subject: email,
    });
    return payload.jti;
  } catch (error) {
    // jose's own errors, and the TypeError it throws on a malformed token, all mean "not a device of ours".
    if (error instanceof errors.JOSEError || error instanceof TypeError) return undefined;
    throw error;
  }
}
