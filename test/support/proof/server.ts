// Global setup for the proof project: builds the app (unless SKIP_BUILD=1 or the build is newer than the
// sources), starts the local endpoint as a child process on a fixed port and data folder, starts the standalone
// server against it with a short database timeout, and at the end prints the run's figures and fails on any bad one.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { dbConnectionString, dbEndpoint, startDb, stopDbQuietly, type DbPlace } from './database.ts';
import { FIGURES_DIR, readFigures, summarize } from './figures.ts';
import { standaloneServerEnv } from '../over-http/server-settings.ts';
import { freePort, waitUntilReady } from '../processes.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    localDbEndpoint: string;
    localDbUrl: string;
    proofDb: DbPlace;
    proofDbTimeoutMs: number;
    proofSeed: number;
    proofRuns: number;
    proofServerLog: string;
    proofServerPid: number;
    /** A second server on the same database, configured as on Vercel: TRUST_PROXY and every default limit. */
    platformBaseUrl: string;
  }
}

/** Fuzz requests in the default run; PROOF_RUNS raises it (and the other figures scale with it). */
export const DEFAULT_PROOF_RUNS = 10_000;

function integerSetting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0)
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

/** Newest modification time under the given files and folders (what `next build` reads for the server). */
function newestSource(paths: string[]): number {
  let newest = 0;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const stats = statSync(path);
    if (stats.isDirectory()) newest = Math.max(newest, newestSource(readdirSync(path).map((name) => join(path, name))));
    else newest = Math.max(newest, stats.mtimeMs);
  }
  return newest;
}

const BUILD_INPUTS = [
  'app',
  'src',
  'prisma',
  'public',
  'middleware.ts',
  'instrumentation.ts',
  'next.config.ts',
  'package.json',
];

/** A standalone build newer than every source (e.g. the one the integration project just made) is reused. */
function buildIsFresh(): boolean {
  const server = '.next/standalone/server.js';
  return existsSync(server) && statSync(server).mtimeMs > newestSource(BUILD_INPUTS);
}

export default async function setup(project: TestProject) {
  if (process.env.SKIP_BUILD !== '1' && !process.env.PROOF_STANDALONE_DIR && !buildIsFresh()) {
    const build = spawnSync('npm', ['run', 'build'], {
      stdio: 'inherit',
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    });
    if (build.status !== 0) throw new Error('npm run build failed');
  }
  const seed = integerSetting('PROOF_SEED', Math.floor(Math.random() * 2 ** 31));
  const runs = integerSetting('PROOF_RUNS', DEFAULT_PROOF_RUNS);
  // The app's own default (src/env.ts): on a loaded machine PGlite's one-connection queue can hold a query for
  // seconds, and a shorter timeout turned that into 503s the proofs did not expect. The fault proofs scale with it.
  const timeoutMs = integerSetting('PROOF_DB_TIMEOUT_MS', 5_000);
  console.log(`proof: PROOF_SEED=${seed} PROOF_RUNS=${runs} DATABASE_TIMEOUT_MS=${timeoutMs}`);

  // PROOF_STANDALONE_DIR: a standalone build made elsewhere (e.g. in a copy of the tree), with SKIP_BUILD=1.
  const standalone = resolve(process.env.PROOF_STANDALONE_DIR || '.next/standalone');
  if (!existsSync(join(standalone, 'server.js')))
    throw new Error(`${standalone}/server.js is missing: run npm run build`);
  const runDir = mkdtempSync(join(tmpdir(), 'proof-'));
  // A copy of the build: another `npm run build` in this tree must not swap files under the running server.
  const appDir = join(runDir, 'app');
  cpSync(standalone, appDir, { recursive: true, verbatimSymlinks: true });
  rmSync(FIGURES_DIR, { recursive: true, force: true });
  mkdirSync(FIGURES_DIR, { recursive: true });

  const place: DbPlace = { port: await freePort(), dataDir: join(runDir, 'pglite'), runDir };
  await startDb(place);

  const serverLog = join(runDir, 'server.log');
  const started: ChildProcess[] = [];
  const startServer = async (env: Record<string, string>) => {
    const port = await freePort();
    const log = openSync(serverLog, 'a');
    // In its own process group, so stopping it stops everything it forks.
    const server = spawn(process.execPath, [join(appDir, 'server.js')], {
      detached: true,
      stdio: ['ignore', log, log],
      env: {
        ...standaloneServerEnv({ port, databaseUrl: dbConnectionString(place), fetchEndpoint: dbEndpoint(place) }),
        ...env,
      },
    });
    closeSync(log);
    started.push(server);
    const url = `http://127.0.0.1:${port}`;
    await waitUntilReady(`${url}/api/health`, server, 60_000);
    return { server, url };
  };
  const stopServers = () => {
    for (const { pid } of started) {
      try {
        if (pid) process.kill(-pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  };
  let server: ChildProcess;
  let baseUrl: string;
  let platformBaseUrl: string;
  try {
    ({ server, url: baseUrl } = await startServer({
      DATABASE_TIMEOUT_MS: String(timeoutMs),
      // Production cost: sign-ins and sign-ups stay few in this suite.
      PASSWORD_ITERATIONS: '600000',
      // Generated input signs in at any rate; the bound on hashing has its own tests, on the platform server.
      PASSWORD_HASH_CONCURRENCY: '64',
      CORS_ORIGINS: 'https://app.example.com',
    }));
    // Every limit at its default, forwarded addresses trusted as on Vercel: where the attacks are replayed.
    ({ url: platformBaseUrl } = await startServer({
      TRUST_PROXY: 'true',
      ACCESS_TOKEN_TTL_SECONDS: '',
      REGISTER_MAX_PER_ADDRESS: '',
      PASSWORD_ITERATIONS: '600000',
    }));
  } catch (error) {
    for (const { pid } of started) if (pid) process.kill(-pid, 'SIGKILL');
    await stopDbQuietly(place);
    throw error;
  }
  console.log(`proof: server ${baseUrl} (log ${serverLog}), local endpoint ${dbEndpoint(place)} on ${place.dataDir}`);

  project.provide('baseUrl', baseUrl);
  project.provide('localDbEndpoint', dbEndpoint(place));
  project.provide('localDbUrl', dbConnectionString(place));
  project.provide('proofDb', place);
  project.provide('proofDbTimeoutMs', timeoutMs);
  project.provide('proofSeed', seed);
  project.provide('proofRuns', runs);
  project.provide('proofServerLog', serverLog);
  project.provide('proofServerPid', server.pid!);
  project.provide('platformBaseUrl', platformBaseUrl);

  return async () => {
    stopServers();
    await stopDbQuietly(place);
    const { table, failures } = summarize(readFigures(), serverLog, seed);
    console.log(table);
    if (process.env.PROOF_KEEP !== '1') rmSync(runDir, { recursive: true, force: true });
    // A teardown error alone does not change Vitest's exit code.
    if (failures.length) process.exitCode = 1;
    if (failures.length) throw new Error(`proof failed: ${failures.join('; ')} (PROOF_SEED=${seed})`);
  };
}
