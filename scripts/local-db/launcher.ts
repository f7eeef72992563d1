// `tsx scripts/local-db/launcher.ts -- <command>`: runs a command against DATABASE_URL, or against the local endpoint when it is unset.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { constants } from 'node:os';
import nextEnv from '@next/env';
import { parseEnv } from '@/src/env.ts';
import { DEV_SECRET_FILE, devSecret } from './dev-secret.ts';
import { adminSettings, seedAdmin, type AdminSettings } from './seed.ts';
import { MEMORY, startLocalDb, StartError, targetIdentity, type LocalDb } from './server.ts';
import { describeTarget, localConnectionString, SETTINGS_HELP, settingsFromEnv, type Settings } from './settings.ts';

const HELP = `Usage: tsx scripts/local-db/launcher.ts [--help] -- <command> [args...]

Runs <command> (npm run dev: next dev; npm start: the built server) against a database:
  - DATABASE_URL set (in the environment, .env or .env.local): the command runs as it is, on that database;
  - otherwise the local database endpoint: started (or, when this data folder's endpoint is already
    running, reused), migrated, seeded with an admin, and handed to the command as DATABASE_URL and
    NEON_FETCH_ENDPOINT, with a development JWT_SECRET unless one is set, and for the production server
    (npm start) PUBLIC_ORIGIN=http://localhost:<PORT> unless one is set.
The app's settings are checked before the command starts; a wrong one stops here, saying what is expected.

${SETTINGS_HELP}
  ADMIN_EMAIL            the seeded admin (default admin@example.com)
  ADMIN_PASSWORD         its password: in development 8-128 characters (default local-admin-password);
                         in production (npm start, NODE_ENV=production) at least 12, or generated and shown once
  PUBLIC_ORIGIN          the origin browsers use (npm start: http://localhost:<PORT>, PORT default 3000)
`;

interface Target {
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
  /** While the command runs: what to keep an eye on; returns how to stop. */
  watch?(): () => void;
}

/** How often the launcher checks that an endpoint another command started still answers. */
const BORROWED_CHECK_MS = 2_000;

/**
 * An endpoint this launcher reused belongs to another command (another npm run dev, npm start): when that one
 * exits, the database goes with it, and the app answers 503 with nothing in its log to say why. Says so, once
 * each time it goes away, with what to do.
 */
function watchBorrowedEndpoint(port: number, serving: string): () => void {
  let gone = false;
  const timer = setInterval(() => {
    void runningEndpoint(port).then((answer) => {
      if (answer !== undefined) {
        gone = false;
        return;
      }
      if (gone) return;
      gone = true;
      console.error(
        `local-db: the database endpoint at http://127.0.0.1:${port}/sql (${serving}) has stopped: the command that ` +
          'started it (another npm run dev or npm start) has exited, and every request that needs the database ' +
          'now answers 503. Restart this command to run a database of its own.',
      );
    });
  }, BORROWED_CHECK_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** What an endpoint already listening on `port` serves (GET /_info), or undefined when it is not one of ours. */
async function runningEndpoint(port: number): Promise<string | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/_info`, { signal: AbortSignal.timeout(1000) });
    const body = (await response.json()) as { database?: unknown };
    return response.ok && typeof body.database === 'string' ? body.database : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where `npm start` on the embedded database is reached, unless PUBLIC_ORIGIN says otherwise: the standalone server
 * listens on PORT (3000), and a newcomer opens localhost. Supplied here, so that in the app no header ever decides
 * links, cookies or same-origin checks in production; `next dev` needs none (it may move to another port).
 */
function localPublicOrigin(env: NodeJS.ProcessEnv): string {
  return env.PUBLIC_ORIGIN || `http://localhost:${env.PORT || 3000}`;
}

/**
 * The app's settings against the local endpoint: a development secret unless one is set, a seeded admin and, for a
 * production server, its public origin.
 */
async function localEnv(
  connectionString: string,
  endpoint: string,
  settings: Settings,
  admin: AdminSettings,
  production: boolean,
): Promise<NodeJS.ProcessEnv> {
  const env = {
    ...process.env,
    DATABASE_URL: connectionString,
    NEON_FETCH_ENDPOINT: endpoint,
    JWT_SECRET: process.env.JWT_SECRET || devSecret(settings.dataDir === MEMORY ? undefined : DEV_SECRET_FILE),
    ...(production ? { PUBLIC_ORIGIN: localPublicOrigin(process.env) } : {}),
  };
  Object.assign(process.env, env);
  await seedAdmin(connectionString, endpoint, admin);
  return env;
}

async function resolveTarget(production: boolean): Promise<Target> {
  if (process.env.DATABASE_URL) return { env: process.env, close: async () => undefined };
  const settings = settingsFromEnv();
  const admin = adminSettings(process.env, production);
  let localDb: LocalDb;
  try {
    localDb = await startLocalDb({ ...settings, quiet: true });
  } catch (error) {
    if (!(error instanceof StartError) || error.reason !== 'port-in-use') throw error;
    const serving = await runningEndpoint(settings.port);
    if (serving === undefined) {
      throw new Error(
        `${error.message} by something that is not the local database endpoint; set LOCAL_DB_PORT to a free port`,
      );
    }
    if (serving !== targetIdentity(settings)) {
      throw new Error(
        `port ${settings.port} already serves another database (${serving}), not this one (${describeTarget(settings)}). ` +
          `To run both, give this one a port of its own: LOCAL_DB_PORT=${settings.port + 1} (in .env.local or the environment).`,
      );
    }
    const endpoint = `http://127.0.0.1:${settings.port}/sql`;
    console.error(`local-db: reusing the endpoint already serving ${serving} at ${endpoint}`);
    const connectionString = localConnectionString(settings);
    return {
      env: await localEnv(connectionString, endpoint, settings, admin, production),
      close: async () => undefined,
      watch: () => watchBorrowedEndpoint(settings.port, serving),
    };
  }
  const latency = settings.latencyMs ? `, ${settings.latencyMs} ms simulated latency` : '';
  console.error(`local-db: ${localDb.endpoint} (${describeTarget(settings)}${latency})`);
  try {
    return {
      env: await localEnv(localDb.connectionString(), localDb.endpoint, settings, admin, production),
      close: () => localDb.close(),
    };
  } catch (error) {
    await localDb.close();
    throw error;
  }
}

/** What `npm start` runs. */
const STANDALONE_SERVER = '.next/standalone/server.js';

/** `node <script>` where the script is build output that is not there yet. */
function missingBuild(command: string, args: string[]): string | undefined {
  const script = args[0];
  if (command !== 'node' || !script || script.startsWith('-') || existsSync(script)) return undefined;
  return script.startsWith('.next/')
    ? `there is no production build (${script} is missing): run npm run build first`
    : `cannot find ${script}`;
}

/** The production server's address, as `.next/standalone/server.js` reads it. */
const SERVER_PORT = () => Number(process.env.PORT || 3000);
const SERVER_HOST = () => process.env.HOSTNAME || '0.0.0.0';

/**
 * Whether the built server could listen where it will: a taken port otherwise ends it with Node's raw
 * `EADDRINUSE` stack, after the database has been started and seeded for nothing.
 */
async function portInUse(port: number, host: string): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EADDRINUSE'));
    probe.listen(port, host, () => probe.close(() => resolve(false)));
  });
}

