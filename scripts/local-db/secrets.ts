// Secrets the local tools make for themselves: random ones, and ones kept in a file (owner-only), made once.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** `bytes` random bytes as base64url text. */
export function randomSecret(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * The secret kept in `file`, made (with `bytes` random bytes) when there is none. Creating with O_EXCL makes
 * concurrent first uses agree on one secret: whoever loses the race reads the winner's.
 */
export function secretInFile(file: string, bytes: number): { secret: string; created: boolean } {
  try {
    return { secret: readFileSync(file, 'utf8').trim(), created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomSecret(bytes);
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
    return { secret, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      return { secret: readFileSync(file, 'utf8').trim(), created: false };
    throw error;
  }
}
