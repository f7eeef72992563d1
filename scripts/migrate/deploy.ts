// What `npm run migrate` does, through Prisma's own schema engine (WASM build) over one direct connection: the
// meaning of `prisma migrate deploy` (pending migrations applied in order under Prisma's advisory lock, each
// recorded in _prisma_migrations by the engine itself), refusing a database whose history it should not build
// on, and the meaning of `prisma migrate resolve --rolled-back | --applied`.
import { createHash } from 'node:crypto';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaFilter } from '@prisma/schema-engine-wasm';
import { engineError, loadEngine, readMigrationList } from '../schema-engine-runtime.ts';
import { connectPostgres, type PostgresConnection } from './postgres-adapter.ts';

/** The key Prisma's schema engine takes with pg_advisory_lock before it applies anything (verified: the engine sends it). */
export const PRISMA_ADVISORY_LOCK = 72707369;

const NO_FILTERS: SchemaFilter = { externalTables: [], externalEnums: [] };

/** How a person runs the command: with no arguments, and with some (`npm run migrate -- …` or `node migrate.mjs …`). */
export interface Command {
  plain: string;
  with(args: string): string;
}

export interface Outcome {
  /** Migrations the folder holds. */
  carried: number;
  /** Applied by this run, in order. */
  applied: string[];
  /** SQL statements sent (each one a round trip). */
  statements: number;
}

/** The database's history stops the run; `message` says what is wrong and what to do (exit 1). */
export class Refusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Refusal';
  }
}

interface Recorded {
  migration_name: string;
  checksum: string;
  finished: string;
  rolled_back: string;
  started_at: string;
  logs: string | null;
}

/** The file's SHA-256, as the engine computes the checksum it records. */
function checksum(script: string): string {
  return createHash('sha256').update(script).digest('hex');
}

function carriedScripts(list: MigrationList): { name: string; checksum: string }[] {
  return list.migrationDirectories.map((directory) => {
    const content = directory.migrationFile.content;
    if (content.tag === 'error') throw new Error(`cannot read ${directory.path}/migration.sql: ${content.value}`);
    return { name: directory.path, checksum: checksum(content.value) };
  });
}

/**
 * One statement, no lock: true when the database has every migration of the folder, applied with the same file,
 * and no failed one. Nothing else can be concluded without the lock (a row without finished_at may be a run in
 * progress), so anything else goes to the engine, under the lock.
 */
async function upToDate(
  connection: PostgresConnection,
  carried: { name: string; checksum: string }[],
): Promise<{ upToDate: boolean; rows: Recorded[] }> {
  let rows: Recorded[];
  try {
    rows = await connection.query<Recorded>(
      `SELECT migration_name, checksum, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back,
              started_at::text, logs
         FROM _prisma_migrations ORDER BY started_at`,
    );
  } catch (error) {
    // 42P01: no _prisma_migrations table yet, a database nothing was applied to.
    if ((error as { code?: string }).code === '42P01') return { upToDate: false, rows: [] };
    throw error;
  }
  const live = rows.filter((row) => row.rolled_back === 'f');
  if (live.some((row) => row.finished === 'f')) return { upToDate: false, rows };
  const applied = new Map(live.map((row) => [row.migration_name, row.checksum]));
  return { upToDate: carried.every((migration) => applied.get(migration.name) === migration.checksum), rows };
}

/** The engine records its error followed by a span trace ("   0: ..."); people need the error. */
const withoutTrace = (text: string) => text.split(/\n\s+0: /)[0]!.trim();

function failedRefusal(names: string[], rows: Recorded[], command: Command): Refusal {
  const described = names.map((name) => {
    const row = rows.find((candidate) => candidate.migration_name === name && candidate.finished === 'f');
    const logs = row?.logs?.trim() ? `\n    ${withoutTrace(row.logs).split('\n').join('\n    ')}` : '';
    return `  ${name}${row ? ` (started ${row.started_at})` : ''}${logs}`;
  });
  const name = names[0]!;
  return new Refusal(
    `_prisma_migrations records ${names.length === 1 ? 'a failed migration' : 'failed migrations'}; no new ` +
      `migration is applied until ${names.length === 1 ? 'it is' : 'they are'} resolved (Prisma's P3009):\n` +
      `${described.join('\n')}\n` +
      'What to do (Prisma: https://pris.ly/d/migrate-resolve):\n' +
      `  - PostgreSQL ran the failed file as one transaction, so it left nothing behind: fix the file (or the data ` +
      `it tripped on), mark it rolled back, and migrate again:\n` +
      `      ${command.with(`--rolled-back ${name}`)}\n      ${command.plain}\n` +
      `  - if you finished its changes by hand instead: ${command.with(`--applied ${name}`)}`,
  );
}

