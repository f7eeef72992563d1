// `npm run bench:cold-start`: cold starts of the database edge functions as Vercel runs them. Builds with
// `vercel build` on a clean copy (or reads BENCH_VERCEL_PROJECT, a folder that holds .vercel/output), then
// for each function starts BENCH_COLD_STARTS (7) fresh processes, each loading the function into a new
// @edge-runtime/vm: set-up (VM, WASM compile, evaluation), first signed-in request, warm requests (median
// of 20). Writes test/bench/results/cold-start.{json,md}; the figures are medians over the processes.
// With --peer, each database request is timed against its same-framework peer (test/bench/peer/, built into the
// bench's copy only): Neon's `neon()` in an edge route instead of Prisma. With --node, against the same routes built
// for Vercel's Node.js runtime (a second copy, each `runtime = 'edge'` under app/ switched as build:aws does), run in
// plain Node.js processes. The contenders alternate, and their answers must be equal.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { toNodeRuntime } from '@/scripts/aws-build.ts';
import { vercelBuild } from '@/scripts/vercel-build.ts';
import { listVercelFunctions, materializeNodeFunction, type VercelFunction } from '@/scripts/vercel-functions.ts';
import { startLocalDb } from '@/scripts/local-db/server.ts';
import { SERVER_JWT_SECRET, serverToken } from '@/test/support/over-http/server-settings.ts';
import { readCommandLine } from '@/scripts/command-line.ts';
import { median, seedThroughEndpoint } from './measure.ts';
import { addPeerRoutes, builtCopy, peerPath } from './peer-copy.ts';

const { values } = readCommandLine(
  `usage: npm run bench:cold-start [-- [--peer] [--node]]

Builds with \`vercel build\` on a clean copy, then loads each database edge function into a fresh @edge-runtime/vm in
fresh processes and times set-up, the first signed-in request and warm requests. Writes
test/bench/results/cold-start.{json,md}.
  --peer                   time the database requests against their peer (test/bench/peer/: Neon's neon() in the
                           same kind of edge route), alternating, answers compared; ends with the median ratio
  --node                   the same against the routes built for Vercel's Node.js runtime (a second build)
Settings (environment):
  BENCH_COLD_STARTS        fresh processes per function (7)
  BENCH_VERCEL_PROJECT     a folder that already holds .vercel/output (skips the build)
  BENCH_VERCEL_NODE_PROJECT  the same for --node's build
  BENCH_COLD_FUNCTIONS     a comma-separated subset of the functions (e.g. api/users,api/hello)
  BENCH_OUT                where to write the results`,
  { peer: { type: 'boolean' }, node: { type: 'boolean' } },
);

const starts = Number(process.env.BENCH_COLD_STARTS ?? 7);
const outDir = process.env.BENCH_OUT || 'test/bench/results';

interface Case {
  fn: string;
  request: string;
  method: string;
  path: string;
  /** The peer's function (test/bench/peer/), for a database request. */
  peer?: string;
  /** The path as the Node.js function gets it, when Vercel's router rewrites it for the edge one. */
  nodePath?: string;
  refusedFirst?: boolean;
}

const cases: Case[] = [
  { fn: 'api/users', request: 'GET /api/users', method: 'GET', path: '/api/users', peer: 'api/peer/users' },
  // As Vercel's router rewrites it (config.json): the dynamic segment arrives as a query parameter.
  {
    fn: 'api/users/[id]',
    request: 'GET /api/users/{id}',
    method: 'GET',
    path: '/api/users/7?nxtPid=7',
    peer: 'api/peer/users/[id]',
    nodePath: '/api/users/7',
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

const log = (line: string) => console.error(`cold-start: ${line}`);

/** A folder holding `vercel build`'s output: `reuse`, or a clean copy changed by `prepare` and built. */
const vercelProject = (reuse: string | undefined, what: string, prepare: (dir: string) => void): string =>
  builtCopy({ reuse, prefix: 'cold-start-', what: `vercel build (${what})`, prepare, build: vercelBuild, log });

const project = vercelProject(process.env.BENCH_VERCEL_PROJECT, 'edge, with the peer', addPeerRoutes);
const nodeProject = values.node
  ? vercelProject(process.env.BENCH_VERCEL_NODE_PROJECT, 'Node.js', (dir) => toNodeRuntime(dir))
  : undefined;

const localDb = await startLocalDb({ port: 0, dataDir: 'memory:', quiet: true });
await seedThroughEndpoint(localDb.endpoint, localDb.connectionString(), 100);
const token = await serverToken({ id: 7, role: 'user' });
const settings = {
  DATABASE_URL: localDb.connectionString(),
  NEON_FETCH_ENDPOINT: localDb.endpoint,
  JWT_SECRET: SERVER_JWT_SECRET,
  BENCH_TOKEN: token,
};

const run = promisify(execFile);
const lastLine = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!) as Sample;

/** One cold start of an edge function in a fresh process. Asynchronously: the local endpoint answering it runs here. */
async function edgeColdStart(fn: string, each: Case): Promise<Sample> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', 'test/bench/cold-start-process.ts', project, fn, each.method, each.path],
    { env: { ...process.env, ...settings, BENCH_REFUSED_FIRST: each.refusedFirst ? '1' : '0' }, encoding: 'utf8' },
  );
  return lastLine(stdout);
}

