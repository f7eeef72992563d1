// `npm run build:aws`: the OpenNext build for AWS Lambda (API Gateway v2), derived from the same sources.
// OpenNext serves no Turbopack edge route chunks (every edge route answers 500), so on a clean copy of the
// project each `export const runtime = 'edge'` under app/ becomes 'nodejs' (Node.js is Lambda's runtime
// anyway), then `open-next build` runs there. The project's own files, and what Vercel gets, do not change.
// Writes .open-next/ in the project (the server function: .open-next/server-functions/default/index.mjs).
import {
  closeSync,
  cpSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cleanCopy, runLogged } from './clean-copy.ts';

const EDGE_RUNTIME = /^export const runtime = 'edge';$/m;

/** Turns every edge route and page under `<dir>/app` into a Node.js one; returns the files it changed. */
export function toNodeRuntime(dir: string): string[] {
  const changed: string[] = [];
  for (const entry of readdirSync(join(dir, 'app'), { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.tsx?$/.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    const source = readFileSync(path, 'utf8');
    if (!EDGE_RUNTIME.test(source)) continue;
    writeFileSync(path, source.replace(EDGE_RUNTIME, "export const runtime = 'nodejs';"));
    changed.push(path);
  }
  return changed;
}

/** In `dir`, a clean copy with its dependencies installed: Node.js runtime everywhere, then OpenNext's build. */
export function openNextBuild(dir: string, log: number): string[] {
  const changed = toNodeRuntime(dir);
  if (changed.length === 0) throw new Error('no edge route found under app/: nothing to derive');
  runLogged(join(dir, 'node_modules/.bin/open-next'), ['build'], dir, log);
  return changed;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = mkdtempSync(join(tmpdir(), 'aws-build-'));
  const logFile = resolve('.open-next-build.log');
  const log = openSync(logFile, 'w');
  try {
    console.log(`Clean copy in ${dir}; npm ci and open-next build (log: ${logFile}) ...`);
    cleanCopy(dir);
    runLogged('npm', ['ci', '--no-audit', '--no-fund'], dir, log);
    const changed = openNextBuild(dir, log);
    console.log(`Node.js runtime for ${changed.length} routes in the AWS build.`);
    rmSync('.open-next', { recursive: true, force: true });
    cpSync(join(dir, '.open-next'), '.open-next', { recursive: true, verbatimSymlinks: true });
    if (!existsSync('.open-next/server-functions/default/index.mjs'))
      throw new Error('no server function in the output');
    console.log('OpenNext output in .open-next/ (server function: .open-next/server-functions/default/index.mjs).');
  } catch (error) {
    console.error(`${(error as Error).message}; see ${logFile}`);
    process.exitCode = 1;
  } finally {
    closeSync(log);
    rmSync(dir, { recursive: true, force: true });
  }
}
