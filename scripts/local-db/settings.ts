// Environment settings shared by the CLI and the launcher (Node-only tooling, outside src/env.ts's edge settings).
import { createHash } from 'node:crypto';
import { connectionStringFor, dataFolderPassword, localCredentials, postgresPassword } from './credentials.ts';
import { DEFAULT_DATA_DIR, targetIdentity, type LocalDbOptions } from './server.ts';

/** Default ports are taken from 4400-4999, one per data folder, so two checkouts never share a database. */
export const PORT_RANGE = { first: 4400, size: 600 } as const;
export const MAX_LATENCY_MS = 10_000;

export type Settings = LocalDbOptions & { dataDir: string; port: number; latencyMs: number };

/** The same folder (or PostgreSQL URL) always gets the same port; another one almost always another. */
export function defaultPort(options: Pick<LocalDbOptions, 'dataDir' | 'postgresUrl'>): number {
  const digest = createHash('sha256').update(targetIdentity(options)).digest();
  return PORT_RANGE.first + (digest.readUInt32BE(0) % PORT_RANGE.size);
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, min: number, max: number, what: string): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new Error(`${name} must be a whole number ${what} from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): Settings {
  const target = {
    dataDir: env.LOCAL_DB_DIR?.trim() || DEFAULT_DATA_DIR,
    postgresUrl: env.LOCAL_DB_POSTGRES_URL?.trim() || undefined,
  };
  return {
    ...target,
    port: wholeNumber(env, 'LOCAL_DB_PORT', 0, 65535, '(a port; 0 picks a free one)') ?? defaultPort(target),
    latencyMs: wholeNumber(env, 'LOCAL_DB_LATENCY_MS', 0, MAX_LATENCY_MS, 'of milliseconds') ?? 0,
  };
}

/** The connection string for the endpoint these settings describe, with the password it checks. */
export function localConnectionString(settings: Settings): string {
  const password = settings.postgresUrl ? postgresPassword(settings.postgresUrl) : dataFolderPassword(settings.dataDir);
  return connectionStringFor(`127.0.0.1:${settings.port}`, localCredentials(password));
}

export function describeTarget(settings: LocalDbOptions): string {
  return targetIdentity(settings).replace(/ \(process \d+\)$/, '');
}

/** The settings part of each local tool's --help. */
export const SETTINGS_HELP = `Settings (from the environment, or .env and .env.local as next reads them):
  LOCAL_DB_DIR           PGlite data folder (default ${DEFAULT_DATA_DIR}; "memory:" for a throwaway database).
                         Its password is generated into the folder on first use.
  LOCAL_DB_PORT          port on 127.0.0.1 (default: derived from the data folder, ${PORT_RANGE.first}-${PORT_RANGE.first + PORT_RANGE.size - 1},
                         so each checkout has its own; 0 picks a free port)
  LOCAL_DB_POSTGRES_URL  serve this PostgreSQL server instead of PGlite
  LOCAL_DB_LATENCY_MS    simulated distance: milliseconds added to every query (default 0, at most ${MAX_LATENCY_MS})`;
