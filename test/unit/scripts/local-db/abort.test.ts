// A client that gives up (as the app does after DATABASE_TIMEOUT_MS) leaves no trace: its batch is rolled
// back, never committed; a request still waiting its turn never runs; PostgreSQL's running statement is cancelled.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalDb, type LocalDb } from '@/scripts/local-db/server.ts';
import { backendsUnderTest, driver, pollUntil, randomTag } from './harness.ts';

type Started = Awaited<ReturnType<ReturnType<typeof backendsUnderTest>[number]['start']>>;

/**
 * POSTs from another process that aborts after `abortAfterMs`, as the app server does: PGlite runs a
 * statement synchronously, so a client in this process could not even give up while it runs.
 */
function abortedPost(localDb: LocalDb, body: unknown, abortAfterMs: number): Promise<string> {
  const script = `fetch(process.env.ENDPOINT, {
      method: 'POST',
      headers: { 'neon-connection-string': process.env.CONNECTION },
      body: process.env.BODY,
      signal: AbortSignal.timeout(Number(process.env.AFTER)),
    }).then((r) => console.log('answered ' + r.status), (e) => console.log(e.name));`;
  const child = spawn(process.execPath, ['-e', script], {
    env: {
      ...process.env,
      ENDPOINT: localDb.endpoint,
      CONNECTION: localDb.connectionString(randomTag()),
      BODY: JSON.stringify(body),
      AFTER: String(abortAfterMs),
    },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk));
  return new Promise((resolve) => child.on('close', () => resolve(output.trim())));
}

const insert = (email: string) => ({
  query: `insert into users (name, email, "updatedAt") values ('Aborted', $1, now())`,
  params: [email],
});

/** Until the endpoint no longer runs anything of the aborted request (PGlite: it answers at all). */
async function settled(localDb: LocalDb): Promise<void> {
  const sql = driver(localDb);
  await pollUntil(async () => {
    const [{ running }] = (await sql`select count(*)::int as running from pg_stat_activity
      where pid <> pg_backend_pid() and state = 'active' and query like '%pg_sleep%'`) as [{ running: number }];
    return running === 0 ? true : undefined;
  });
}

describe.each(backendsUnderTest())('over $name', (backend) => {
  let localDb: Started;
  beforeAll(async () => {
    localDb = await backend.start();
  });
  afterAll(() => localDb?.dispose());

  it('rolls back a batch whose client gave up while it ran, even though every statement succeeded', async () => {
    const email = `${randomTag()}@example.com`;
    const outcome = await abortedPost(localDb, { queries: [insert(email), { query: 'select pg_sleep(0.8)' }] }, 300);
    expect(outcome).toBe('TimeoutError');
    await settled(localDb);
    expect(await driver(localDb)`select count(*)::int as n from users where email = ${email}`).toEqual([{ n: 0 }]);
  });

  it('still commits the same batch when its client waits for the answer', async () => {
    const email = `${randomTag()}@example.com`;
    const outcome = await abortedPost(localDb, { queries: [insert(email), { query: 'select pg_sleep(0.2)' }] }, 60_000);
    expect(outcome).toBe('answered 200');
    expect(await driver(localDb)`select count(*)::int as n from users where email = ${email}`).toEqual([{ n: 1 }]);
  });

  if (backend.name === 'PostgreSQL') {
    it('cancels the running statement with pg_cancel_backend instead of letting it run on', async () => {
      const started = performance.now();
      expect(await abortedPost(localDb, { query: 'select pg_sleep(600)' }, 300)).toBe('TimeoutError');
      await settled(localDb);
      // Without the cancel the sleep would hold its connection for 10 minutes.
      expect(performance.now() - started).toBeLessThan(90_000);
    });
  }
});

describe('a request whose client left while it waited (simulated distance)', () => {
  let localDb: LocalDb;
  beforeAll(async () => {
    localDb = await startLocalDb({ port: 0, dataDir: 'memory:', latencyMs: 1_000, quiet: true });
  });
  afterAll(() => localDb?.close());

  it('never runs', async () => {
    const email = `${randomTag()}@example.com`;
    expect(await abortedPost(localDb, insert(email), 200)).toBe('TimeoutError');
    const before = performance.now();
    expect(await driver(localDb)`select count(*)::int as n from users where email = ${email}`).toEqual([{ n: 0 }]);
    // And LOCAL_DB_LATENCY_MS costs each request its round trip.
    expect(performance.now() - before).toBeGreaterThanOrEqual(1_000);
  });
});
