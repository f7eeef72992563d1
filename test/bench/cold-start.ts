// `npm run bench:cold-start`: cold starts of the database edge functions as Vercel runs them. Builds with
// `vercel build` on a clean copy (or reads BENCH_VERCEL_PROJECT, a folder that holds .vercel/output), then
// for each function starts BENCH_COLD_STARTS (7) fresh processes, each loading the function into a new
// @edge-runtime/vm: set-up (VM, WASM compile, evaluation), first signed-in request, warm requests (median
// of 20). Writes test/bench/results/cold-start.{json,md}; the figures are medians over the processes.
// With --peer, each database request is timed against its same-framework peer (test/bench/peer/, built into the
// bench's copy only): Neon's `neon()` in an edge route instead of Prisma, the two alternating, their answers equal.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { cleanCopy } from '@/scripts/clean-copy.ts';
import { vercelBuild } from '@/scripts/vercel-build.ts';
import { startLocalDb } from '@/scripts/local-db/server.ts';
import { SERVER_JWT_SECRET, serverToken } from '@/test/support/over-http/server-settings.ts';
import { readCommandLine } from '@/scripts/command-line.ts';
import { median, seedThroughEndpoint } from './measure.ts';

const { values } = readCommandLine(
  `usage: npm run bench:cold-start [-- --peer]

Builds with \`vercel build\` on a clean copy, then loads each database edge function into a fresh @edge-runtime/vm in
fresh processes and times set-up, the first signed-in request and warm requests. Writes
test/bench/results/cold-start.{json,md}.
  --peer                   time the database requests against their peer (test/bench/peer/: Neon's neon() in the
                           same kind of edge route), alternating, answers compared; ends with the median ratio
Settings (environment):
  BENCH_COLD_STARTS        fresh processes per function (7)
  BENCH_VERCEL_PROJECT     a folder that already holds .vercel/output (skips the build)
  BENCH_OUT                where to write the results`,
  { peer: { type: 'boolean' } },
);

const starts = Number(process.env.BENCH_COLD_STARTS ?? 7);
const outDir = process.env.BENCH_OUT || 'test/bench/results';

const cases = [
  { fn: 'api/users', request: 'GET /api/users', method: 'GET', path: '/api/users', peer: 'api/peer/users' },
  // As Vercel's router rewrites it (config.json): the dynamic segment arrives as a query parameter.
  {
    fn: 'api/users/[id]',
    request: 'GET /api/users/{id}',
    method: 'GET',
    path: '/api/users/7?nxtPid=7',
    peer: 'api/peer/users/[id]',
  },
  { fn: 'api/auth/me', request: 'GET /api/auth/me', method: 'GET', path: '/api/auth/me', peer: 'api/peer/auth/me' },
  { fn: 'api/health', request: 'GET /api/health', method: 'GET', path: '/api/health' },
  { fn: 'api/hello', request: 'GET /api/hello (no database)', method: 'GET', path: '/api/hello' },
  {
    fn: 'api/users',
    request: 'GET /api/users, after a 401 warmed the route',
    method: 'GET',
    path: '/api/users',
    refusedFirst: true,
  },
];

interface Sample {
  setupMs: number;
  refusedMs?: number;
  firstMs: number;
  warmMs: number;
  /** A hash of the first answer's status, Link, cache-control and body. */
  answer: string;
}

/** The peer's route files, placed in the bench's copy only (test/bench/peer/neon.ts says what they are). */
const PEER_ROUTES = {
  'users-route.ts': 'app/api/peer/users/route.ts',
  'user-route.ts': 'app/api/peer/users/[id]/route.ts',
  'me-route.ts': 'app/api/peer/auth/me/route.ts',
};

const log = (line: string) => console.error(`cold-start: ${line}`);

let project = process.env.BENCH_VERCEL_PROJECT ? resolve(process.env.BENCH_VERCEL_PROJECT) : '';
if (!project) {
  project = mkdtempSync(join(tmpdir(), 'cold-start-'));
  log(`vercel build on a clean copy in ${project} (with the peer's routes) ...`);
  cleanCopy(project);
  for (const [file, route] of Object.entries(PEER_ROUTES)) {
    mkdirSync(dirname(join(project, route)), { recursive: true });
    cpSync(join('test/bench/peer', file), join(project, route));
  }
  vercelBuild(project, join(project, 'vercel-build.log'));
}

const localDb = await startLocalDb({ port: 0, dataDir: 'memory:', quiet: true });
await seedThroughEndpoint(localDb.endpoint, localDb.connectionString(), 100);
const token = await serverToken({ id: 7, role: 'user' });
const env = {
  ...process.env,
  DATABASE_URL: localDb.connectionString(),
  NEON_FETCH_ENDPOINT: localDb.endpoint,
  JWT_SECRET: SERVER_JWT_SECRET,
  BENCH_TOKEN: token,
};

/** One cold start of `fn` in a fresh process. Asynchronously: the local endpoint answering it runs in this one. */
async function coldStart(fn: string, each: (typeof cases)[number]): Promise<Sample> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'test/bench/cold-start-process.ts', project, fn, each.method, each.path],
    { env: { ...env, BENCH_REFUSED_FIRST: each.refusedFirst ? '1' : '0' }, encoding: 'utf8' },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Sample;
}

