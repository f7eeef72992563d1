// The migrations a build carries, by name, written into src/generated/migrations.ts for /api/health: an edge
// function cannot read prisma/migrations, so the list is fixed when the client is generated and when Next.js builds.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const MIGRATION_NAMES_MODULE = 'src/generated/migrations.ts';

/** Folders of prisma/migrations holding a migration.sql, in the order Prisma applies them. */
export function migrationNames(root = process.cwd()): string[] {
  const folder = join(root, 'prisma/migrations');
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(folder, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort();
}

/** Writes the module when its content changes (an unchanged file leaves `next dev` and caches alone). */
export function writeMigrationNames(root = process.cwd()): string[] {
  const names = migrationNames(root);
  const path = join(root, MIGRATION_NAMES_MODULE);
  const source =
    '// Generated from prisma/migrations by scripts/migration-names.ts (npm run generate, next build); do not edit.\n' +
    `export const MIGRATIONS: readonly string[] = ${JSON.stringify(names, null, 2)};\n`;
  if (!existsSync(path) || readFileSync(path, 'utf8') !== source) {
    mkdirSync(join(root, 'src/generated'), { recursive: true });
    writeFileSync(path, source);
  }
  return names;
}
