// Many clients at once: every reply reaches its own caller, and batches never interleave.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendsUnderTest, driver } from './harness.ts';

type Started = Awaited<ReturnType<ReturnType<typeof backendsUnderTest>[number]['start']>>;

describe.each(backendsUnderTest())('over $name', (backend) => {
  let localDb: Started;
  beforeAll(async () => {
    localDb = await backend.start({ migrationsDir: '/nonexistent' });
    const sql = driver(localDb);
    await sql`create table counter (id int primary key, v int not null)`;
    await sql`insert into counter values (1, 0)`;
    await sql`create sequence ticket`;
  });
  afterAll(() => localDb?.dispose());

  it('serves 200 parallel queries and 80 parallel batches, each atomic and answered to its caller', async () => {
    const sql = driver(localDb, 't_concurrency', { arrayMode: true });
    const before = localDb.stats('t_concurrency');
    const singles = Array.from({ length: 200 }, (_, index) =>
      sql.query('select $1::int as n, pg_backend_pid() is not null', [index]),
    );
    const increments = Array.from({ length: 60 }, () =>
      sql.transaction([
        sql`update counter set v = v + 1 where id = 1 returning v`,
        sql`select v from counter where id = 1`,
      ]),
    );
    // Every fourth failing batch must undo its increment even while others commit around it.
    const failures = Array.from({ length: 20 }, () =>
      sql.transaction([sql`update counter set v = v + 1000 where id = 1`, sql`select 1/0`]).then(
        () => 'committed',
        (error: { code?: string }) => error.code,
      ),
    );
    const [singleRows, incrementResults, failureCodes] = await Promise.all([
      Promise.all(singles),
      Promise.all(increments),
      Promise.all(failures),
    ]);

    expect(singleRows).toEqual(Array.from({ length: 200 }, (_, index) => [[index, true]]));
    const updatedValues = incrementResults.map(([update, read]) => {
      expect(read).toEqual(update);
      return update?.[0]?.[0] as number;
    });
    const seen = updatedValues.sort((a, b) => a - b);
    expect(seen).toEqual(Array.from({ length: 60 }, (_, index) => index + 1));
    expect(failureCodes).toEqual(Array(20).fill('22012'));
    expect(localDb.stats('t_concurrency') - before).toBe(280);
    expect(await sql`select v from counter where id = 1`).toEqual([[60]]);
  });

  // PGlite is one connection that serves requests one at a time. Over PostgreSQL each request has a connection of
  // its own, and other sessions' statements may run between a batch's, as on Neon: nothing to test there.
  if (backend.name !== 'PGlite') return;

  it('never interleaves one batch’s statements with another request’s', async () => {
    const sql = driver(localDb, undefined, { arrayMode: true });
    const batches = Array.from({ length: 50 }, () =>
      sql.transaction([
        sql`select nextval('ticket')::int`,
        sql`select nextval('ticket')::int`,
        sql`select nextval('ticket')::int`,
      ]),
    );
    const noise = Array.from({ length: 50 }, () => sql`select nextval('ticket')::int`);
    const [results] = await Promise.all([Promise.all(batches), Promise.all(noise)]);
    for (const batch of results) {
      const [first, second, third] = batch.map((rows) => rows[0]?.[0] as number);
      expect([second, third]).toEqual([first! + 1, first! + 2]);
    }
  });
});
