// The database checks behind /api/health: reachable, and migrated as far as this build expects. Any failure to
// answer is an outage, whatever its cause; a database that answers without this build's migrations is not ready.
import { MIGRATIONS } from '@/src/generated/migrations.ts';
import { serviceUnavailable } from '@/src/http/errors.ts';
import { db } from './client.ts';

/** How many of `MIGRATIONS` the database has not finished (rolled back ones do not count), in one round trip. */
async function missingMigrations(): Promise<number> {
  try {
    const [row] = await db().$queryRaw<{ missing: number }[]>`
      SELECT count(*)::int AS missing
        FROM json_array_elements_text(${JSON.stringify(MIGRATIONS)}::json) AS carried(name)
       WHERE NOT EXISTS (
         SELECT 1 FROM _prisma_migrations AS applied
          WHERE applied.migration_name = carried.name
            AND applied.finished_at IS NOT NULL
            AND applied.rolled_back_at IS NULL)`;
    return row!.missing;
  } catch (error) {
    // No _prisma_migrations at all: nothing was ever migrated (a new database branch).
    if (/relation "_prisma_migrations" does not exist|42P01|P2021/.test(describe(error))) return MIGRATIONS.length;
    throw serviceUnavailable(error, 'The database cannot be reached.');
  }
}

function describe(error: unknown): string {
  const parts: string[] = [];
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    parts.push(cause.message, String((cause as { code?: unknown }).code ?? ''));
  }
  return parts.join('\n');
}

/** Ready to serve: the database answers and has every migration this build carries. */
export async function checkReadiness(): Promise<{ migrations: number }> {
  const missing = await missingMigrations();
  if (missing > 0) {
    throw serviceUnavailable(
      undefined,
      `The database lacks ${missing} of the ${MIGRATIONS.length} migrations this build carries: run \`npm run migrate\` ` +
        '(in the container: `node migrate.mjs`) against it.',
      'schema_outdated',
    );
  }
  return { migrations: MIGRATIONS.length };
}

/** Whether the database answers at all (the /unavailable page, after an outage). */
export async function pingDatabase(): Promise<void> {
  try {
    await db().$queryRaw`SELECT 1`;
  } catch (error) {
    throw serviceUnavailable(error, 'The database cannot be reached.');
  }
}