const nodeFunctions = nodeProject ? listVercelFunctions(nodeProject) : [];
const nodeFolders = new Map<string, string>();

/** The Node.js function serving `route`, copied out alone as Vercel deploys it; returns its handler. */
function nodeFunction(route: string): { folder: string; handler: string } {
  const fn = nodeFunctions.find((each) => each.name === route || each.aliases.includes(route));
  if (!fn) throw new Error(`no Node.js function for /${route}`);
  if (!nodeFolders.has(fn.dir)) nodeFolders.set(fn.dir, mkdtempSync(join(tmpdir(), 'cold-start-node-function-')));
  const folder = nodeFolders.get(fn.dir)!;
  const handler = join(folder, fn.config.handler ?? 'index.js');
  if (!existsSync(handler)) materializeNodeFunction(fn, nodeProject!, folder);
  return { folder, handler };
}

/** One cold start of the Node.js function in a fresh plain Node.js process, as Vercel runs it. */
async function nodeColdStart(each: Case): Promise<Sample> {
  const { folder, handler } = nodeFunction(each.fn);
  const script = resolve('test/bench/cold-start-node-process.mjs');
  const { stdout } = await run(process.execPath, [script, handler, each.method, each.nodePath ?? each.path], {
    cwd: folder,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      PUBLIC_ORIGIN: 'https://edge-users-api.example',
      ...settings,
    },
    encoding: 'utf8',
  });
  return lastLine(stdout);
}

interface Contender {
  name: 'peer' | 'Node.js';
  start: () => Promise<Sample>;
  samples: Sample[];
}

const summary = (samples: Sample[]) => ({
  setupMs: median(samples.map((s) => s.setupMs)),
  firstMs: median(samples.map((s) => s.firstMs)),
  warmMs: median(samples.map((s) => s.warmMs)),
});

/** ours/theirs of each paired run, as medians. */
const ratios = (ours: Sample[], theirs: Sample[]) => {
  const of = (key: 'setupMs' | 'firstMs' | 'warmMs') => median(ours.map((s, i) => s[key] / theirs[i]![key]));
  return { setup: of('setupMs'), first: of('firstMs'), warm: of('warmMs') };
};

/** First-request ratios of every paired run, over every function, by contender. */
const firstRatios: Record<Contender['name'], number[]> = { peer: [], 'Node.js': [] };

/** Cold starts of one request's function, and of its contenders in turn. */
async function measure(each: Case) {
  const samples: Sample[] = [];
  const contenders: Contender[] = [];
  if (values.peer && each.peer)
    contenders.push({ name: 'peer', start: () => edgeColdStart(each.peer!, each), samples: [] });
  if (nodeProject && !each.refusedFirst)
    contenders.push({ name: 'Node.js', start: () => nodeColdStart(each), samples: [] });
  const runs = [{ start: () => edgeColdStart(each.fn, each), samples }, ...contenders];
  for (let i = 0; i < starts; i++) {
    // Each run in turn goes first, so a change in the machine's load falls on all alike.
    for (let k = 0; k < runs.length; k++) {
      const next = runs[(i + k) % runs.length]!;
      next.samples.push(await next.start());
    }
    const ours = samples.at(-1)!;
    for (const contender of contenders) {
      const theirs = contender.samples.at(-1)!;
      if (theirs.answer !== ours.answer) throw new Error(`${each.request}: ${contender.name} answered differently`);
      firstRatios[contender.name].push(ours.firstMs / theirs.firstMs);
    }
  }
  const row = {
    ...each,
    ...summary(samples),
    refusedMs: each.refusedFirst ? median(samples.map((s) => s.refusedMs ?? 0)) : undefined,
    against: contenders.map((c) => ({
      name: c.name,
      ...summary(c.samples),
      ratios: ratios(samples, c.samples),
      samples: c.samples,
    })),
    samples,
  };
  log(
    `${each.request}: set-up ${row.setupMs.toFixed(1)} ms, first ${row.firstMs.toFixed(1)} ms, warm ${row.warmMs.toFixed(1)} ms` +
      row.against
        .map((c) => `; ${c.name} ${c.setupMs.toFixed(1)} / ${c.firstMs.toFixed(1)} / ${c.warmMs.toFixed(1)} ms`)
        .join(''),
  );
  return row;
}

