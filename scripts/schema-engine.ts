// Prisma's schema engine, the WASM build of the engine behind `prisma migrate`, run offline on scratch PGlite
// databases: it replays prisma/migrations on a shadow database and compares the result with the schema.
//
// The Prisma CLI cannot do this here: it runs a native engine it downloads first, and Prisma 7 removed its
// option to run the WASM one. @prisma/schema-engine-wasm is pinned to the version the CLI pins, and a test
// checks that its engine is byte for byte the schema_engine_bg.wasm the CLI ships.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { loadConfigFromFile } from '@prisma/config';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { DiffResult, MigrationList, SchemaFilter, SchemasContainer } from '@prisma/schema-engine-wasm';
import { scratchDatabase } from './pglite-adapter.ts';
import { engineError, loadEngine, readMigrationList } from './schema-engine-runtime.ts';

/** What the engine needs to know of a project, read the way the Prisma CLI reads it (prisma.config.ts). */
export interface Project {
  schema: SchemasContainer;
  migrationsDir: string;
  migrations: MigrationList;
  filters: SchemaFilter;
}

async function schemaFiles(path: string): Promise<string[]> {
  if (!(await stat(path)).isDirectory()) return [path];
  const entries = await readdir(path, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.prisma'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

export async function readProject(root = process.cwd()): Promise<Project> {
  const { config, error } = await loadConfigFromFile({ configRoot: root });
  if (error)
    throw new Error(
      `Cannot load the Prisma config: ${error._tag}${'error' in error ? `: ${error.error.message}` : ''}`,
    );
  const schemaPath = config.schema ?? join(root, 'prisma', 'schema.prisma');
  const migrationsDir = config.migrations?.path ?? join(root, 'prisma', 'migrations');
  const files = await Promise.all(
    (await schemaFiles(schemaPath)).map(async (path) => ({
      path: relative(root, path),
      content: await readFile(path, 'utf8'),
    })),
  );
  return {
    schema: { files },
    migrationsDir,
    migrations: await readMigrationList(migrationsDir, config.migrations?.initShadowDb ?? ''),
    filters: { externalTables: config.tables?.external ?? [], externalEnums: config.enums?.external ?? [] },
  };
}

/**
 * Compares the schema the migrations build (replayed on a shadow database) with the Prisma schema: the
 * meaning of `prisma migrate diff --from-migrations <dir> --to-schema <schema> --exit-code`. `changed` is
 * false when they agree; `output` is the engine's summary, or with `script` the SQL that closes the gap.
 */
export async function diffMigrationsToSchema(
  project: Project,
  { script }: { script: boolean },
): Promise<{ changed: boolean; output: string }> {
  const runtime = await loadEngine();
  const database = scratchDatabase();
  let result: DiffResult;
  try {
    const engine = await runtime.SchemaEngine.new(
      { datamodels: project.schema.files.map((file) => [file.path, file.content]) },
      () => undefined,
      bindMigrationAwareSqlAdapterFactory(database.factory),
    );
    try {
      result = await engine.diff({
        from: { tag: 'migrations', ...project.migrations },
        to: { tag: 'schemaDatamodel', ...project.schema },
        script,
        exitCode: true,
        filters: project.filters,
      });
    } finally {
      engine.free();
    }
  } catch (error) {
    throw engineError(error);
  } finally {
    await database.close();
  }
  return { changed: result.exitCode === 2, output: result.stdout ?? '' };
}

/** What `npm run db:check` reports: whether the migrations build the schema, and in words what differs. */
export async function checkMigrations(root = process.cwd()): Promise<{ agree: boolean; report: string }> {
  const project = await readProject(root);
  const { changed, output } = await diffMigrationsToSchema(project, { script: false });
  const schema = project.schema.files.map((file) => file.path).join(', ');
  const migrations = relative(root, project.migrationsDir);
  if (!changed) {
    const count = project.migrations.migrationDirectories.length;
    return { agree: true, report: `${schema} and the ${count} migrations in ${migrations} agree.` };
  }
  return {
    agree: false,
    report:
      `${schema} differs from what the migrations in ${migrations} build. From the migrations to the schema:\n\n` +
      `${output.trimEnd()}\n\n` +
      'Make the migration with `npm run db:migrate -- --name <what-changed>`, or undo the schema change.',
  };
}
