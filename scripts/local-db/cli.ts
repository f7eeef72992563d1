// `npm run db`: runs the local Neon-compatible endpoint standalone until SIGINT/SIGTERM.
import nextEnv from '@next/env';
import { startLocalDb } from './server.ts';
import { describeTarget, SETTINGS_HELP, settingsFromEnv } from './settings.ts';

const HELP = `Usage: npm run db [-- --help]

Runs the local database endpoint: Neon's SQL-over-HTTP protocol (POST /sql) in front of PGlite, or of a
PostgreSQL server, until Ctrl-C. Prints the DATABASE_URL (with the data folder's password) and the
NEON_FETCH_ENDPOINT that point the app at it. Applies prisma/migrations at start.

${SETTINGS_HELP}
`;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(HELP);
    return;
  }
  if (args.length) throw new Error(`unknown argument ${args[0]}; see npm run db -- --help`);
  nextEnv.loadEnvConfig(process.cwd(), process.env.NODE_ENV !== 'production', {
    info: () => undefined,
    error: console.error,
  });
  const settings = settingsFromEnv();
  const localDb = await startLocalDb(settings);
  console.log(
    `local-db ready: ${localDb.endpoint} (${describeTarget(settings)}); DATABASE_URL=${localDb.connectionString()} NEON_FETCH_ENDPOINT=${localDb.endpoint}`,
  );
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    // Closing PGlite flushes it to its folder; exiting before that could lose committed rows.
    localDb.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`local-db: error while closing: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`local-db: ${(error as Error).message}`);
  process.exit(1);
});
