// Tokens an attacker or a broken client might send: signed with jose where it allows the shape,
// assembled by hand (base64url segments, WebCrypto HMAC) where it would refuse to.
import { base64url, SignJWT, type CryptoKey, type JWK, type JWTHeaderParameters, type JWTPayload } from 'jose';

export const ISSUER = 'edge-users-api';
export const AUDIENCE = 'edge-users-api';

export type Claims = Record<string, unknown>;

const encoder = new TextEncoder();

export const segment = (value: unknown): string => base64url.encode(JSON.stringify(value));

export function secretBytes(secret: string | Uint8Array): Uint8Array {
  return typeof secret === 'string' ? encoder.encode(secret) : secret;
}

/** Seconds since the epoch, as JWT claims count time. */
export const epochSeconds = (at = Date.now()) => Math.floor(at / 1000);

/** The session id every forged token names unless told otherwise. */
export const FORGED_SESSION_ID = '00000000-0000-4000-8000-000000000042';

/** The claims this app issues, valid for an hour from `now`; `undefined` in overrides removes a claim. */
export function claims(overrides: Claims = {}, now = epochSeconds()): Claims {
  const all: Claims = {
    sub: '42',
    role: 'user',
    sid: FORGED_SESSION_ID,
    iss: ISSUER,
    aud: AUDIENCE,
    iat: now,
    exp: now + 3600,
    ...overrides,
  };
  return Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined));
}

/** Signs any claims with jose, which adds nothing beyond what it is given. */
export async function signed(
  payload: Claims,
  key: CryptoKey | Uint8Array | string,
  header: JWTHeaderParameters = { alg: 'HS256', typ: 'JWT' },
): Promise<string> {
  const material = typeof key === 'string' ? encoder.encode(key) : key;
  return new SignJWT(payload as JWTPayload).setProtectedHeader(header).sign(material);
}

const HMAC_HASHES: Record<string, string> = { HS256: 'SHA-256', HS384: 'SHA-384', HS512: 'SHA-512' };

/**
 * An HMAC-signed token with any header and any payload text (arrays, non-JSON), which jose would
 * not produce. The header's alg picks the hash; `hmacAlg` overrides it to mislabel a signature.
 */
export async function handSigned(
  header: Record<string, unknown>,
  payload: unknown,
  secret: string | Uint8Array,
  hmacAlg = String(header.alg),
): Promise<string> {
  const body = typeof payload === 'string' ? base64url.encode(payload) : segment(payload);
  const input = `${segment(header)}.${body}`;
  const hash = HMAC_HASHES[hmacAlg];
  if (!hash) throw new Error(`No HMAC for ${hmacAlg}`);
  const key = await crypto.subtle.importKey(
    'raw',
    secretBytes(secret) as Uint8Array<ArrayBuffer>,
    { name: 'HMAC', hash },
    false,
    ['sign'],
  );
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(input)));
  return `${input}.${base64url.encode(signature)}`;
}

/** `alg: none`: an empty signature segment. */
export const unsigned = (payload: Claims, header: Record<string, unknown> = { alg: 'none', typ: 'JWT' }): string =>
  `${segment(header)}.${segment(payload)}.`;

/** Swaps a token's payload for another, keeping the original header and signature. */
export function withPayload(token: string, payload: Claims): string {
  const [header, , signature] = token.split('.');
  return `${header}.${segment(payload)}.${signature}`;
}

/** Swaps a token's header for another, keeping the original payload and signature. */
export function withHeader(token: string, header: Record<string, unknown>): string {
  const [, payload, signature] = token.split('.');
  return `${segment(header)}.${payload}.${signature}`;
}

/**
 * Changes the signature's first character. (The last one may carry only padding bits, so that
 * changing it can leave the decoded bytes as they were.)
 */
export function withTamperedSignature(token: string): string {
  const [header, payload, signature = ''] = token.split('.');
  const first = signature[0] === 'A' ? 'B' : 'A';
  return `${header}.${payload}.${first}${signature.slice(1)}`;
}

export const decodeSegment = (part: string): unknown => JSON.parse(new TextDecoder().decode(base64url.decode(part)));

/** The public half of a private JWK: what an attacker would embed in a `jwk` header. */
export function publicPart(jwk: JWK): JWK {
  const { kty, n, e, crv, x, y } = jwk;
  return Object.fromEntries(Object.entries({ kty, n, e, crv, x, y }).filter(([, value]) => value !== undefined)) as JWK;
}
