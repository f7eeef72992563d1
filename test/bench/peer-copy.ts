// The benchmarks' copies of the project: a clean copy, changed (the peer's routes from test/bench/peer/ placed under
// app/, or the runtime switched) and built in a temporary folder, so that nothing bench-only ever ships. Also what
// a client sees of an answer, which a peer's must equal byte for byte.
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { cleanCopy } from '@/scripts/clean-copy.ts';

/** The peer's route files, and where they go in the copy. */
const PEER_ROUTES = {
  'users-route.ts': 'app/api/peer/users/route.ts',
  'user-route.ts': 'app/api/peer/users/[id]/route.ts',
  'me-route.ts': 'app/api/peer/auth/me/route.ts',
};

/** Places the peer's routes in the copy at `dir`, each at its route's path under /api/peer/. */
export function addPeerRoutes(dir: string): void {
  for (const [file, route] of Object.entries(PEER_ROUTES)) {
    mkdirSync(dirname(join(dir, route)), { recursive: true });
    cpSync(join('test/bench/peer', file), join(dir, route));
  }
}

/** The peer of a route or path of ours: `/api/users/7` → `/api/peer/users/7` (leading slash or not). */
export const peerPath = (path: string): string => path.replace(/^(\/?)api\//, '$1api/peer/');

/**
 * A folder holding a build: `reuse` when given, else a new clean copy (a temporary folder named from `prefix`)
 * changed by `prepare` and built by `build`, which writes its output to the log file it is given (in the copy).
 */
export function builtCopy(options: {
  reuse: string | undefined;
  prefix: string;
  what: string;
  prepare: (dir: string) => void;
  build: (dir: string, logFile: string) => void;
  log: (line: string) => void;
}): string {
  if (options.reuse) return resolve(options.reuse);
  const dir = mkdtempSync(join(tmpdir(), options.prefix));
  const logFile = join(dir, 'bench-build.log');
  options.log(`${options.what} on a clean copy in ${dir} (log: ${logFile}) ...`);
  cleanCopy(dir);
  options.prepare(dir);
  options.build(dir, logFile);
  return dir;
}

/** The part of an answer a peer must repeat before its body: status, Link and cache-control. */
export const answerHead = (response: Response): string =>
  `${response.status}\n${response.headers.get('link')}\n${response.headers.get('cache-control')}\n`;
