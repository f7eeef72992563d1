// `tsx src/local-db/launcher.ts -- <command>`: runs a command against DATABASE_URL, or against the local endpoint when it is unset.
import { spawn } from 'node:child_process';
import nextEnv from '@next/env';
import { constants } from 'node:os';
import { MEMORY, startLocalDb, StartError, type LocalDb } from './server.ts';
import { DEV_SECRET_FILE, devSecret } from './dev-secret.ts';
import { seedAdmin } from './seed.ts';
import { describeTarget, settingsFromEnv } from './settings.ts';

interface Target {
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

/** An endpoint already running on the port (e.g. `npm run db` in another terminal) answers GET /_stats. */
async function runningEndpoint(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/_stats`, { signal: AbortSignal.timeout(1000) });
    const body = (await response.json()) as { queries?: unknown };
    return response.ok && typeof body.queries === 'number';
  } catch {
    return false;
  }
}

/** The app's settings against the local endpoint: a development secret unless one is set, and a seeded admin. */
async function localEnv(connectionString: string, endpoint: string): Promise<NodeJS.ProcessEnv> {
  const env = {
    ...process.env,
    DATABASE_URL: connectionString,
    NEON_FETCH_ENDPOINT: endpoint,
    JWT_SECRET: process.env.JWT_SECRET || devSecret(settingsFromEnv().dataDir === MEMORY ? undefined : DEV_SECRET_FILE),
  };
  Object.assign(process.env, env);
  await seedAdmin(connectionString, endpoint);
  return env;
}

async function resolveTarget(): Promise<Target> {
  if (process.env.DATABASE_URL) return { env: process.env, close: async () => undefined };
  const settings = settingsFromEnv();
  let localDb: LocalDb;
  try {
    localDb = await startLocalDb({ ...settings, quiet: true });
  } catch (error) {
    if (error instanceof StartError && error.reason === 'port-in-use' && (await runningEndpoint(settings.port))) {
      const endpoint = `http://127.0.0.1:${settings.port}/sql`;
      console.error(`local-db: reusing the endpoint already running at ${endpoint}`);
      return {
        env: await localEnv(`postgresql://local:local@127.0.0.1:${settings.port}/local`, endpoint),
        close: async () => undefined,
      };
    }
    if (error instanceof StartError && error.reason === 'port-in-use') {
      throw new Error(
        `${error.message} by something that is not the local database endpoint; set LOCAL_DB_PORT to a free port`,
      );
    }
    throw error;
  }
  console.error(`local-db: ${localDb.endpoint} (${describeTarget(settings)})`);
  try {
    return { env: await localEnv(localDb.connectionString(), localDb.endpoint), close: () => localDb.close() };
  } catch (error) {
    await localDb.close();
    throw error;
  }
}

async function main(): Promise<void> {
  // The same .env files Next.js reads, so a DATABASE_URL there is honoured before choosing a database.
  nextEnv.loadEnvConfig(process.cwd(), process.argv.includes('dev'));
  const separator = process.argv.indexOf('--', 2);
  const [command, ...args] = separator === -1 ? process.argv.slice(2) : process.argv.slice(separator + 1);
  if (!command) throw new Error('usage: tsx src/local-db/launcher.ts -- <command> [args...]');
  const target = await resolveTarget();
  const child = spawn(command, args, { stdio: 'inherit', env: target.env });
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
  await target.close();
  process.exit(exitCode);
}

main().catch((error: unknown) => {
  console.error(`local-db launcher: ${(error as Error).message}`);
  process.exit(1);
});