function editedRefusal(names: string[]): Refusal {
  return new Refusal(
    `${names.length === 1 ? 'An applied migration was' : 'Applied migrations were'} edited after ` +
      `${names.length === 1 ? 'it' : 'they'} ran: ${names.join(', ')} (the file's SHA-256 differs from the ` +
      'checksum in _prisma_migrations). The database holds what the old file did; the edit would never run here.\n' +
      'What to do: restore the file as it was applied (`git log -p -- prisma/migrations/<name>/migration.sql`), ' +
      'and make the change a new migration (`npm run db:migrate -- --name <what-changed>`).',
  );
}

/** The engine's error names no migration; the row it just recorded as failed does. */
async function appliedFailure(error: Error, connection: PostgresConnection, command: Command): Promise<Refusal> {
  // The engine words some errors its own way ("Null constraint failed"); the server's own words say more.
  const database = connection.lastDatabaseError();
  const failed = await connection
    .query<{ migration_name: string }>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NULL AND rolled_back_at IS NULL',
    )
    .catch(() => []);
  const name = failed[0]?.migration_name ?? '<migration>';
  const cause = database
    ? `Database error code: ${database.code}\nDatabase error: ${database.message}${database.detail ? `\nDetail: ${database.detail}` : ''}`
    : error.message.replace(/^external connector error\n/, '');
  return new Refusal(
    `migration ${name} failed to apply; no new migration is applied before it is resolved (Prisma's P3018).\n` +
      `${cause}\n` +
      'What to do: the failure is recorded in _prisma_migrations with this error (logs), and every later run refuses ' +
      'until it is resolved. PostgreSQL ran the file as one transaction, so it left nothing behind: fix the file (or ' +
      `the data it tripped on), then\n      ${command.with(`--rolled-back ${name}`)}\n      ${command.plain}`,
  );
}

type Engine = Awaited<ReturnType<Awaited<ReturnType<typeof loadEngine>>['SchemaEngine']['new']>>;

async function withEngine<T>(connection: PostgresConnection, work: (engine: Engine) => Promise<T>): Promise<T> {
  const runtime = await loadEngine();
  // The lock first: the engine's diagnosis does not take it, and two runs must not interleave. The engine takes it
  // again on the same session (advisory locks nest); closing the connection releases both.
  await connection.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK]);
  let engine: Engine;
  try {
    engine = await runtime.SchemaEngine.new(
      { datamodels: undefined },
      () => undefined,
      bindMigrationAwareSqlAdapterFactory(connection.factory),
    );
  } catch (error) {
    throw engineError(error);
  }
  try {
    return await work(engine);
  } finally {
    engine.free();
  }
}

/** `prisma migrate deploy`, refusing edited and failed histories. */
export async function deploy(url: string, migrationsDir: string, command: Command): Promise<Outcome> {
  const list = await readMigrationList(migrationsDir, '');
  const carried = carriedScripts(list);
  const connection = await connectPostgres(url);
  try {
    const check = await upToDate(connection, carried);
    if (check.upToDate) return { carried: carried.length, applied: [], statements: connection.statements() };
    const applied = await withEngine(connection, async (engine) => {
      const diagnosis = await engine
        .diagnoseMigrationHistory({ migrationsList: list, optInToShadowDatabase: false, filters: NO_FILTERS })
        .catch((error: unknown) => Promise.reject(engineError(error)));
      if (diagnosis.failedMigrationNames.length) {
        const { rows } = await upToDate(connection, carried);
        throw failedRefusal(diagnosis.failedMigrationNames, rows, command);
      }
      if (diagnosis.editedMigrationNames.length) throw editedRefusal(diagnosis.editedMigrationNames);
      try {
        return (await engine.applyMigrations({ migrationsList: list, filters: NO_FILTERS })).appliedMigrationNames;
      } catch (error) {
        throw await appliedFailure(engineError(error), connection, command);
      }
    });
    return { carried: carried.length, applied, statements: connection.statements() };
  } finally {
    await connection.close();
  }
}

/** `prisma migrate resolve`: a failed migration marked rolled back, or a migration recorded as applied without running it. */
export async function resolve(
  url: string,
  migrationsDir: string,
  mark: { rolledBack: string } | { applied: string },
): Promise<void> {
  const list = await readMigrationList(migrationsDir, '');
  const connection = await connectPostgres(url);
  try {
    await withEngine(connection, async (engine) => {
      try {
        if ('rolledBack' in mark) await engine.markMigrationRolledBack({ migrationName: mark.rolledBack });
        else await engine.markMigrationApplied({ migrationName: mark.applied, migrationsList: list });
      } catch (error) {
        throw new Refusal(engineError(error).message);
      }
    });
  } finally {
    await connection.close();
  }
}
