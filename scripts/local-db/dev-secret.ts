// A JWT secret for local development, made once and kept in the git-ignored data folder, so that
// `npm run dev`, `npm start` and `npm run token` agree. Only used when JWT_SECRET is unset.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export const DEV_SECRET_FILE = '.data/jwt-secret';

/** The secret kept in `file`, made on first use; without a file (an in-memory database), a fresh one. */
export function devSecret(file: string | undefined = DEV_SECRET_FILE): string {
  const secret = Buffer.from(crypto.getRandomValues(new Uint8Array(48))).toString('base64url');
  if (!file) return secret;
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  console.error(`Generated a development JWT secret in ${file} (set JWT_SECRET to use your own).`);
  return secret;
}
