// `npm run migrate` (and `node migrate.mjs` in the container): applies the pending migrations of prisma/migrations
// to the database in DATABASE_URL_UNPOOLED, else DATABASE_URL, with Prisma's own schema engine. See --help.
import { existsSync } from 'node:fs';
import { basename, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCommandLine, UsageError } from '../command-line.ts';
import { deploy, Refusal, resolve, type Command } from './deploy.ts';

/** How a person runs this command again: the container's bundle, or the project's npm script. */
const COMMAND: Command =
  basename(process.argv[1] ?? '') === 'migrate.mjs'
    ? { plain: 'node migrate.mjs', with: (args) => `node migrate.mjs ${args}` }
    : { plain: 'npm run migrate', with: (args) => `npm run migrate -- ${args}` };

const USAGE = `usage: ${COMMAND.with('[--migrations <dir>] [--skip-without-url]')}
       ${COMMAND.with('--rolled-back <migration> | --applied <migration>')}

Applies the pending migrations in prisma/migrations, in order, to the database in DATABASE_URL_UNPOOLED (a direct
connection, as Neon's Vercel integration sets it), else DATABASE_URL: what \`prisma migrate deploy\` does, run by
Prisma's own schema engine (its WASM build), recorded in _prisma_migrations as Prisma records it. Two runs at once
apply each migration once (Prisma's advisory lock). A run with nothing to apply sends one statement and no DDL.

Refuses (exit 1), saying what to do, when the database records a failed migration or an applied migration's file
was edited. The URL must reach PostgreSQL's wire protocol: a local endpoint's HTTP DATABASE_URL is not enough
(\`npm run db\` prints a DATABASE_URL_UNPOOLED for this).

Options:
  --migrations <dir>     the migrations folder (default: prisma/migrations beside this command, else in the
                         current folder)
  --skip-without-url     with neither variable set, say so and exit 0 (the build step, which may run without a
                         database); without it, a missing URL is an error (exit 1)
  --rolled-back <name>   mark a failed migration rolled back, so that the next run applies it again
                         (prisma migrate resolve --rolled-back)
  --applied <name>       record a migration as applied without running it, after doing its work by hand
                         (prisma migrate resolve --applied)
  -h, --help             this text

Exit codes: 0 done or nothing to do, 1 refused or failed, 2 a usage error.`;

function migrationsFolder(given: string | undefined): string {
  if (given) return resolvePath(given);
  const beside = fileURLToPath(new URL('./prisma/migrations', import.meta.url));
  return existsSync(beside) ? beside : resolvePath('prisma/migrations');
}

/** The connection to migrate over, or why there is none. */
function databaseUrl(env: NodeJS.ProcessEnv): { url?: string; problem?: string } {
  const unpooled = env.DATABASE_URL_UNPOOLED?.trim();
  if (unpooled) return { url: unpooled };
  const url = env.DATABASE_URL?.trim();
  if (!url) return {};
  if (env.NEON_FETCH_ENDPOINT?.trim()) {
    return {
      problem:
        'DATABASE_URL is served over HTTP here (NEON_FETCH_ENDPOINT is set), and migrating needs a direct connection: ' +
        'set DATABASE_URL_UNPOOLED (npm run db prints it on its ready line).',
    };
  }
  return { url };
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

async function main(): Promise<number> {
  const { values } = readCommandLine(
    USAGE,
    {
      migrations: { type: 'string' },
      'skip-without-url': { type: 'boolean' },
      'rolled-back': { type: 'string' },
      applied: { type: 'string' },
    },
    {
      check: ({ values: given }) => {
        if (given['rolled-back'] !== undefined && given.applied !== undefined)
          throw new UsageError('--rolled-back and --applied are two different answers; give one');
      },
    },
  );
  const { url, problem } = databaseUrl(process.env);
  if (problem) throw new Refusal(problem);
  if (!url) {
    if (values['skip-without-url']) {
      console.log('migrate: no DATABASE_URL_UNPOOLED or DATABASE_URL; nothing to migrate (--skip-without-url).');
      return 0;
    }
    throw new Refusal('no DATABASE_URL_UNPOOLED or DATABASE_URL: set the database to migrate.');
  }
  const folder = migrationsFolder(values.migrations);
  const started = performance.now();
  if (values['rolled-back'] !== undefined || values.applied !== undefined) {
    const mark =
      values['rolled-back'] !== undefined ? { rolledBack: values['rolled-back'] } : { applied: values.applied! };
    await resolve(url, folder, mark);
    console.log(
      'rolledBack' in mark
        ? `migrate: ${mark.rolledBack} is marked rolled back; the next run applies it again.`
        : `migrate: ${mark.applied} is recorded as applied.`,
    );
    return 0;
  }
  const outcome = await deploy(url, folder, COMMAND);
  const took = `${outcome.statements} statement${outcome.statements === 1 ? '' : 's'}, ${seconds(performance.now() - started)}`;
  if (outcome.applied.length === 0) {
    console.log(`migrate: the database has all ${outcome.carried} migrations; nothing to apply (${took}).`);
  } else {
    console.log(
      `migrate: applied ${outcome.applied.join(', ')} (${outcome.applied.length} of ${outcome.carried}; ${took}).`,
    );
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Refusal ? error.message : `failed: ${(error as Error).message}`;
    console.error(`migrate: ${message}`);
    process.exit(1);
  },
);
