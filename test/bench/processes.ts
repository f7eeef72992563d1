// The benchmark's processes: our standalone server (serving ours, or its peer's routes in a bench copy's build), the
// reference server, and the forked load driver.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { LoadJob, LoadResult } from './load.ts';
import { freePort, waitUntilReady } from '@/test/support/processes.ts';
import { standaloneServerEnv } from '@/test/support/over-http/server-settings.ts';

export type ServerKind = 'ours' | 'peer' | 'reference';

const REFERENCE_SERVER = 'test/bench/reference/server.ts';
const LOAD_DRIVER = 'test/bench/load.ts';

export interface ServerSettings {
  databaseUrl: string;
  fetchEndpoint: string;
  jwtSecret: string;
  /** A copy of .next/standalone: other builds in the tree cannot pull it away mid-run. */
  standaloneDir: string;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeArgs?: string[];
  /** PUBLIC_ORIGIN, when not the server's own address: two servers then write the same links. */
  publicOrigin?: string;
}

export interface RunningServer {
  kind: ServerKind;
  baseUrl: string;
  port: number;
  process: ChildProcess;
  /** ms from spawn until the port accepted a connection. */
  listenMs: number;
  stop(): Promise<void>;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Polls the port (not a URL), so no request reaches the server before the one being timed. */
async function waitUntilListening(port: number, child: ChildProcess, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
    if (await accepts(port)) return;
    await pause(10);
  }
  throw new Error(`port ${port} did not open within ${deadlineMs} ms`);
}

function stopper(child: ChildProcess): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null || !child.pid) return resolve();
      const kill = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 10_000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      try {
        // Its own process group: whatever the server forked stops with it.
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        resolve();
      }
    });
    return stopping;
  };
}

/** Copies the standalone server built in `project` aside, for this run alone; returns its folder. */
export function snapshotStandalone(project = '.'): { dir: string; remove(): void } {
  const standalone = join(project, '.next/standalone');
  if (!existsSync(join(standalone, 'server.js')))
    throw new Error(`${standalone}/server.js is missing: run npm run build`);
  const root = mkdtempSync(join(tmpdir(), 'edge-users-api-bench-'));
  const dir = join(root, 'standalone');
  cpSync(standalone, dir, { recursive: true, verbatimSymlinks: true });
  return { dir, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** Starts one server on a free loopback port and resolves once the port accepts connections. */
export async function startServer(kind: ServerKind, settings: ServerSettings): Promise<RunningServer> {
  const port = await freePort();
  // tsx's loader (inherited by NODE_OPTIONS in some setups) must not run inside the server under test.
  const { databaseUrl, fetchEndpoint, jwtSecret, publicOrigin } = settings;
  const extra = publicOrigin ? { PUBLIC_ORIGIN: publicOrigin } : undefined;
  const env = {
    ...standaloneServerEnv({ port, databaseUrl, fetchEndpoint, jwtSecret, extra }),
    NODE_OPTIONS: undefined,
  };
  const args =
    kind === 'reference'
      ? [...(settings.nodeArgs ?? []), '--import', 'tsx', REFERENCE_SERVER]
      : [...(settings.nodeArgs ?? []), join(settings.standaloneDir, 'server.js')];
  const started = performance.now();
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'ignore', 'inherit'], env });
  const stop = stopper(child);
  try {
    await waitUntilListening(port, child, 60_000);
  } catch (error) {
    await stop();
    throw new Error(`${kind} server did not start: ${(error as Error).message}`);
  }
  return {
    kind,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    process: child,
    listenMs: performance.now() - started,
    stop,
  };
}

/** Waits until the server answers GET /api/hello (for warm servers; cold measurements use the port alone). */
export const waitUntilServing = (server: RunningServer): Promise<void> =>
  waitUntilReady(`${server.baseUrl}/api/hello`, server.process, 60_000);

/** The forked load driver: one process for a whole round, one job at a time. */
export class LoadDriver {
  readonly #child = fork(LOAD_DRIVER, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });

  run(job: LoadJob): Promise<LoadResult> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the load driver exited with code ${code}`));
      this.#child.once('exit', onExit);
      this.#child.once('message', (message: { result?: LoadResult; error?: string }) => {
        this.#child.off('exit', onExit);
        if (message.result) resolve(message.result);
        else reject(new Error(`load driver: ${message.error}`));
      });
      this.#child.send(job);
    });
  }

  close(): void {
    if (this.#child.connected) this.#child.disconnect();
    if (this.#child.exitCode === null) this.#child.kill();
  }
}
