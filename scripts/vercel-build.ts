// `npm run build:vercel`: Vercel's own builder (`vercel build`, no account needed) on a clean copy of the
// project, then the plan limits for every function it made. Prints the functions; exits 1 when one is over.
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cleanCopy, runLogged } from './clean-copy.ts';
import { readCommandLine } from './command-line.ts';
import { formatFunctions, listVercelFunctions, overLimit } from './vercel-functions.ts';

/** Installed by `npm run vercel:install` (scripts/vercel/package.json pins it). */
export const VERCEL_CLI = resolve('scripts/vercel/node_modules/.bin/vercel');

/**
 * Runs `vercel build` in `dir` as Vercel's build machines do: vercel.json's install (`npm ci`) and build
 * commands, on a project linked by a local .vercel/project.json. Output goes to `logFile`.
 */
export function vercelBuild(dir: string, logFile: string): void {
  mkdirSync(join(dir, '.vercel'), { recursive: true });
  writeFileSync(
    join(dir, '.vercel/project.json'),
    JSON.stringify({ projectId: 'prj_local', orgId: 'team_local', settings: { framework: 'nextjs' } }),
  );
  const log = openSync(logFile, 'w');
  try {
    runLogged(VERCEL_CLI, ['build', '--yes'], dir, log);
  } catch (error) {
    throw new Error(`vercel build failed; see ${logFile}`, { cause: error });
  } finally {
    closeSync(log);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { positionals } = readCommandLine(
    `usage: npm run build:vercel [-- <folder>]

Runs \`vercel build\` (no account needed) on a clean copy of the project in <folder> (default: a new temporary one),
then prints every function with its runtime and size against the plan limits; exits 1 if one is over.
Needs the Vercel CLI: npm run vercel:install.`,
    {},
    { positionals: true },
  );
  if (!existsSync(VERCEL_CLI)) {
    console.error('The Vercel CLI is not installed: run `npm run vercel:install` first.');
    process.exit(1);
  }
  const dir = positionals[0] ? resolve(positionals[0]) : mkdtempSync(join(tmpdir(), 'vercel-build-'));
  const logFile = join(dir, 'vercel-build.log');
  console.log(`Clean copy in ${dir}; vercel build (log: ${logFile}) ...`);
  mkdirSync(dir, { recursive: true });
  cleanCopy(dir);
  vercelBuild(dir, logFile);
  const functions = listVercelFunctions(dir);
  console.log(formatFunctions(functions));
  const over = functions.filter((fn) => overLimit(fn));
  for (const fn of over) console.error(`/${fn.name}: ${overLimit(fn)}`);
  process.exit(over.length > 0 ? 1 : 0);
}
