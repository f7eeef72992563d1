// Child processes the tests start: the project's commands as `npm run` starts them, and servers, with a free port to
// give them and waiting until they answer.
import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = process.cwd();

/**
 * How `npm run` starts one of the project's TypeScript commands (tsx), without npm in between, so a signal reaches
 * the command itself. tsx and the tsconfig (its `@/` paths) are named by absolute path: the command also runs from
 * a folder of its own. These processes live for seconds: V8 compiles their WebAssembly (PGlite, Prisma's schema
 * engine) with its baseline compiler only, which saves about a third of the CPU of a start (its optimising compiler
 * pays off only in long-lived processes).
 */
function scriptCommand(
  script: string,
  args: string[],
): { command: string; args: string[]; env: Record<string, string> } {
  const tsx = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
  return {
    command: process.execPath,
    args: ['--liftoff-only', '--import', tsx, join(ROOT, script), ...args],
    env: { TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.json') },
  };
}

/** A loopback port nobody listens on right now, chosen by the kernel. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

/** Polls `url` until it answers 2xx, the process exits, or the deadline passes. */
export async function waitUntilReady(url: string, server: ChildProcess, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited with code ${server.exitCode}`);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1_000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`${url} did not answer within ${deadlineMs} ms`);
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface Start {
  cwd?: string;
  /** The child's environment (process.env unless given); settings given as undefined are left out. */
  env?: Record<string, string | undefined>;
}

const definedOnly = (env: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined)) as NodeJS.ProcessEnv;

/** Runs a command to its end and collects what it wrote. */
export function runToEnd(command: string, args: string[], { cwd, env = process.env }: Start = {}): Promise<Finished> {
  const child = spawn(command, args, { cwd, env: definedOnly(env) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** Starts one of the project's TypeScript commands (`scriptCommand`), for a test that talks to it while it runs. */
export function spawnScript(
  script: string,
  args: string[],
  { cwd, env = process.env }: Start = {},
): ChildProcessWithoutNullStreams {
  const command = scriptCommand(script, args);
  return spawn(command.command, command.args, { cwd, env: definedOnly({ ...command.env, ...env }) });
}

/** Runs one of the project's TypeScript commands (`scriptCommand`) to its end, as `runToEnd` does. */
export function runScript(script: string, args: string[], { cwd, env = process.env }: Start = {}): Promise<Finished> {
  const command = scriptCommand(script, args);
  return runToEnd(command.command, command.args, { cwd, env: { ...command.env, ...env } });
}
