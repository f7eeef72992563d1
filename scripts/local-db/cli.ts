// `npm run db`: runs the local Neon-compatible endpoint standalone until SIGINT/SIGTERM.
import nextEnv from '@next/env';
import { readCommandLine, UsageError } from '../command-line.ts';
import { startLocalDb } from './server.ts';
import { describeTarget, SETTINGS_HELP, settingsFromEnv } from './settings.ts';

const HELP = `usage: npm run db [-- --empty] [--wire-port <port>]

Runs the local database endpoint: Neon's SQL-over-HTTP protocol (POST /sql) in front of PGlite, or of a
PostgreSQL server, until Ctrl-C. Its ready line carries DATABASE_URL (with the data folder's password) and
NEON_FETCH_ENDPOINT, which point the app at the HTTP endpoint, and applies prisma/migrations at start. With --empty
(or --wire-port) it offers both connections, as Neon's Vercel integration sets them for a new branch: the ready
line adds DATABASE_URL_UNPOOLED, a direct connection (PostgreSQL's wire protocol) to the same database, which is
what \`npm run migrate\` uses. PGlite is one session: the direct connection serves one client at a time, the next
waiting for it to close.

Options:
  --empty             do not apply the migrations: the database stays as it is (new: empty, as a new Neon
                      branch is), for \`npm run migrate\` to migrate
  --wire-port <port>  serve the direct connection on this port on 127.0.0.1 (with --empty: a free one)
  -h, --help          this text

${SETTINGS_HELP}
`;

async function main(): Promise<void> {
  const { values } = readCommandLine(
    HELP,
    { empty: { type: 'boolean' }, 'wire-port': { type: 'string' } },
    {
      check: ({ values: given }) => {
        const port = given['wire-port'];
        if (port !== undefined && !(/^\d+$/.test(port) && Number(port) <= 65535))
          throw new UsageError(`--wire-port must be a port number (0 picks a free one), got "${port}"`);
      },
    },
  );
  nextEnv.loadEnvConfig(process.cwd(), process.env.NODE_ENV !== 'production', {
    info: () => undefined,
    error: console.error,
  });
  const settings = settingsFromEnv();
  const localDb = await startLocalDb({
    ...settings,
    migrate: !values.empty,
    // The direct connection puts PGlite behind its wire protocol: only where a tool needs one.
    wirePort: values['wire-port'] !== undefined ? Number(values['wire-port']) : values.empty ? 0 : undefined,
  });
  const state = values.empty ? ', migrations not applied' : '';
  console.log(
    `local-db ready: ${localDb.endpoint} (${describeTarget(settings)}${state}); DATABASE_URL=${localDb.connectionString()} ` +
      `NEON_FETCH_ENDPOINT=${localDb.endpoint}${localDb.unpooledUrl ? ` DATABASE_URL_UNPOOLED=${localDb.unpooledUrl}` : ''}`,
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