const summary = (samples: Sample[]) => ({
  setupMs: median(samples.map((s) => s.setupMs)),
  firstMs: median(samples.map((s) => s.firstMs)),
  warmMs: median(samples.map((s) => s.warmMs)),
});

const loadBefore = loadavg()[0]!;
const rows = [];
/** ours/peer of each paired run's first request, over every database function. */
const firstRatios: number[] = [];
for (const each of cases) {
  const withPeer = values.peer && 'peer' in each ? each.peer : undefined;
  const samples: Sample[] = [];
  const peerSamples: Sample[] = [];
  for (let i = 0; i < starts; i++) {
    if (!withPeer) {
      samples.push(await coldStart(each.fn, each));
      continue;
    }
    // Alternating which goes first, so a change in the machine's load falls on both alike.
    const [ours, peer] =
      i % 2 === 0
        ? [await coldStart(each.fn, each), await coldStart(withPeer, each)]
        : [await coldStart(withPeer, each), await coldStart(each.fn, each)].reverse();
    if (ours!.answer !== peer!.answer) throw new Error(`${each.request}: the peer answered differently`);
    samples.push(ours!);
    peerSamples.push(peer!);
    firstRatios.push(ours!.firstMs / peer!.firstMs);
  }
  const row = {
    ...each,
    ...summary(samples),
    refusedMs: each.refusedFirst ? median(samples.map((s) => s.refusedMs ?? 0)) : undefined,
    peer: withPeer ? { fn: withPeer, ...summary(peerSamples), samples: peerSamples } : undefined,
    firstRatio: withPeer ? median(samples.map((s, i) => s.firstMs / peerSamples[i]!.firstMs)) : undefined,
    setupRatio: withPeer ? median(samples.map((s, i) => s.setupMs / peerSamples[i]!.setupMs)) : undefined,
    warmRatio: withPeer ? median(samples.map((s, i) => s.warmMs / peerSamples[i]!.warmMs)) : undefined,
    samples,
  };
  log(
    `${each.request}: set-up ${row.setupMs.toFixed(1)} ms, first ${row.firstMs.toFixed(1)} ms, warm ${row.warmMs.toFixed(1)} ms` +
      (row.peer
        ? `; peer ${row.peer.setupMs.toFixed(1)} / ${row.peer.firstMs.toFixed(1)} / ${row.peer.warmMs.toFixed(1)} ms`
        : ''),
  );
  rows.push(row);
}
await localDb.close();

const ms = (value: number) => value.toFixed(1);
const ratio = (value: number | undefined) => (value === undefined ? '–' : `×${value.toFixed(2)}`);
const loadAfter = loadavg()[0]!;
const markdown = [
  '# Cold starts of the edge functions, as Vercel runs them',
  '',
  `Each function from \`vercel build\`, loaded into a fresh \`@edge-runtime/vm\` in a fresh Node.js ${process.version} process ` +
    `(the WASM compiled by the host), ${starts} processes per function, medians; the local endpoint on PGlite ` +
    `(100 users); signed-in requests with a Bearer token. ${new Date().toISOString().slice(0, 10)}, ` +
    `\`npm run bench:cold-start${values.peer ? ' -- --peer' : ''}\`, ` +
    `${cpus().length} cores, load average ${loadBefore.toFixed(1)} before and ${loadAfter.toFixed(1)} after: ` +
    'cold starts are CPU-bound, so compare runs made at the same load.',
  '',
  '| function | request | set-up ms | first 401 ms | first request ms | warm ms | first − warm ms |',
  '| --- | --- | --: | --: | --: | --: | --: |',
  ...rows.map(
    (r) =>
      `| \`/${r.fn}\` | ${r.request} | ${ms(r.setupMs)} | ${r.refusedMs === undefined ? '–' : ms(r.refusedMs)} | ` +
      `${ms(r.firstMs)} | ${ms(r.warmMs)} | ${ms(r.firstMs - r.warmMs)} |`,
  ),
  ...(values.peer
    ? [
        '',
        "Against the peer (test/bench/peer/: the same edge route with Neon's `neon()` and SQL instead of Prisma, the " +
          'same authenticate and answers, hashed and compared), ours and the peer alternating; ratios are medians of ' +
          'the paired runs:',
        '',
        '| request | set-up ours / peer ms | first request ours / peer ms | warm ours / peer ms | set-up | first | warm |',
        '| --- | --: | --: | --: | --: | --: | --: |',
        ...rows
          .filter((r) => r.peer)
          .map(
            (r) =>
              `| ${r.request} | ${ms(r.setupMs)} / ${ms(r.peer!.setupMs)} | ${ms(r.firstMs)} / ${ms(r.peer!.firstMs)} | ` +
              `${ms(r.warmMs)} / ${ms(r.peer!.warmMs)} | ${ratio(r.setupRatio)} | ${ratio(r.firstRatio)} | ${ratio(r.warmRatio)} |`,
          ),
      ]
    : []),
  '',
].join('\n');
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'cold-start.json'), `${JSON.stringify({ node: process.version, starts, rows }, null, 2)}\n`);
writeFileSync(join(outDir, 'cold-start.md'), markdown);
console.log(markdown);
if (values.peer) console.log(`first request ours/peer ×${median(firstRatios).toFixed(2)}`);
