// Applies prisma/migrations/*/migration.sql once each, recorded in _prisma_migrations exactly as `prisma migrate deploy` does.
import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClientBase } from 'pg';
import type { Backend } from './backend.ts';

/** The DDL Prisma's schema engine (postgres flavour) runs when the table is missing. */
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);`;

/** The advisory lock key Prisma's migrate commands take, so we never race `prisma migrate deploy`. */
const PRISMA_ADVISORY_LOCK = 72707369;

export interface MigrationFile {
  name: string;
  script: string;
  checksum: string;
}

export interface MigrationReport {
  applied: string[];
  warnings: string[];
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

export function checksumOf(script: string): string {
  return createHash('sha256').update(script).digest('hex');
}

/** Prisma accepts a checksum computed with either line ending, so a git autocrlf checkout is not "modified". */
function matchesChecksum(script: string, checksum: string): boolean {
  const lf = script.replace(/\r\n/g, '\n');
  return [script, lf, lf.replace(/\n/g, '\r\n')].some((variant) => checksumOf(variant) === checksum);
}

export async function readMigrations(directory: string): Promise<MigrationFile[]> {
  let entries;
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new MigrationError(`Cannot read migrations folder ${directory}: ${(error as Error).message}`);
  }
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const migrations: MigrationFile[] = [];
  for (const name of names) {
    let script: string;
    try {
      script = await readFile(join(directory, name, 'migration.sql'), 'utf8');
    } catch {
      continue; // Prisma ignores folders without a migration.sql as well.
    }
    migrations.push({ name, script, checksum: checksumOf(script) });
  }
  return migrations;
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: string | null;
  rolled_back_at: string | null;
}

async function appliedMigrations(client: ClientBase): Promise<AppliedRow[]> {
  const exists = await client.query<[string | null]>({
    text: "SELECT to_regclass('_prisma_migrations')::text",
    rowMode: 'array',
  });
  if (exists.rows[0]?.[0] === null) {
    await client.query(CREATE_MIGRATIONS_TABLE);
    return [];
  }
  const result = await client.query<AppliedRow>(
    'SELECT migration_name, checksum, finished_at::text, rolled_back_at::text FROM _prisma_migrations ORDER BY started_at',
  );
  return result.rows;
}

async function applyOne(client: ClientBase, migration: MigrationFile): Promise<void> {
  const id = randomUUID();
  await client.query('BEGIN');
  try {
    await client.query(
      'INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())',
      [id, migration.checksum, migration.name],
    );
    // Simple query protocol: a migration file holds many statements.
    await client.query(migration.script);
    await client.query(
      'UPDATE _prisma_migrations SET finished_at = now(), applied_steps_count = applied_steps_count + 1 WHERE id = $1',
      [id],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    const database = error as { message?: string; code?: string; position?: string };
    const where = database.code
      ? ` (SQLSTATE ${database.code}${database.position ? `, position ${database.position}` : ''})`
      : '';
    throw new MigrationError(
      `Migration ${migration.name} failed and was rolled back: ${database.message ?? String(error)}${where}`,
    );
  }
}

export async function applyMigrations(backend: Backend, directory: string): Promise<MigrationReport> {
  const migrations = await readMigrations(directory);
  return backend.withConnection(async (client) => {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK]);
    try {
      const rows = await appliedMigrations(client);
      const failed = rows.find((row) => row.finished_at === null && row.rolled_back_at === null);
      if (failed) {
        throw new MigrationError(
          `Migration ${failed.migration_name} is recorded as failed in _prisma_migrations; resolve it (prisma migrate resolve) before starting`,
        );
      }
      const done = new Map(
        rows
          .filter((row) => row.finished_at !== null && row.rolled_back_at === null)
          .map((row) => [row.migration_name, row]),
      );
      const report: MigrationReport = { applied: [], warnings: [] };
      for (const migration of migrations) {
        const previous = done.get(migration.name);
        if (previous) {
          if (!matchesChecksum(migration.script, previous.checksum)) {
            report.warnings.push(`The migration \`${migration.name}\` was modified after it was applied.`);
          }
          continue;
        }
        await applyOne(client, migration);
        report.applied.push(migration.name);
      }
      return report;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK]).catch(() => undefined);
    }
  });
}
