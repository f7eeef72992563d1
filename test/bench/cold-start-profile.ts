// Where a cold start's time goes: loads one edge function from the Vercel output in a fresh process (as
// `npm run bench:cold-start` does) with V8's CPU profiler on for each phase (set-up, an optional refused
// request, the first signed-in request, a warm one), and prints each phase's self time by source, mapped
// through the function's source map: Next.js, Prisma's runtime, the query compiler's WASM, Neon's driver,
// zod, jose, our code, and the host (@edge-runtime/vm's fetch and Request, Node.js).
//   npm run bench:cold-start-profile -- <folder with .vercel/output> [function] [path] [--refused-first]
// (the folder: one `npm run build:vercel` or `npm run bench:cold-start` printed).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { readCommandLine, UsageError } from '@/scripts/command-line.ts';
import { vercelFunction } from '@/scripts/vercel-functions.ts';
import { startLocalDb } from '@/scripts/local-db/server.ts';
import { SERVER_JWT_SECRET, serverToken } from '@/test/support/over-http/server-settings.ts';
import { seedThroughEndpoint } from './measure.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** What a frame's code belongs to: a package, the query compiler's WASM, our source, or the host. */
function sourceOf(frame: ProfileNode['callFrame'], map: SourceMap): string {
  if (frame.url.startsWith('wasm://')) return 'Prisma query compiler (WASM)';
  // The inspector's own work (`dispatch`) shows up as native code of this process, not the function's.
  if (!frame.url) return frame.functionName.startsWith('(') ? frame.functionName : `native ${frame.functionName}`;
  if (frame.url !== 'evalmachine.<anonymous>') return 'host (@edge-runtime/vm, undici, Node.js)';
  const entry = map.findEntry(frame.lineNumber, frame.columnNumber);
  const source = decodeURIComponent(('originalSource' in entry ? entry.originalSource : undefined) ?? '');
  const modules = source.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const [scope, name] = source.slice(modules + 'node_modules/'.length).split('/');
    return scope!.startsWith('@') ? `${scope}/${name}` : scope!;
  }
  if (source.includes('src/generated/prisma')) return 'Prisma client (generated)';
  if (source.includes('edge/chunks/') || source.includes('turbopack')) return 'next (runtime chunks)';
  return source.replace(/^(\.\.\/)+/, '') || '(unmapped bundle code)';
}

function summarize(profile: CpuProfile, map: SourceMap, top: number): string {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const bySource = new Map<string, number>();
  for (const node of profile.nodes) {
    const time = self.get(node.id);
    if (!time) continue;
    const source = sourceOf(node.callFrame, map);
    bySource.set(source, (bySource.get(source) ?? 0) + time);
  }
  return [...bySource.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([source, time]) => `  ${(time / 1000).toFixed(1).padStart(6)} ms  ${source}`)
    .join('\n');
}

const { values, positionals } = readCommandLine(
  `usage: npm run bench:cold-start-profile -- <folder with .vercel/output> [function] [path] [--refused-first]

Loads one edge function from the Vercel output in a fresh process with V8's CPU profiler on for each phase and prints
each phase's self time by source (Next.js, Prisma, the query compiler's WASM, Neon's driver, zod, jose, our code).
  <folder>           one that npm run build:vercel or npm run bench:cold-start printed
  [function]         the function's name (api/users) and [path] the request's path (/api/users)
  --refused-first    send a request without a token first, as a visitor's first request may be
  --help             this text`,
  { 'refused-first': { type: 'boolean', default: false } },
  {
    positionals: true,
    check: ({ positionals }) => {
      if (positionals.length < 1 || positionals.length > 3)
        throw new UsageError('give the folder with .vercel/output, and at most a function and a path');
    },
  },
);
const refusedFirst = values['refused-first'];
const [projectArg, name = 'api/users', path = '/api/users'] = positionals as [string, string?, string?];
const project = resolve(projectArg);
const fn = vercelFunction(project, name);
const map = new SourceMap(JSON.parse(readFileSync(join(fn.dir, 'index.js.map'), 'utf8')));

const localDb = await startLocalDb({ port: 0, dataDir: 'memory:', quiet: true });
try {
  await seedThroughEndpoint(localDb.endpoint, localDb.connectionString(), 100);
  const profiles = mkdtempSync(join(tmpdir(), 'cold-start-profile-'));
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'test/bench/cold-start-process.ts', project, name, 'GET', path],
    {
      env: {
        ...process.env,
        DATABASE_URL: localDb.connectionString(),
        NEON_FETCH_ENDPOINT: localDb.endpoint,
        JWT_SECRET: SERVER_JWT_SECRET,
        BENCH_TOKEN: await serverToken({ id: 7, role: 'user' }),
        BENCH_REFUSED_FIRST: refusedFirst ? '1' : '0',
        BENCH_WARM_REQUESTS: '1',
        BENCH_CPU_PROFILES: profiles,
      },
      encoding: 'utf8',
    },
  );
  const sample = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, number | undefined>;
  const phases = [
    ['setup', 'set-up (VM, WASM compile, evaluation)', sample.setupMs],
    ['refused', 'first request, refused (no token)', sample.refusedMs],
    ['first', 'first signed-in request', sample.firstMs],
    ['warm', 'a warm request', sample.warmMs],
  ] as const;
  for (const [file, label, ms] of phases) {
    if (ms === undefined) continue;
    const profile = JSON.parse(readFileSync(join(profiles, `${file}.cpuprofile`), 'utf8')) as CpuProfile;
    console.log(
      `${label}: ${ms.toFixed(1)} ms (under the profiler); self time by source:\n${summarize(profile, map, 14)}\n`,
    );
  }
  console.log(`profiles: ${profiles} (open in Chrome DevTools › Performance)`);
} finally {
  await localDb.close();
}
