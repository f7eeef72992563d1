// Access tokens: HS256 with JWT_SECRET (ours), or RS256/ES256/EdDSA from JWT_JWKS_URL (an identity
// provider's), verified per RFC 8725: algorithms allow-listed per key, exp required, typ checked.
import { createRemoteJWKSet, errors, jwtVerify, SignJWT, type JWTHeaderParameters, type JWTPayload } from 'jose';
import { env } from '@/src/env.ts';
import { serviceUnavailable } from '@/src/http/errors.ts';
import { Problem } from '@/src/http/problem.ts';
import { parseId, ROLES, type Role } from '@/src/users/schema.ts';

export interface Identity {
  id: number;
  role: Role;
  /** The session the token was issued for; absent only in an identity provider's tokens. */
  sessionId?: string;
}

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

/** Longer tokens are refused before any parsing. */
export const MAX_TOKEN_LENGTH = 4096;
const CLOCK_TOLERANCE_SECONDS = 5;
const TOKEN_TYPE = 'JWT';
const SECRET_ALGORITHM = 'HS256';
const KEY_PAIR_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'];
const HMAC_SHA256 = { name: 'HMAC', hash: 'SHA-256' };

type KeyResolver = (header: JWTHeaderParameters) => Promise<CryptoKey> | CryptoKey;

interface Keys {
  secret: CryptoKey;
  resolve: KeyResolver;
  algorithms: string[];
}

let keys: Promise<Keys> | undefined;

/**
 * Imported once per isolate: given bytes, jose imports the secret into a CryptoKey on every call, which
 * was a quarter of each verification (and each request verifies twice, in middleware and in the route).
 * The token's `alg` only picks between the two configured sources, each with its own allow-list, so an
 * HS256 token is never checked against a public key.
 */
function loadKeys(): Promise<Keys> {
  // Read synchronously, so a bad setting throws here rather than being cached as a rejected promise.
  const { JWT_SECRET, JWT_JWKS_URL } = env();
  const jwks = JWT_JWKS_URL ? createRemoteJWKSet(new URL(JWT_JWKS_URL)) : undefined;
  const raw = new TextEncoder().encode(JWT_SECRET);
  const imported = crypto.subtle.importKey('raw', raw, HMAC_SHA256, false, ['sign', 'verify']);
  return imported.then((secret) => ({
    secret,
    algorithms: jwks ? [SECRET_ALGORITHM, ...KEY_PAIR_ALGORITHMS] : [SECRET_ALGORITHM],
    resolve: (header) => {
      if (header.alg === SECRET_ALGORITHM) return secret;
      if (!jwks) throw new Error(`No key for ${header.alg}`);
      // jose's JWKS resolver selects only among the configured set's keys, by kid and alg.
      return jwks(header).catch((error: unknown) => {
        // No key for this token is the token's fault; anything else means the key set could not be had.
        if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
        throw new KeySetUnavailable({ cause: error });
      });
    },
  }));
}

function currentKeys(): Promise<Keys> {
  keys ??= loadKeys().catch((error: unknown) => {
    keys = undefined;
    throw error;
  });
  return keys;
}

const INVALID_TOKEN_CHALLENGE = { 'www-authenticate': 'Bearer error="invalid_token"' };

/** RFC 6750 §3: a request with no token gets a bare challenge; a bad token is named as such. */
export const missingToken = (detail: string) =>
  new Problem('missing_token', { detail, headers: { 'www-authenticate': 'Bearer' } });

export const invalidToken = (
  detail = 'The access token is invalid or expired.',
  code: 'invalid_token' | 'invalid_refresh_token' | 'session_ended' = 'invalid_token',
) => new Problem(code, { detail, headers: INVALID_TOKEN_CHALLENGE });

/** An access token that was valid but has expired: the one failure a refresh token can mend. */
export const expiredToken = () =>
  new Problem('token_expired', {
    detail: 'The access token has expired; renew it with POST /api/auth/refresh.',
    headers: INVALID_TOKEN_CHALLENGE,
  });

const SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const isSessionId = (value: unknown): value is string => typeof value === 'string' && SESSION_ID.test(value);

const isRole = (value: unknown): value is Role => ROLES.includes(value as Role);

function toIdentity(payload: JWTPayload, ours: boolean): Identity {
  const { sub, role, sid } = payload;
  const id = parseId(sub);
  if (id === undefined) throw invalidToken('The access token has no valid subject.');
  if (!isRole(role)) throw invalidToken('The access token has no valid role.');
  // Our own tokens always name their session, which is what lets a write check that it is still live.
  if (ours && !isSessionId(sid)) throw invalidToken('The access token has no valid session.');
  return { id, role, ...(isSessionId(sid) ? { sessionId: sid } : {}) };
}

/** The identity provider's key set could not be fetched (network, timeout, not a key set): an outage. */
class KeySetUnavailable extends Error {
  constructor(options: { cause: unknown }) {
    super('The JWKS could not be fetched', options);
    this.name = 'KeySetUnavailable';
  }
}

/**
 * The identity a token proves, a 401 problem (`token_expired` when only its lifetime is over), or a 503
 * while the identity provider's keys cannot be fetched. `ignoreExpiry` is for signing out with an expired
 * token: its signature and claims are still checked.
 */
export async function verifyToken(token: string, { ignoreExpiry = false } = {}): Promise<Identity> {
  if (token.length > MAX_TOKEN_LENGTH) throw invalidToken('The access token is too long.');
  const { resolve, algorithms } = await currentKeys();
  const { JWT_ISSUER, JWT_AUDIENCE } = env();
  let payload: JWTPayload;
  let header: JWTHeaderParameters;
  try {
    ({ payload, protectedHeader: header } = await jwtVerify(token, resolve, {
      algorithms,
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      typ: TOKEN_TYPE,
      requiredClaims: ['exp', 'iat', 'sub'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      ...(ignoreExpiry ? { currentDate: new Date(0) } : {}),
    }));
  } catch (error) {
    if (error instanceof KeySetUnavailable) {
      throw serviceUnavailable(
        error,
        "The identity provider's signing keys cannot be fetched; try again shortly.",
        'identity_provider_unavailable',
      );
    }
    // jose checks the signature before the claims, so an expired token is one we (or the provider) signed.
    if (error instanceof errors.JWTExpired) throw expiredToken();
    // Every other failure, JOSE errors and the TypeError jose throws on key-type confusion alike, is the client's.
    throw invalidToken();
  }
  return toIdentity(payload, header.alg === SECRET_ALGORITHM);
}

export async function issueToken(identity: Identity & { sessionId: string }, now = new Date()): Promise<IssuedToken> {
  const { secret } = await currentKeys();
  const { JWT_ISSUER, JWT_AUDIENCE, ACCESS_TOKEN_TTL_SECONDS } = env();
  const issuedAt = Math.floor(now.getTime() / 1000);
  const expiresAt = issuedAt + ACCESS_TOKEN_TTL_SECONDS;
  const token = await new SignJWT({ role: identity.role, sid: identity.sessionId })
    .setProtectedHeader({ alg: SECRET_ALGORITHM, typ: TOKEN_TYPE })
    .setSubject(String(identity.id))
    .setIssuer(JWT_ISSUER)
    .setAudience(JWT_AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(secret);
  return { token, expiresAt: new Date(expiresAt * 1000) };
}
