// The database a local data command (db:seed, db:reset) works on: DATABASE_URL's when it is set; else the embedded
// one, through the endpoint `npm run dev` runs when it is up, or opened in this process for the command's length.
import nextEnv from '@next/env';
import { localEndpointRunning } from '../local-endpoint.ts';
import { seedAdmin, adminSettings } from './seed.ts';
import { startLocalDb } from './server.ts';
import { describeTarget, localConnectionString, settingsFromEnv } from './settings.ts';

export interface DataTarget {
  connectionString: string;
  /** The Neon driver's endpoint; undefined: Neon's own. */
  endpoint: string | undefined;
  /** What the command speaks of: the data folder, or the database a URL names. */
  description: string;
  close(): Promise<void>;
}

/** These commands sign nothing: a placeholder lets the app's one settings check (password hashing) run without one. */
const NO_SECRET_NEEDED = 'local-data-commands-sign-nothing-so-need-no-secret';

/** Reads .env files as next does, so LOCAL_DB_DIR, DATABASE_URL and the rest mean what they mean to the app. */
export function loadSettings(): void {
  nextEnv.loadEnvConfig(process.cwd(), process.env.NODE_ENV !== 'production', { info: () => {}, error: console.error });
}

export async function openDataTarget(): Promise<DataTarget> {
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    process.env.JWT_SECRET ||= NO_SECRET_NEEDED;
    return {
      connectionString: process.env.DATABASE_URL,
      endpoint: process.env.NEON_FETCH_ENDPOINT || undefined,
      description: `the database at ${url.host}${url.pathname} (DATABASE_URL)`,
      close: async () => undefined,
    };
  }
  const settings = settingsFromEnv();
  const description = describeTarget(settings);
  let target: Omit<DataTarget, 'description'>;
  if (await localEndpointRunning(settings.port)) {
    target = {
      connectionString: localConnectionString(settings),
      endpoint: `http://127.0.0.1:${settings.port}/sql`,
      close: async () => undefined,
    };
  } else {
    // Its own free port: the data folder's usual one is left for npm run dev.
    const localDb = await startLocalDb({ ...settings, port: 0, quiet: true });
    target = { connectionString: localDb.connectionString(), endpoint: localDb.endpoint, close: () => localDb.close() };
  }
  Object.assign(process.env, {
    DATABASE_URL: target.connectionString,
    NEON_FETCH_ENDPOINT: target.endpoint,
    JWT_SECRET: process.env.JWT_SECRET || NO_SECRET_NEEDED,
  });
  try {
    // As npm run dev would: an embedded database always has its admin.
    await seedAdmin(target.connectionString, target.endpoint!, adminSettings(process.env, false));
  } catch (error) {
    await target.close();
    throw error;
  }
  return { ...target, description };
}
