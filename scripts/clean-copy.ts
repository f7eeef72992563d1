// A clean copy of the project, as a fresh clone would hold it (uncommitted edits included): nothing built,
// nothing installed. Platform builders run there, so nothing on this machine's project folder can leak in.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function cleanCopy(dest: string): void {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    encoding: 'utf8',
  })
    .split('\0')
    .filter((file) => file && existsSync(file));
  for (const file of files) {
    mkdirSync(dirname(join(dest, file)), { recursive: true });
    cpSync(file, join(dest, file));
  }
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
