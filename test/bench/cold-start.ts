// `npm run bench:cold-start`: cold starts of the database edge functions as Vercel runs them. Builds with
// `vercel build` on a clean copy (or reads BENCH_VERCEL_PROJECT, a folder that holds .vercel/output), then
// for each function starts BENCH_COLD_STARTS (7) fresh processes, each loading the function into a new
// @edge-runtime/vm: set-up (VM, WASM compile, evaluation), first signed-in request, warm requests (median
// of 20). Writes test/bench/results/cold-start.{json,md}; the figures are medians over the processes.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cleanCopy } from '@/scripts/clean-copy.ts';
import { vercelBuild } from '@/scripts/vercel-build.ts';
import { startLocalDb } from '@/scripts/local-db/server.ts';
import { SERVER_JWT_SECRET, serverToken } from '@/test/support/over-http/server-settings.ts';
import { readCommandLine } from '@/scripts/command-line.ts';
import { median, seedThroughEndpoint } from './measure.ts';

readCommandLine(
  `usage: npm run bench:cold-start

Builds with \`vercel build\` on a clean copy, then loads each database edge function into a fresh @edge-runtime/vm in
fresh processes and times set-up, the first signed-in request and warm requests. Writes
test/bench/results/cold-start.{json,md}.
Settings (environment):
  BENCH_COLD_STARTS        fresh processes per function (7)
  BENCH_VERCEL_PROJECT     a folder that already holds .vercel/output (skips the build)
  BENCH_OUT                where to write the results`,
  {},
);

const starts = Number(process.env.BENCH_COLD_STARTS ?? 7);
const outDir = process.env.BENCH_OUT || 'test/bench/results';

const cases = [
  { fn: 'api/users', request: 'GET /api/users', method: 'GET', path: '/api/users' },
  // As Vercel's router rewrites it (config.json): the dynamic segment arrives as a query parameter.
  { fn: 'api/users/[id]', request: 'GET /api/users/{id}', method: 'GET', path: '/api/users/7?nxtPid=7' },
  { fn: 'api/auth/me', request: 'GET /api/auth/me', method: 'GET', path: '/api/auth/me' },
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
}

const log = (line: string) => console.error(`cold-start: ${line}`);

let project = process.env.BENCH_VERCEL_PROJECT ? resolve(process.env.BENCH_VERCEL_PROJECT) : '';
if (!project) {
  project = mkdtempSync(join(tmpdir(), 'cold-start-'));
  log(`vercel build on a clean copy in ${project} ...`);
  cleanCopy(project);
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

const loadBefore = loadavg()[0]!;
const rows = [];
for (const each of cases) {
  const samples: Sample[] = [];
  for (let i = 0; i < starts; i++) {
    // Asynchronously: the local endpoint answering the child runs in this process.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'test/bench/cold-start-process.ts', project, each.fn, each.method, each.path],
      { env: { ...env, BENCH_REFUSED_FIRST: each.refusedFirst ? '1' : '0' }, encoding: 'utf8' },
    );
    samples.push(JSON.parse(stdout.trim().split('\n').at(-1)!) as Sample);
  }
  const row = {
    ...each,
    setupMs: median(samples.map((s) => s.setupMs)),
    refusedMs: each.refusedFirst ? median(samples.map((s) => s.refusedMs ?? 0)) : undefined,
    firstMs: median(samples.map((s) => s.firstMs)),
    warmMs: median(samples.map((s) => s.warmMs)),
    samples,
  };
  log(
    `${each.request}: set-up ${row.setupMs.toFixed(1)} ms, first ${row.firstMs.toFixed(1)} ms, warm ${row.warmMs.toFixed(1)} ms`,
  );
  rows.push(row);
}
await localDb.close();

const ms = (value: number) => value.toFixed(1);
const markdown = [
  '# Cold starts of the edge functions, as Vercel runs them',
  '',
  `Each function from \`vercel build\`, loaded into a fresh \`@edge-runtime/vm\` in a fresh Node.js ${process.version} process ` +
    `(the WASM compiled by the host), ${starts} processes per function, medians; the local endpoint on PGlite ` +
    `(100 users); signed-in requests with a Bearer token. ${new Date().toISOString().slice(0, 10)}, \`npm run bench:cold-start\`, ` +
    `${cpus().length} cores, load average ${loadBefore.toFixed(1)} before and ${loadavg()[0]!.toFixed(1)} after: ` +
    'cold starts are CPU-bound, so compare runs made at the same load.',
  '',
  '| function | request | set-up ms | first 401 ms | first request ms | warm ms | first − warm ms |',
  '| --- | --- | --: | --: | --: | --: | --: |',
  ...rows.map(
    (r) =>
      `| \`/${r.fn}\` | ${r.request} | ${ms(r.setupMs)} | ${r.refusedMs === undefined ? '–' : ms(r.refusedMs)} | ` +
      `${ms(r.firstMs)} | ${ms(r.warmMs)} | ${ms(r.firstMs - r.warmMs)} |`,
  ),
  '',
].join('\n');
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'cold-start.json'), `${JSON.stringify({ node: process.version, starts, rows }, null, 2)}\n`);
writeFileSync(join(outDir, 'cold-start.md'), markdown);
console.log(markdown);
