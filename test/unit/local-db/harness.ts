// Shared helpers for the local endpoint's tests: the Neon driver pointed at it, a real PostgreSQL when available.
import { randomBytes } from 'node:crypto';
import { neon, neonConfig } from '@neondatabase/serverless';
import pg from 'pg';
import * as serverModule from '@/src/local-db/server.ts';
import type { LocalDb } from '@/src/local-db/server.ts';

// Every connection string names the endpoint's own host:port, so one global setting serves several endpoints.
neonConfig.fetchEndpoint = (host, port) => `http://${host}:${port}/sql`;

export function randomTag(prefix = 't'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

export function driver(localDb: LocalDb, tag = randomTag(), options: Parameters<typeof neon>[1] = {}) {
  return neon(localDb.connectionString(tag), options);
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
export async function pollUntil<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface BackendUnderTest {
  name: string;
  start(options?: { migrationsDir?: string }): Promise<LocalDb & { dispose(): Promise<void> }>;
}

/** PGlite always; a real PostgreSQL (a fresh database per start) when TEST_POSTGRES_URL is set. */
export function backendsUnderTest(): BackendUnderTest[] {
  const { startLocalDb } = serverModule;
  const list: BackendUnderTest[] = [
    {
      name: 'PGlite',
      async start(options = {}) {
        const localDb = await startLocalDb({ port: 0, dataDir: 'memory:', quiet: true, ...options });
        return Object.assign(localDb, { dispose: () => localDb.close() });
      },
    },
  ];
  if (postgresUrl) {
    const serverUrl = postgresUrl;
    list.push({
      name: 'PostgreSQL',
      async start(options = {}) {
        const database = await createDatabase(serverUrl);
        const localDb = await startLocalDb({ port: 0, postgresUrl: database.url, quiet: true, ...options });
        return Object.assign(localDb, {
          async dispose() {
            await localDb.close();
            await database.drop();
          },
        });
      },
    });
  }
  return list;
}
