// `npm run db:check`: fails, naming the difference, when prisma/schema.prisma and prisma/migrations disagree,
// as `prisma migrate diff --from-migrations --to-schema --exit-code` does (exit 2), using Prisma's schema engine.
import { readCommandLine } from './command-line.ts';
import { checkMigrations } from './schema-engine.ts';

readCommandLine(
  `usage: npm run db:check

Compares prisma/schema.prisma with what the migrations in prisma/migrations build, with Prisma's schema engine
(offline, on a scratch in-memory database). Exits 0 when they agree, 2 naming the difference, 1 on an error.`,
  {},
);

checkMigrations().then(
  ({ agree, report }) => {
    if (agree) console.log(`db:check: ${report}`);
    else console.error(`db:check: ${report}`);
    process.exit(agree ? 0 : 2);
  },
  (error: unknown) => {
    console.error(`db:check: ${(error as Error).message}`);
    process.exit(1);
  },
);
