// Keys of their own for each use of JWT_SECRET (HKDF, RFC 5869), so that no signature made for one use is valid
// for another: an access token's, a refresh token's tag, a device token's, a socket address's stamp.
import { base64url } from 'jose';
import { env } from '@/src/env.ts';

const encoder = new TextEncoder();

/** What each derived key is for; the HKDF `info`, so a new use gets a new key. */
export const KEY_USES = {
  refreshTag: 'edge-users-api refresh tag',
  deviceToken: 'edge-users-api device token',
  socketAddress: 'edge-users-api socket address',
} as const;

export type KeyUse = keyof typeof KEY_USES;

const keys = new Map<KeyUse, Promise<CryptoKey>>();

/** An HMAC-SHA-256 key (32 bytes) derived from JWT_SECRET for one use, imported once per isolate. */
export function derivedKey(use: KeyUse): Promise<CryptoKey> {
  let key = keys.get(use);
  if (!key) {
    key = crypto.subtle
      .importKey('raw', encoder.encode(env().JWT_SECRET), 'HKDF', false, ['deriveKey'])
      .then((base) =>
        crypto.subtle.deriveKey(
          { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: encoder.encode(KEY_USES[use]) },
          base,
          { name: 'HMAC', hash: 'SHA-256', length: 256 },
          false,
          ['sign', 'verify'],
        ),
      );
    keys.set(use, key);
  }
  return key;
}

/** The HMAC of `message` under the key for `use`, base64url, its first `bytes` bytes (all 32 by default). */
export async function macOf(use: KeyUse, message: string, bytes = 32): Promise<string> {
  const signature = await crypto.subtle.sign('HMAC', await derivedKey(use), encoder.encode(message));
  return base64url.encode(new Uint8Array(signature, 0, bytes));
}

/** Every character compared whatever the first difference, so timing cannot guide a forger. */
export function equalInConstantTime(a: string, b: string): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}
