// `npm run db:check`: fails, naming the difference, when prisma/schema.prisma and prisma/migrations disagree,
// as `prisma migrate diff --from-migrations --to-schema --exit-code` does (exit 2), using Prisma's schema engine.
import { relative } from 'node:path';
import { diffMigrationsToSchema, readProject } from './schema-engine.ts';

async function main(): Promise<void> {
  const project = await readProject();
  const { changed, output } = await diffMigrationsToSchema(project, { script: false });
  const schema = project.schema.files.map((file) => file.path).join(', ');
  const migrations = relative(process.cwd(), project.migrationsDir);
  const count = project.migrations.migrationDirectories.length;
  if (!changed) {
    console.log(`db:check: ${schema} and the ${count} migrations in ${migrations} agree.`);
    return;
  }
  console.error(
    `db:check: ${schema} differs from what the migrations in ${migrations} build. To go from the migrations to the schema:\n\n` +
      `${output.trimEnd()}\n\n` +
      'Make the migration with `npm run db:migrate -- --name <what-changed>`, or undo the schema change.',
  );
  process.exit(2);
}

main().catch((error: unknown) => {
  console.error(`db:check: ${(error as Error).message}`);
  process.exit(1);
});
