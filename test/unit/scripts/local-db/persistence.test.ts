// Committed rows survive a restart of a PGlite endpoint kept in a data folder, and a stop does not wait for
// clients' keep-alive connections to time out.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalDb } from '@/scripts/local-db/server.ts';
import { driver, pollUntil } from './harness.ts';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'local-db-persist-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe('a PGlite data folder', () => {
  it('keeps every committed row and nothing rolled back across close and restart', async () => {
    let localDb = await startLocalDb({ port: 0, dataDir, quiet: true });
    let sql = driver(localDb);
    await sql`insert into users (name, email, "updatedAt") values ('Single', 'single@example.com', now())`;
    await sql.transaction([
      sql`insert into users (name, email, "updatedAt") values ('Batch 1', 'b1@example.com', now())`,
      sql`insert into users (name, email, "updatedAt") values ('Batch 2', 'b2@example.com', now())`,
    ]);
    await expect(
      sql.transaction([
        sql`insert into users (name, email, "updatedAt") values ('Lost', 'lost@example.com', now())`,
        sql`insert into users (name, email, "updatedAt") values ('Dup', 'single@example.com', now())`,
      ]),
    ).rejects.toMatchObject({ code: '23505' });
    const migrations = await sql`select migration_name from _prisma_migrations order by migration_name`;
    await localDb.close();

    localDb = await startLocalDb({ port: 0, dataDir, quiet: true });
    sql = driver(localDb);
    expect(await sql`select name from users order by id`).toEqual([
      { name: 'Single' },
      { name: 'Batch 1' },
      { name: 'Batch 2' },
    ]);
    expect(await sql`select migration_name from _prisma_migrations order by migration_name`).toEqual(migrations);
    await localDb.close();
  });
});

describe('stopping the endpoint', () => {
  it('answers the query in flight, closing its connection, and stops without waiting for it to time out', async () => {
    const localDb = await startLocalDb({ port: 0, dataDir: 'memory:', quiet: true });
    // The database a second away: the query is still in flight when the stop begins.
    localDb.setLatency(2000);
    const tag = 't_stop';
    const asked = fetch(localDb.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'neon-connection-string': localDb.connectionString(tag) },
      body: JSON.stringify({ query: 'select 1', params: [] }),
    });
    await pollUntil(async () => (localDb.stats(tag) > 0 ? true : undefined));
    const stopping = localDb.close();
    const answer = await asked;
    expect(answer.status).toBe(200);
    // Left open, the socket would keep close() waiting for the 30 s keep-alive timeout.
    expect(answer.headers.get('connection')).toBe('close');
    await answer.arrayBuffer();
    await stopping;
  });
});
