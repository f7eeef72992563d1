// The app's statement timeout (src/db/statement-timeout.ts) through the local endpoint: answers unchanged on every
// backend, and on a real PostgreSQL a statement that outlasts the timeout is cancelled by the server itself, so no
// query is left running for a client that stopped waiting.
import { neonConfig } from '@neondatabase/serverless';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { withStatementTimeout } from '@/src/db/statement-timeout.ts';
import { backendsUnderTest, createDatabase, driver, postgresAvailable, postgresUrl, randomTag } from './harness.ts';
import { startLocalDb, type LocalDb } from '@/scripts/local-db/server.ts';

const TIMEOUT_MS = 500;

afterEach(() => {
  neonConfig.fetchFunction = undefined;
});

describe.each(backendsUnderTest())('through the local endpoint over $name', (backend) => {
  let localDb: Awaited<ReturnType<typeof backend.start>>;

  beforeAll(async () => {
    localDb = await backend.start({ migrationsDir: '/nonexistent' });
  });

  afterAll(() => localDb?.dispose());

  it('answers a statement, a batch and an error as it does without the timeout', async () => {
    const sql = driver(localDb);
    const plain = await Promise.all([
      sql`SELECT 1 AS one, 'two' AS two`,
      sql.transaction([sql`SELECT 1 AS one`, sql`SELECT 2 AS two`]),
      sql`SELECT 1/0`.catch((error: unknown) => error),
    ]);
    neonConfig.fetchFunction = withStatementTimeout(TIMEOUT_MS, fetch);
    const bounded = await Promise.all([
      sql`SELECT 1 AS one, 'two' AS two`,
      sql.transaction([sql`SELECT 1 AS one`, sql`SELECT 2 AS two`]),
      sql`SELECT 1/0`.catch((error: unknown) => error),
    ]);
    expect(bounded).toEqual(plain);
    expect(plain[2]).toMatchObject({ code: '22012' });
    expect(await sql`SELECT current_setting('statement_timeout') AS timeout`).toEqual([{ timeout: '500ms' }]);
  });
});

const describeWithPostgres = postgresAvailable('the statement timeout test') ? describe : describe.skip;

describeWithPostgres('on a real PostgreSQL (TEST_POSTGRES_URL)', () => {
  let database: Awaited<ReturnType<typeof createDatabase>>;
  let localDb: LocalDb;

  beforeAll(async () => {
    database = await createDatabase(postgresUrl!);
    localDb = await startLocalDb({ port: 0, postgresUrl: database.url, migrationsDir: '/nonexistent', quiet: true });
  });

  afterAll(async () => {
    await localDb?.close();
    await database?.drop();
  });

  it('cancels a statement that outlasts DATABASE_TIMEOUT_MS on the server, leaving no query in pg_stat_activity', async () => {
    neonConfig.fetchFunction = withStatementTimeout(TIMEOUT_MS, fetch);
    const marker = randomTag('slow');
    // Without the timeout this answers after 20 seconds, with one row.
    const slow = driver(localDb).query(`SELECT pg_sleep(20) AS ${marker}`);
    await expect(slow).rejects.toMatchObject({ code: '57014', message: expect.stringMatching(/statement timeout/) });
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ running: string }>(
        "SELECT count(*)::text AS running FROM pg_stat_activity WHERE state <> 'idle' AND query LIKE $1",
        [`%pg_sleep(20) AS ${marker}%`],
      );
      expect(rows).toEqual([{ running: '0' }]);
    } finally {
      await admin.end();
    }
  });
});
