// A JWT secret for local development, made once and kept in the git-ignored data folder, so that
// `npm run dev`, `npm start` and `npm run token` agree. Only used when JWT_SECRET is unset.
import { randomSecret, secretInFile } from './secrets.ts';

export const DEV_SECRET_FILE = '.data/jwt-secret';

/** The secret kept in `file`, made on first use; without a file (an in-memory database), a fresh one. */
export function devSecret(file: string | undefined = DEV_SECRET_FILE): string {
  if (!file) return randomSecret(48);
  const { secret, created } = secretInFile(file, 48);
  if (created) console.error(`Generated a development JWT secret in ${file} (set JWT_SECRET to use your own).`);
  return secret;
}