/**
 * The app's own settings, checked as the server will check them, before anything starts (a wrong one
 * would otherwise surface after the server said it was ready). On the local database the launcher
 * supplies DATABASE_URL, NEON_FETCH_ENDPOINT and, unless set, JWT_SECRET (and a production server's
 * PUBLIC_ORIGIN) itself; on a database of your own (DATABASE_URL) production needs PUBLIC_ORIGIN like any other.
 */
function checkAppSettings(env: NodeJS.ProcessEnv, dev: boolean, production: boolean): void {
  const supplied = env.DATABASE_URL
    ? {}
    : {
        DATABASE_URL: 'postgresql://local:supplied@127.0.0.1/local',
        NEON_FETCH_ENDPOINT: 'http://127.0.0.1/sql',
        JWT_SECRET: env.JWT_SECRET || 'supplied-by-the-launcher-at-least-32-bytes',
        ...(production ? { PUBLIC_ORIGIN: localPublicOrigin(env) } : {}),
      };
  parseEnv({ ...env, ...supplied, NODE_ENV: env.NODE_ENV || (dev ? 'development' : 'production') });
}

async function main(): Promise<void> {
  const separator = process.argv.indexOf('--', 2);
  const own = separator === -1 ? [] : process.argv.slice(2, separator);
  if (own.includes('--help') || own.includes('-h') || (separator === -1 && process.argv.includes('--help'))) {
    process.stdout.write(HELP);
    return;
  }
  const [command, ...args] = separator === -1 ? process.argv.slice(2) : process.argv.slice(separator + 1);
  if (!command) throw new Error('usage: tsx scripts/local-db/launcher.ts -- <command> [args...] (see --help)');
  const dev = command === 'next' && args[0] === 'dev';
  // The same .env files Next.js reads, in the same order, so a DATABASE_URL there is honoured before choosing a database.
  nextEnv.loadEnvConfig(process.cwd(), dev, { info: () => undefined, error: console.error });
  const buildMissing = missingBuild(command, args);
  if (buildMissing) throw new Error(buildMissing);
  if (command === 'node' && args[0] === STANDALONE_SERVER && (await portInUse(SERVER_PORT(), SERVER_HOST()))) {
    throw new Error(
      `port ${SERVER_PORT()} is already in use (another server, or npm start or npm run dev still running?). ` +
        `Stop it, or choose another port: PORT=${SERVER_PORT() + 1} npm start`,
    );
  }
  const production = !dev || process.env.NODE_ENV === 'production';
  checkAppSettings(process.env, dev, production);
  const target = await resolveTarget(production);
  const child = spawn(command, args, { stdio: 'inherit', env: target.env });
  const stopWatching = target.watch?.();
  // The child shares our terminal, so Ctrl-C reaches it directly too; forwarding covers `kill <pid>`.
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  const exitCode = await new Promise<number>((resolve) => {
    child.on('error', (error) => {
      console.error(`local-db launcher: cannot run ${command}: ${error.message}`);
      resolve(127);
    });
    child.on('exit', (code, signal) => resolve(code ?? 128 + (signal ? constants.signals[signal] : 0)));
  });
  stopWatching?.();
  await target.close();
  process.exit(exitCode);
}

main().catch((error: unknown) => {
  console.error(`local-db launcher: ${(error as Error).message}`);
  process.exit(1);
});
