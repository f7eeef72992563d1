// `npm run db:reset`: replaces the embedded database's data folder with a new one (migrations applied, the admin
// seeded), after asking; `--yes` skips the question. Never touches a database named by a URL. Node-only.
import { rm, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { readCommandLine } from './command-line.ts';
import { loadSettings, openDataTarget } from './local-db/data-target.ts';
import { MEMORY } from './local-db/server.ts';
import { settingsFromEnv } from './local-db/settings.ts';
import { localEndpointRunning } from './local-endpoint.ts';

const USAGE = `usage: npm run db:reset [-- --yes]

Deletes the embedded database's data folder (LOCAL_DB_DIR, default .data/pglite) with everything in it, and makes
a new one: the migrations applied and the admin seeded (ADMIN_EMAIL, ADMIN_PASSWORD), as a first npm run dev
does. Asks first; without a terminal to ask on, it refuses unless given --yes.

  --yes    do not ask
  --help   this text

Stop npm run dev (or npm start) first: it holds the folder open. A database named by DATABASE_URL or
LOCAL_DB_POSTGRES_URL is never reset here.`;

/** Exit status of a reset refused for what surrounds it (a running endpoint, no terminal), not its arguments. */
const REFUSED = 1;

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function confirmed(folder: string): Promise<boolean> {
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await terminal.question(`Delete ${folder} and every user, session and link in it? [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    terminal.close();
  }
}

async function main(): Promise<number> {
  const { values } = readCommandLine(USAGE, { yes: { type: 'boolean', default: false } });
  loadSettings();
  const settings = settingsFromEnv();
  if (settings.postgresUrl) {
    console.error(
      'db:reset: LOCAL_DB_POSTGRES_URL is set: that PostgreSQL server is yours to reset (dropdb/createdb).',
    );
    return REFUSED;
  }
  if (settings.dataDir === MEMORY) {
    console.error('db:reset: LOCAL_DB_DIR is memory:, which starts empty every time: nothing to reset.');
    return REFUSED;
  }
  const folder = resolve(settings.dataDir);
  if (await localEndpointRunning(settings.port)) {
    console.error(
      `db:reset: the local database endpoint on port ${settings.port} has ${folder} open; stop npm run dev (or npm start) first.`,
    );
    return REFUSED;
  }
  if (!values.yes) {
    if (!process.stdin.isTTY) {
      console.error(`db:reset: not asked on a terminal, so nothing deleted; to delete ${folder} anyway, pass --yes.`);
      return REFUSED;
    }
    if (!(await confirmed(folder))) {
      console.error('db:reset: nothing deleted.');
      return REFUSED;
    }
  }
  const had = await exists(folder);
  await rm(folder, { recursive: true, force: true });
  // DATABASE_URL names another database: the new folder is the embedded one's, whatever the .env files say.
  delete process.env.DATABASE_URL;
  const target = await openDataTarget();
  await target.close();
  console.log(`db:reset: ${had ? 'replaced' : 'made'} ${folder}: a new database, migrations applied, admin seeded.`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`db:reset: ${(error as Error).message}`);
    process.exit(1);
  },
);
