// Who may use the local endpoint: one role, one database, and a password that belongs to the data it serves.
import { createHash, timingSafeEqual } from 'node:crypto';
import { join, resolve } from 'node:path';
import { randomSecret, secretInFile } from './secrets.ts';

/** The role and database names the endpoint answers to, whatever backend is behind it. */
export const LOCAL_USER = 'local';
export const LOCAL_DATABASE = 'local';
/** Kept inside the data folder (Postgres ignores files it does not know), so a new folder gets a new password. */
export const PASSWORD_FILE = 'local-db-password';

export interface Credentials {
  user: string;
  password: string;
  database: string;
}

/** The password of a PGlite data folder, made on first use (the endpoint and a test reading it agree on it). */
export function dataFolderPassword(dataDir: string): string {
  return secretInFile(join(resolve(dataDir), PASSWORD_FILE), 24).secret;
}

/**
 * In front of a PostgreSQL server the password is derived from its URL: every launcher given the same
 * URL agrees on it, and nobody who does not know the URL (and its password) can compute it.
 */
export function postgresPassword(postgresUrl: string): string {
  return createHash('sha256').update(`local-db:${postgresUrl}`).digest('base64url').slice(0, 32);
}

/** A fresh password for a database that lives only as long as its process (PGlite in memory). */
export function ephemeralPassword(): string {
  return randomSecret(24);
}

export function localCredentials(password: string): Credentials {
  return { user: LOCAL_USER, password, database: LOCAL_DATABASE };
}

/**
 * The connection string a client gives the Neon driver. `tag` goes in `application_name`, which the
 * driver passes through and the endpoint's round-trip counter groups by (as Postgres labels connections).
 */
export function connectionStringFor(authority: string, credentials: Credentials, tag?: string): string {
  const user = encodeURIComponent(credentials.user);
  const password = encodeURIComponent(credentials.password);
  const url = `postgresql://${user}:${password}@${authority}/${encodeURIComponent(credentials.database)}`;
  return tag === undefined ? url : `${url}?application_name=${encodeURIComponent(tag)}`;
}

/** The same connection string under another round-trip counter tag. */
export function withTag(connectionString: string, tag: string): string {
  const url = new URL(connectionString);
  url.searchParams.set('application_name', tag);
  return url.toString();
}

/** Constant-time comparison, so the time of a refusal says nothing about how much of a password matched. */
export function samePassword(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