const loadBefore = loadavg()[0]!;
const rows: Awaited<ReturnType<typeof measure>>[] = [];
const only = process.env.BENCH_COLD_FUNCTIONS?.split(',').map((name) => name.trim());
for (const each of cases) if (!only || only.includes(each.fn)) rows.push(await measure(each));
await localDb.close();

const ms = (value: number) => value.toFixed(1);
const times = (value: number) => `×${value.toFixed(2)}`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const edgeFunctions = listVercelFunctions(project);
const sizeOf = (functions: VercelFunction[], route: string, measure: (fn: VercelFunction) => string) => {
  const fn = functions.find((each) => each.name === route || each.aliases.includes(route));
  return fn ? measure(fn) : '–';
};
const comparison = (name: Contender['name'], heading: string, size: (route: string) => string) => {
  const compared = rows.filter((r) => r.against.some((c) => c.name === name));
  if (compared.length === 0) return [];
  return [
    '',
    heading,
    '',
    `| request | set-up ours / ${name} ms | first request ours / ${name} ms | warm ours / ${name} ms | set-up | first | warm | size ours / ${name} |`,
    '| --- | --: | --: | --: | --: | --: | --: | --: |',
    ...compared.map((r) => {
      const c = r.against.find((each) => each.name === name)!;
      return (
        `| ${r.request} | ${ms(r.setupMs)} / ${ms(c.setupMs)} | ${ms(r.firstMs)} / ${ms(c.firstMs)} | ` +
        `${ms(r.warmMs)} / ${ms(c.warmMs)} | ${times(c.ratios.setup)} | ${times(c.ratios.first)} | ${times(c.ratios.warm)} | ` +
        `${sizeOf(edgeFunctions, r.fn, (fn) => kib(fn.gzipBytes))} / ${size(r.fn)} |`
      );
    }),
  ];
};
const loadAfter = loadavg()[0]!;
const command = `npm run bench:cold-start${values.peer || values.node ? ' --' : ''}${values.peer ? ' --peer' : ''}${values.node ? ' --node' : ''}`;
const markdown = [
  '# Cold starts of the edge functions, as Vercel runs them',
  '',
  `Each function from \`vercel build\`, loaded into a fresh \`@edge-runtime/vm\` in a fresh Node.js ${process.version} process ` +
    `(the WASM compiled by the host), ${starts} processes per function, medians; the local endpoint on PGlite ` +
    `(100 users); signed-in requests with a Bearer token. ${new Date().toISOString().slice(0, 10)}, \`${command}\`, ` +
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
  ...comparison(
    'peer',
    "Against the peer (test/bench/peer/: the same edge route with Neon's `neon()` and SQL instead of Prisma, the same " +
      'authenticate and answers, compared by hash), alternating; ratios are medians of the paired runs; sizes gzipped:',
    (route) => sizeOf(edgeFunctions, peerPath(route), (fn) => kib(fn.gzipBytes)),
  ),
  ...comparison(
    'Node.js',
    "Against the same routes built for Vercel's Node.js runtime, each run in a fresh plain Node.js process that loads " +
      "Vercel's launcher and answers over loopback HTTP (answers compared by hash), alternating; ratios are medians of " +
      'the paired runs; sizes: edge gzipped, Node.js unzipped (each limit’s measure):',
    (route) => sizeOf(nodeFunctions, route, (fn) => mb(fn.bytes)),
  ),
  '',
].join('\n');
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'cold-start.json'), `${JSON.stringify({ node: process.version, starts, rows }, null, 2)}\n`);
writeFileSync(join(outDir, 'cold-start.md'), markdown);
console.log(markdown);
if (values.node) console.log(`first request edge/Node.js ×${median(firstRatios['Node.js']).toFixed(2)}`);
if (values.peer) console.log(`first request ours/peer ×${median(firstRatios.peer).toFixed(2)}`);
