// Shared helpers for the local endpoint's tests: the Neon driver pointed at it, a real PostgreSQL when available.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { neon, neonConfig, type HTTPTransactionOptions } from '@neondatabase/serverless';
import pg from 'pg';
import * as serverModule from '@/scripts/local-db/server.ts';
import type { LocalDb } from '@/scripts/local-db/server.ts';

// Every connection string names the endpoint's own host:port, so one global setting serves several endpoints.
neonConfig.fetchEndpoint = (host, port) => `http://${host}:${port}/sql`;

export function randomTag(prefix = 't'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

export function driver<ArrayMode extends boolean = false, FullResults extends boolean = false>(
  localDb: LocalDb,
  tag = randomTag(),
  options?: HTTPTransactionOptions<ArrayMode, FullResults>,
) {
  return neon<ArrayMode, FullResults>(localDb.connectionString(tag), options);
}

/**
 * The real server's URL from .ci/postgres.sh. Locally the tests that need it are skipped when it is
 * unset; in CI a missing server is a broken pipeline, not a reason to skip.
 */
export const postgresUrl: string | undefined = (() => {
  const url = process.env.TEST_POSTGRES_URL;
  if (!url && process.env.CI === 'true') {
    throw new Error('TEST_POSTGRES_URL is not set in CI: run `eval "$(.ci/postgres.sh)"` before the tests');
  }
  return url || undefined;
})();

/** Whether the parts that need a real PostgreSQL run here; when they do not, says so and how to enable them. */
export function postgresAvailable(what: string): boolean {
  if (postgresUrl) return true;
  console.warn(
    `Skipping ${what} against a real PostgreSQL: TEST_POSTGRES_URL is not set. ` +
      'Run `eval "$(.ci/postgres.sh)"` first (it installs Debian\'s postgresql if needed and starts a throwaway server).',
  );
  return false;
}

/** A fresh database on the real server, so test files never see each other's tables. */
export async function createDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = randomTag('local_db_test');
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** Polls `probe` until it returns a value, failing after `timeoutMs` (never a fixed sleep). */
export async function pollUntil<T>(probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

type StartOptions = { migrationsDir?: string };
type Started = LocalDb & { dispose(): Promise<void> };

export interface BackendUnderTest {
  name: string;
  /** A throwaway endpoint; dispose() closes it and removes its data. */
  start(options?: StartOptions): Promise<Started>;
  /** A database that outlives endpoints, for restarts: open it any number of times, then remove it. */
  persistent(): Promise<{ open(options?: StartOptions): Promise<LocalDb>; remove(): Promise<void> }>;
}

/** PGlite always; a real PostgreSQL (a fresh database each time) when TEST_POSTGRES_URL is set. */
export function backendsUnderTest(): BackendUnderTest[] {
  const { startLocalDb } = serverModule;
  const quiet = { port: 0, quiet: true };
  const list: BackendUnderTest[] = [
    {
      name: 'PGlite',
      async start(options = {}) {
        const localDb = await startLocalDb({ ...quiet, dataDir: 'memory:', ...options });
        return Object.assign(localDb, { dispose: () => localDb.close() });
      },
      async persistent() {
        const dataDir = await mkdtemp(join(tmpdir(), 'local-db-test-'));
        return {
          open: (options = {}) => startLocalDb({ ...quiet, dataDir, ...options }),
          remove: () => rm(dataDir, { recursive: true, force: true }),
        };
      },
    },
  ];
  if (postgresAvailable('these tests')) {
    const serverUrl = postgresUrl!;
    list.push({
      name: 'PostgreSQL',
      async start(options = {}) {
        const database = await createDatabase(serverUrl);
        const localDb = await startLocalDb({ ...quiet, postgresUrl: database.url, ...options });
        return Object.assign(localDb, {
          async dispose() {
            await localDb.close();
            await database.drop();
          },
        });
      },
      async persistent() {
        const database = await createDatabase(serverUrl);
        return {
          open: (options = {}) => startLocalDb({ ...quiet, postgresUrl: database.url, ...options }),
          remove: () => database.drop(),
        };
      },
    });
  }
  return list;
}
