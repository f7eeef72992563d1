// Migrations at start: applied once each, in order, recorded as `prisma migrate deploy` records them.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LocalDb } from '@/scripts/local-db/server.ts';
import { backendsUnderTest, driver } from './harness.ts';

const first = {
  name: '20240101000000_create_notes',
  sql: 'CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL);\n',
};
const second = {
  name: '20240102000000_seed_notes',
  sql: "ALTER TABLE notes ADD COLUMN pinned boolean NOT NULL DEFAULT false;\nINSERT INTO notes (body) VALUES ('hello');\n",
};
const broken = {
  name: '20240103000000_broken',
  sql: "CREATE TABLE half_done (id int);\nINSERT INTO notes (body) VALUES ('lost');\nSELECT 1/0;\n",
};

let migrationsDir: string;

async function writeMigration({ name, sql }: { name: string; sql: string }): Promise<void> {
  await mkdir(join(migrationsDir, name), { recursive: true });
  await writeFile(join(migrationsDir, name, 'migration.sql'), sql);
}

beforeEach(async () => {
  migrationsDir = await mkdtemp(join(tmpdir(), 'local-db-migrations-'));
  await writeFile(join(migrationsDir, 'migration_lock.toml'), 'provider = "postgresql"\n');
  await mkdir(join(migrationsDir, '20230101000000_empty_folder_is_ignored'));
});
afterEach(() => rm(migrationsDir, { recursive: true, force: true }));

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function history(localDb: LocalDb) {
  const sql = driver(localDb);
  return sql`select id, checksum, migration_name, logs, rolled_back_at, applied_steps_count,
                    finished_at is not null as finished, started_at <= finished_at as ordered
             from _prisma_migrations order by started_at, migration_name`;
}

async function expectPrismaMigrationsTable(localDb: LocalDb): Promise<void> {
  const columns = await driver(localDb)`
    select column_name, data_type, character_maximum_length, is_nullable, column_default
    from information_schema.columns where table_name = '_prisma_migrations' order by ordinal_position`;
  expect(columns).toEqual([
    {
      column_name: 'id',
      data_type: 'character varying',
      character_maximum_length: 36,
      is_nullable: 'NO',
      column_default: null,
    },
    {
      column_name: 'checksum',
      data_type: 'character varying',
      character_maximum_length: 64,
      is_nullable: 'NO',
      column_default: null,
    },
    {
      column_name: 'finished_at',
      data_type: 'timestamp with time zone',
      character_maximum_length: null,
      is_nullable: 'YES',
      column_default: null,
    },
    {
      column_name: 'migration_name',
      data_type: 'character varying',
      character_maximum_length: 255,
      is_nullable: 'NO',
      column_default: null,
    },
    {
      column_name: 'logs',
      data_type: 'text',
      character_maximum_length: null,
      is_nullable: 'YES',
      column_default: null,
    },
    {
      column_name: 'rolled_back_at',
      data_type: 'timestamp with time zone',
      character_maximum_length: null,
      is_nullable: 'YES',
      column_default: null,
    },
    {
      column_name: 'started_at',
      data_type: 'timestamp with time zone',
      character_maximum_length: null,
      is_nullable: 'NO',
      column_default: 'now()',
    },
    {
      column_name: 'applied_steps_count',
      data_type: 'integer',
      character_maximum_length: null,
      is_nullable: 'NO',
      column_default: '0',
    },
  ]);
  const [primaryKey] = await driver(localDb)`
    select a.attname from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
    where i.indrelid = '_prisma_migrations'::regclass and i.indisprimary`;
  expect(primaryKey).toEqual({ attname: 'id' });
}

describe.each(backendsUnderTest())('over $name', (backend) => {
  it('applies each migration once, in name order, recorded with its checksum in Prisma’s table', async () => {
    await writeMigration(second); // written out of order on purpose
    await writeMigration(first);
    const database = await backend.persistent();
    try {
      let localDb = await database.open({ migrationsDir });
      await expectPrismaMigrationsTable(localDb);
      const recorded = await history(localDb);
      expect(recorded.map((row) => row.migration_name)).toEqual([first.name, second.name]);
      for (const [row, migration] of [
        [recorded[0], first],
        [recorded[1], second],
      ] as const) {
        expect(row).toMatchObject({
          checksum: sha256(migration.sql),
          logs: null,
          rolled_back_at: null,
          applied_steps_count: 1,
          finished: true,
          ordered: true,
        });
        expect(row?.id).toMatch(/^[0-9a-f-]{36}$/);
      }
      await localDb.close();

      localDb = await database.open({ migrationsDir });
      expect(await history(localDb)).toEqual(recorded);
      expect(await driver(localDb)`select body, pinned from notes`).toEqual([{ body: 'hello', pinned: false }]);
      await localDb.close();
    } finally {
      await database.remove();
    }
  });

  it('stops the start on a failing migration and leaves nothing of it behind', async () => {
    await writeMigration(first);
    await writeMigration(second);
    await writeMigration(broken);
    const database = await backend.persistent();
    try {
      await expect(database.open({ migrationsDir })).rejects.toThrow(
        `Migration ${broken.name} failed and was rolled back: division by zero`,
      );
      await rm(join(migrationsDir, broken.name), { recursive: true });
      const localDb = await database.open({ migrationsDir });
      expect((await history(localDb)).map((row) => row.migration_name)).toEqual([first.name, second.name]);
      expect(await driver(localDb)`select to_regclass('half_done') as half_done`).toEqual([{ half_done: null }]);
      expect(await driver(localDb)`select body from notes`).toEqual([{ body: 'hello' }]);
      await localDb.close();
    } finally {
      await database.remove();
    }
  });

  it('warns, as Prisma does, when an applied migration was modified, and still starts', async () => {
    await writeMigration(first);
    const database = await backend.persistent();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await (await database.open({ migrationsDir })).close();
      expect(warn).not.toHaveBeenCalled();
      await writeMigration({ ...first, sql: `${first.sql}-- edited afterwards\n` });
      const localDb = await database.open({ migrationsDir });
      expect(warn).toHaveBeenCalledWith(
        `local-db: warning: The migration \`${first.name}\` was modified after it was applied.`,
      );
      expect((await history(localDb)).map((row) => row.checksum)).toEqual([sha256(first.sql)]);
      await localDb.close();
    } finally {
      warn.mockRestore();
      await database.remove();
    }
  });
});
