// `npm run db`: runs the local Neon-compatible endpoint standalone until SIGINT/SIGTERM.
import { startLocalDb } from './server.ts';
import { describeTarget, settingsFromEnv } from './settings.ts';

async function main(): Promise<void> {
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
