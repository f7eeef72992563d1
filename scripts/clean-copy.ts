// A clean copy of the project, as a fresh clone would hold it (uncommitted edits included): nothing built,
// nothing installed, at most the build cache a platform keeps between builds. Platform builders run there, so
// nothing else in this machine's project folder can leak in.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

const BUILD_CACHE = '.next/cache';

export function cleanCopy(dest: string, { buildCache = true } = {}): void {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    encoding: 'utf8',
  })
    .split('\0')
    .filter((file) => file && existsSync(file));
  for (const file of files) {
    mkdirSync(dirname(join(dest, file)), { recursive: true });
    cpSync(file, join(dest, file));
  }
  // Turbopack's cache from this folder's last build, as Vercel restores .next/cache between deployments: the
  // builders still build everything, from a warm cache (a copy's `next build` took 91 s instead of 299 s).
  if (buildCache && existsSync(BUILD_CACHE)) cpSync(BUILD_CACHE, join(dest, BUILD_CACHE), { recursive: true });
}

/** The environment of a build machine: no database to migrate, no test runner's NODE_ENV, no telemetry. */
export function buildMachineEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    CI: '1',
    VERCEL_TELEMETRY_DISABLED: '1',
    NEXT_TELEMETRY_DISABLED: '1',
    // What Vercel's build machines set from the project's Function Region; `preferredRegion = 'home'` reads it.
    VERCEL_FUNCTION_REGIONS: process.env.VERCEL_FUNCTION_REGIONS ?? 'iad1',
  } as unknown as NodeJS.ProcessEnv;
}

/** Runs a command in `cwd` with the build machine's environment, its output appended to `log`; throws on failure. */
export function runLogged(command: string, args: string[], cwd: string, log: number, env = buildMachineEnv()): void {
  const { status, error } = spawnSync(command, args, { cwd, stdio: ['ignore', log, log], env });
  if (status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${error?.message ?? `exit ${status}`})`);
}
