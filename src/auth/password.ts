// Password hashing with PBKDF2-HMAC-SHA256 through WebCrypto, which runs at the edge and in Node.
// Stored as `pbkdf2-sha256$<iterations>$<salt>$<hash>` (base64url) so the cost can be raised later.
import { base64url } from 'jose';
import { env } from '@/src/env.ts';
import { Problem } from '@/src/http/problem.ts';

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 128;

const SCHEME = 'pbkdf2-sha256';
const SALT_BYTES = 16;
const HASH_BITS = 256;

/** Hashes running in this isolate now; see PASSWORD_HASH_CONCURRENCY. */
let running = 0;

/**
 * A PBKDF2 hash takes a core for a long moment; a flood of sign-ins for unknown emails would queue them and
 * starve every other request. Beyond the configured number at once the answer is an immediate 503.
 */
const hashingBusy = () =>
  new Problem('busy', {
    detail: 'Too many sign-ins are being checked right now; try again in a moment.',
    headers: { 'retry-after': '1', 'cache-control': 'no-store' },
  });

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  if (running >= env().PASSWORD_HASH_CONCURRENCY) throw hashingBusy();
  running++;
  try {
    const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, [
      'deriveBits',
    ]);
    const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, HASH_BITS);
    return new Uint8Array(bits);
  } finally {
    running--;
  }
}

/** Compares every byte whatever the first difference, so timing says nothing about the hash. */
function equalInConstantTime(a: Uint8Array, b: Uint8Array): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ (b[i] ?? 0);
  return difference === 0;
}

export async function hashPassword(password: string): Promise<string> {
  const iterations = env().PASSWORD_ITERATIONS;
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, salt, iterations);
  return [SCHEME, iterations, base64url.encode(salt), base64url.encode(hash)].join('$');
}

/** A stored hash of nothing anyone knows, checked when there is no user, so both cases take as long. */
let decoy: Promise<string> | undefined;

function parseStored(stored: string | null | undefined) {
  const parts = stored?.split('$');
  if (!parts || parts.length !== 4 || parts[0] !== SCHEME || !/^[1-9][0-9]*$/.test(parts[1]!)) return undefined;
  const [, iterations, salt, hash] = parts as [string, string, string, string];
  try {
    // Copied into this realm's Uint8Array over an ArrayBuffer, which WebCrypto takes as a salt.
    return {
      iterations: Number(iterations),
      salt: new Uint8Array(base64url.decode(salt)),
      hash: base64url.decode(hash),
    };
  } catch {
    // jose's TypeError: salt or hash is not base64url.
    return undefined;
  }
}

/** True when `password` matches `stored`. A missing or malformed hash never matches, and costs the same. */
export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  const parsed = parseStored(stored);
  if (!parsed) {
    decoy ??= hashPassword(crypto.randomUUID()).catch((error: unknown) => {
      decoy = undefined;
      throw error;
    });
    await verifyPassword(password, await decoy);
    return false;
  }
  const derived = await derive(password, parsed.salt, parsed.iterations);
  return equalInConstantTime(derived, parsed.hash);
}

/** Whether a stored hash was made with fewer iterations than now configured, and should be redone. */
export function needsRehash(stored: string): boolean {
  return Number(stored.split('$')[1]) < env().PASSWORD_ITERATIONS;
}
