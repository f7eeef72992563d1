// A new PGlite database starts from a kept copy of a fresh cluster instead of running initdb each time.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPglite } from '@/scripts/pglite-start.ts';

let scratch: string;
let template: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'pglite-start-'));
  template = join(scratch, 'cache', 'cluster.tar.gz');
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** What a database made from nothing must look like: empty, writable, and the cluster's own databases. */
async function expectFreshCluster(database: Awaited<ReturnType<typeof startPglite>>) {
  const { rows: databases } = await database.query<{ datname: string }>(
    'select datname from pg_database order by datname',
  );
  expect(databases.map((row) => row.datname)).toEqual(['postgres', 'template0', 'template1']);
  const { rows: tables } = await database.query("select 1 from pg_tables where schemaname = 'public'");
  expect(tables).toEqual([]);
  await database.exec('create table t (n int); insert into t values (1)');
  expect((await database.query('select n from t')).rows).toEqual([{ n: 1 }]);
}

describe('startPglite', () => {
  it('keeps a copy of the first new cluster, and starts the next new database, in memory or a folder, from it', async () => {
    const first = await startPglite(undefined, template);
    await expectFreshCluster(first);
    await first.close();
    expect(existsSync(template)).toBe(true);
    const kept = await readFile(template);

    const inMemory = await startPglite(undefined, template);
    await expectFreshCluster(inMemory);
    await inMemory.close();

    const folder = join(scratch, 'data');
    const inFolder = await startPglite(folder, template);
    await expectFreshCluster(inFolder);
    await inFolder.close();
    expect(existsSync(join(folder, 'PG_VERSION'))).toBe(true);
    // Loading the copy left it as it was: the table made in the last two databases is not in it.
    expect((await readFile(template)).equals(kept)).toBe(true);

    // An existing folder opens with its own rows, not the copy.
    const reopened = await startPglite(folder, template);
    expect((await reopened.query('select n from t')).rows).toEqual([{ n: 1 }]);
    await reopened.close();
  });

  it('replaces a damaged copy with a fresh cluster', async () => {
    await writeFile(template, 'not a tarball');
    const folder = join(scratch, 'after-damage');
    const database = await startPglite(folder, template);
    await expectFreshCluster(database);
    await database.close();
    expect((await readFile(template)).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b])); // gzip again
  });
});
