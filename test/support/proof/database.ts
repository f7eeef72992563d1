// The local database endpoint as a child process of the proof suite, so tests can stop it, `kill -9` it
// and start it again on the same port and data folder while the production server keeps running.
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { connectionStringFor, dataFolderPassword, localCredentials } from '@/scripts/local-db/credentials.ts';

export interface DbPlace {
  /** Fixed for the whole run: the app's NEON_FETCH_ENDPOINT points here. */
  port: number;
  /** PGlite data folder (LOCAL_DB_DIR). */
  dataDir: string;
  /** Where the pid of the running endpoint and its log are kept, so any process of the run can stop it. */
  runDir: string;
}

const PID_FILE = 'db.pid';
const LOG_FILE = 'db.log';

export const dbOrigin = ({ port }: Pick<DbPlace, 'port'>) => `http://127.0.0.1:${port}`;
export const dbEndpoint = (place: Pick<DbPlace, 'port'>) => `${dbOrigin(place)}/sql`;
/** The endpoint checks the data folder's password, made by whichever of it and this reads it first. */
export const dbConnectionString = ({ port, dataDir }: Pick<DbPlace, 'port' | 'dataDir'>) =>
  connectionStringFor(`127.0.0.1:${port}`, localCredentials(dataFolderPassword(dataDir)), 'proof');

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** True when the endpoint answers a query (it answers 503 while applying migrations). */
export async function dbAnswers(place: Pick<DbPlace, 'port' | 'dataDir'>, timeoutMs = 1_000): Promise<boolean> {
  try {
    const response = await fetch(dbEndpoint(place), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'neon-connection-string': dbConnectionString(place) },
      body: JSON.stringify({ query: 'SELECT 1', params: [] }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

function runningPid(place: DbPlace): number | undefined {
  const file = join(place.runDir, PID_FILE);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8'));
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts `tsx scripts/local-db/cli.ts` (as `node --import tsx`, one process, so a signal reaches the endpoint
 * itself) detached in its own process group, and waits until it serves queries.
 */
export async function startDb(place: DbPlace, deadlineMs = 60_000): Promise<number> {
  const previous = runningPid(place);
  if (previous && isAlive(previous)) throw new Error(`the local endpoint is already running (pid ${previous})`);
  const log = openSync(join(place.runDir, LOG_FILE), 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/local-db/cli.ts'], {
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, LOCAL_DB_PORT: String(place.port), LOCAL_DB_DIR: place.dataDir, LOCAL_DB_POSTGRES_URL: '' },
  });
  closeSync(log);
  child.unref();
  const pid = child.pid!;
  writeFileSync(join(place.runDir, PID_FILE), String(pid));
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || !isAlive(pid)) {
      throw new Error(
        `the local endpoint exited at start (code ${child.exitCode}); see ${join(place.runDir, LOG_FILE)}`,
      );
    }
    if (await dbAnswers(place)) return pid;
    await pause(100);
  }
  throw new Error(`the local endpoint did not answer within ${deadlineMs} ms`);
}

/**
 * Stops the running endpoint: SIGTERM lets it close PGlite (flushing it to the folder), SIGKILL is a crash.
 * Returns once the process is gone and the port is free.
 */
export async function stopDb(place: DbPlace, signal: 'SIGTERM' | 'SIGKILL', deadlineMs = 30_000): Promise<void> {
  const pid = runningPid(place);
  if (!pid) return;
  try {
    // The whole group: anything the endpoint forked goes with it.
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
  const deadline = Date.now() + deadlineMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      process.kill(-pid, 'SIGKILL');
      throw new Error(`the local endpoint (pid ${pid}) did not stop on ${signal} within ${deadlineMs} ms`);
    }
    await pause(20);
  }
  rmSync(join(place.runDir, PID_FILE), { force: true });
}

/** Stops the endpoint however it was started, for teardown. */
export async function stopDbQuietly(place: DbPlace): Promise<void> {
  await stopDb(place, 'SIGTERM').catch(() => stopDb(place, 'SIGKILL'));
}

/** Whatever a failed test left behind, the next one starts with an endpoint that answers. */
export async function restartDbIfDown(place: DbPlace): Promise<void> {
  if (await dbAnswers(place)) return;
  await stopDb(place, 'SIGKILL');
  await startDb(place);
}

/** Slows every /sql reply by `delayMs` (0 removes the fault). */
export async function setDbDelay(place: Pick<DbPlace, 'port' | 'dataDir'>, delayMs: number): Promise<void> {
  const response = await fetch(`${dbOrigin(place)}/_faults`, {
    method: delayMs > 0 ? 'PUT' : 'DELETE',
    headers: { 'content-type': 'application/json', 'neon-connection-string': dbConnectionString(place) },
    body: delayMs > 0 ? JSON.stringify({ delayMs }) : undefined,
    signal: AbortSignal.timeout(5_000),
  });
  if (!response.ok) throw new Error(`/_faults answered ${response.status}`);
}

/** Rows in the users table, counted by the endpoint itself (not through the app). */
export async function queryDb<Row = Record<string, unknown>>(
  place: Pick<DbPlace, 'port' | 'dataDir'>,
  query: string,
  params: string[] = [],
): Promise<Row[]> {
  const response = await fetch(dbEndpoint(place), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'neon-connection-string': dbConnectionString(place) },
    body: JSON.stringify({ query, params }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`/sql answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { rows: Row[] }).rows;
}
