// `npm run bench`: builds the app, serves it from the standalone server on the local endpoint (PGlite, and
// PostgreSQL when BENCH_POSTGRES_URL or TEST_POSTGRES_URL names one), loads it side by side with a
// hand-written reference, once more with the database BENCH_LATENCY_MS (50) away (LOCAL_DB_LATENCY_MS), and
// writes test/bench/results/latest.{json,md}. With --peer instead: a bench copy of the project with the peer's
// routes (test/bench/peer/: Neon's `neon()` in the same kind of edge route) built and served by two standalone
// servers, ours and the peer's loaded in alternate rounds after their answers are compared byte for byte; writes
// test/bench/results/peer.{json,md}. BENCH_QUICK=1 is a smoke run.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import nextEnv from '@next/env';
import pg from 'pg';
import { runLogged } from '@/scripts/clean-copy.ts';
import { measureEdgeFunctions, type EdgeFunctionSize } from '@/scripts/edge-sizes.ts';
import { startLocalDb, type LocalDb } from '@/scripts/local-db/server.ts';
import { SERVER_JWT_SECRET, serverToken } from '@/test/support/over-http/server-settings.ts';
import { readCommandLine } from '@/scripts/command-line.ts';
import type { LoadJob, LoadResult } from './load.ts';
import {
  compareAnswers,
  compareExactly,
  measureEndpointOverhead,
  measureFirstRequest,
  measureJwt,
  measureRoundTrips,
  median,
  BENCH_SESSION_ID,
  seedThroughEndpoint,
  type FirstRequest,
  type Probe,
} from './measure.ts';
import {
  LoadDriver,
  snapshotStandalone,
  startServer,
  waitUntilServing,
  type RunningServer,
  type ServerKind,
} from './processes.ts';
import { addPeerRoutes, builtCopy, peerPath } from './peer-copy.ts';
import {
  isFarBehind,
  peerToMarkdown,
  peerVerdicts,
  toMarkdown,
  type BackendResult,
  type BenchResult,
  type EndpointResult,
  type FirstRequestResult,
  type LatencyResult,
  type PeerBenchResult,
  type PeerEndpointResult,
  type Summary,
} from './report.ts';

const { values } = readCommandLine(
  `usage: npm run bench [-- --peer]

Builds the app, serves it from the standalone server on the local endpoint, loads it side by side with a hand-written
reference (and once more with the database BENCH_LATENCY_MS away), and writes test/bench/results/latest.{json,md}.
  --peer                      instead, ours against the same-framework peer (test/bench/peer/: Neon's neon() in the
                              same kind of edge route): a clean copy with the peer's routes, npm ci and npm run build,
                              two standalone servers from it; GET /api/users and GET /api/users/{id} answered byte
                              for byte alike, then loaded in alternate rounds (BENCH_RUNS, 8); writes
                              test/bench/results/peer.{json,md} and ends with each route's ratio
Settings (environment):
  BENCH_QUICK=1               a smoke run (results go to a temporary folder)
  BENCH_RUNS, BENCH_DURATION, BENCH_WARMUP, BENCH_CONNECTIONS, BENCH_ROWS, BENCH_FIRST_REQUEST_STARTS
  BENCH_LATENCY_MS            the far database's distance (50; 0 skips that round)
  BENCH_ENDPOINTS             a comma-separated subset of the endpoints
  BENCH_POSTGRES_URL          also on this PostgreSQL server (else TEST_POSTGRES_URL)
  BENCH_SKIP_BUILD=1          use the last build; BENCH_OUT: where to write the results
  BENCH_PEER_PROJECT          with --peer, a copy built before (its folder is logged) instead of a new one`,
  { peer: { type: 'boolean' } },
);

function number(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return value;
}

const quick = process.env.BENCH_QUICK === '1';
const settings = {
  quick,
  runs: number('BENCH_RUNS', quick ? 1 : values.peer ? 8 : 3),
  durationSeconds: number('BENCH_DURATION', quick ? 1 : 5),
  warmupSeconds: number('BENCH_WARMUP', quick ? 1 : 2),
  connections: number('BENCH_CONNECTIONS', quick ? 2 : 10),
  rows: number('BENCH_ROWS', quick ? 200 : 10_000),
  firstRequestStarts: number('BENCH_FIRST_REQUEST_STARTS', quick ? 1 : 3),
  /** The simulated distance of the second PGlite round; 0 skips it. */
  latencyMs: number('BENCH_LATENCY_MS', 50),
  /** The distance round loads one connection: a request's own time, not the queue's. */
  latencyConnections: 1,
};
const jwtCalls = number('BENCH_JWT_TOKENS', quick ? 2_000 : 20_000);
const overheadQueries = number('BENCH_OVERHEAD_QUERIES', quick ? 200 : 2_000);
const roundTripRequests = quick ? 3 : 10;
const postgresUrl = process.env.BENCH_POSTGRES_URL?.trim() || process.env.TEST_POSTGRES_URL?.trim() || undefined;
const only = process.env.BENCH_ENDPOINTS?.split(',')
  .map((name) => name.trim())
  .filter(Boolean);
// A quick run must not overwrite the committed results.
const outDir = process.env.BENCH_OUT || (quick ? join(tmpdir(), 'edge-users-api-bench') : 'test/bench/results');

const REFERENCE =
  'a plain Node `http` server (test/bench/reference/) converting to Web Request/Response, with the same routes ' +
  "written by hand: Neon's raw `neon()` driver over the same local endpoint, hand-written SQL, hand-written " +
  'validation, the same `verifyToken` (src/auth/tokens.ts, jose HS256) once per request, the same fetch timeout. ' +
  'No Next.js, no Prisma, no middleware, no zod. It is the floor a by-hand Node service reaches on this machine, ' +
  'so ours/reference is the price of Next.js (edge sandbox, middleware), Prisma and our own code together.';

const log = (line: string) => console.error(`bench: ${line}`);

// The JWT measurement and the reference read these through src/env.ts; the servers get their own below.
process.env.JWT_SECRET = SERVER_JWT_SECRET;
process.env.DATABASE_URL ||= 'postgresql://bench:bench@127.0.0.1:5432/bench';

interface Endpoint {
  name: string;
  request: string;
  expectedStatus: number;
  probe: Probe;
  job: Pick<LoadJob, 'method' | 'path' | 'headers' | 'idRange'> & { createsUsers?: boolean };
  firstRequest?: boolean;
}

function endpoints(userToken: string, adminToken: string): Endpoint[] {
  const user = { authorization: `Bearer ${userToken}` };
  const admin = { authorization: `Bearer ${adminToken}` };
  let created = 0;
  const all: Endpoint[] = [
    {
      name: 'hello',
      request: 'GET /api/hello',
      expectedStatus: 200,
      probe: { name: 'hello', method: 'GET', path: '/api/hello', headers: {} },
      job: { method: 'GET', path: '/api/hello', headers: {} },
      firstRequest: true,
    },
    {
      name: 'list',
      request: 'GET /api/users',
      expectedStatus: 200,
      probe: { name: 'list', method: 'GET', path: '/api/users', headers: user },
      job: { method: 'GET', path: '/api/users', headers: user },
      firstRequest: true,
    },
    {
      name: 'one',
      request: 'GET /api/users/{id}',
      expectedStatus: 200,
      probe: { name: 'one', method: 'GET', path: '/api/users/7', headers: user },
      job: { method: 'GET', path: '/api/users/{id}', headers: user, idRange: settings.rows },
    },
    {
      name: 'create',
      request: 'POST /api/users',
      expectedStatus: 201,
      probe: {
        name: 'create',
        method: 'POST',
        path: '/api/users',
        headers: admin,
        body: () => JSON.stringify({ name: 'Probe', email: `probe-${process.pid}-${created++}@bench.example` }),
      },
      job: { method: 'POST', path: '/api/users', headers: admin, createsUsers: true },
    },
    {
      name: 'refused',
      request: 'GET /api/users, no token',
      expectedStatus: 401,
      probe: { name: 'refused', method: 'GET', path: '/api/users', headers: {} },
      job: { method: 'GET', path: '/api/users', headers: {} },
    },
  ];
  return only ? all.filter((endpoint) => only.includes(endpoint.name)) : all;
}

function summarize(runs: LoadResult[], expectedStatus: number): Summary {
  return {
    rps: median(runs.map((run) => run.rps)),
    p50: median(runs.map((run) => run.p50)),
    p90: median(runs.map((run) => run.p90)),
    p99: median(runs.map((run) => run.p99)),
    unexpected: runs.reduce(
      (sum, run) => sum + run.requests - (run.statuses[expectedStatus] ?? 0) + run.errors + run.timeouts,
      0,
    ),
    runs,
  };
}

/** How the servers reach the endpoint: its credentials, tagged by server for the round-trip counter. */
const serverSettings = (localDb: LocalDb, kind: ServerKind, standaloneDir: string, publicOrigin?: string) => ({
  databaseUrl: localDb.connectionString(kind),
  fetchEndpoint: localDb.endpoint,
  jwtSecret: SERVER_JWT_SECRET,
  standaloneDir,
  publicOrigin,
});

/**
 * Seeds the users, then starts ours and `theirs` (the reference, or the peer from the same standalone build) on the
 * endpoint, kept in `servers` for cleanup.
 */
async function seedAndStart(
  label: string,
  localDb: LocalDb,
  standaloneDir: string,
  servers: RunningServer[],
  theirKind: 'reference' | 'peer' = 'reference',
  publicOrigin?: string,
) {
  log(`${label}: seeding ${settings.rows} users`);
  await seedThroughEndpoint(localDb.endpoint, localDb.connectionString('seed'), settings.rows);
  const ours = await startServer('ours', serverSettings(localDb, 'ours', standaloneDir, publicOrigin));
  servers.push(ours);
  const theirs = await startServer(theirKind, serverSettings(localDb, theirKind, standaloneDir, publicOrigin));
  servers.push(theirs);
  await Promise.all([waitUntilServing(ours), waitUntilServing(theirs)]);
  return { ours, theirs };
}

/**
 * One load of `endpoint` on a server (at `path`, the endpoint's unless given); created users get emails unique to
 * `key` and the run's tag.
 */
function loader(
  endpoint: Endpoint,
  driver: LoadDriver,
  key: string,
  connections = settings.connections,
  path?: string,
) {
  return (server: RunningServer, seconds: number, tag: string) => {
    const { createsUsers, ...job } = endpoint.job;
    return driver.run({
      ...job,
      path: path ?? job.path,
      baseUrl: server.baseUrl,
      connections,
      durationSeconds: seconds,
      emailPrefix: createsUsers ? `${key}-${server.kind}-${tag}` : undefined,
    });
  };
}

type Load = (seconds: number, tag: string) => Promise<LoadResult>;

/**
 * Warm-up, then `settings.runs` rounds of one load of each back to back, order alternating; medians of the runs, and
 * of the ratios ours/theirs of each round (a round's two loads share the machine's moment).
 */
async function alternate(label: string, ours: Load, theirs: Load, expectedStatus: number) {
  log(`${label}: warm-up`);
  if (settings.warmupSeconds > 0) {
    await ours(settings.warmupSeconds, 'warm');
    await theirs(settings.warmupSeconds, 'warm');
  }
  const runs = { ours: [] as LoadResult[], theirs: [] as LoadResult[] };
  for (let run = 0; run < settings.runs; run++) {
    const order = run % 2 === 0 ? (['ours', 'theirs'] as const) : (['theirs', 'ours'] as const);
    for (const side of order) {
      runs[side].push(await (side === 'ours' ? ours : theirs)(settings.durationSeconds, `run${run}`));
    }
  }
  const pairs = runs.ours.map((o, i) => ({ o, t: runs.theirs[i]! }));
  return {
    ours: summarize(runs.ours, expectedStatus),
    theirs: summarize(runs.theirs, expectedStatus),
    rpsRatio: median(pairs.map(({ o, t }) => o.rps / t.rps)),
    p50Ratio: median(pairs.map(({ o, t }) => o.p50 / t.p50)),
  };
}

/** Ours and the reference under the same load, alternating. */
async function loadBoth(
  endpoint: Endpoint,
  servers: { ours: RunningServer; reference: RunningServer },
  driver: LoadDriver,
  label: string,
  key: string,
): Promise<Omit<EndpointResult, 'roundTrips'>> {
  const load = loader(endpoint, driver, key);
  const { theirs, ...measured } = await alternate(
    label,
    (seconds, tag) => load(servers.ours, seconds, tag),
    (seconds, tag) => load(servers.reference, seconds, tag),
    endpoint.expectedStatus,
  );
  return {
    name: endpoint.name,
    request: endpoint.request,
    expectedStatus: endpoint.expectedStatus,
    ...measured,
    reference: theirs,
  };
}

/**
 * The main endpoints with PGlite next door and `latencyMs` away (LOCAL_DB_LATENCY_MS): what each database
 * round trip costs when the database is far, as for an edge function far from its Neon region. Runs at the
 * two distances alternate on one endpoint, so the comparison holds however busy the machine is.
 */
async function benchLatency(
  standaloneDir: string,
  tokens: { user: string; admin: string },
  latencyMs: number,
): Promise<LatencyResult> {
  const label = `PGlite, 0 and ${latencyMs} ms away`;
  const localDb = await startLocalDb({ port: 0, dataDir: 'memory:', quiet: true });
  const servers: RunningServer[] = [];
  const driver = new LoadDriver();
  try {
    const { ours, theirs: reference } = await seedAndStart(label, localDb, standaloneDir, servers);
    const main = endpoints(tokens.user, tokens.admin).filter((endpoint) => endpoint.expectedStatus < 400);
    const results: LatencyResult['endpoints'] = [];
    for (const endpoint of main) {
      // One request at a time: under saturating load p50 is set by throughput (Little's law) and hides the
      // distance; alone, a request's p50 is its own time, round trips included.
      const load = loader(endpoint, driver, 'latency', settings.latencyConnections);
      log(`${label}: ${endpoint.request}: warm-up`);
      localDb.setLatency(latencyMs);
      if (settings.warmupSeconds > 0) {
        await load(ours, settings.warmupSeconds, 'warm');
        await load(reference, settings.warmupSeconds, 'warm');
      }
      const runs = {
        near: { ours: [] as LoadResult[], reference: [] as LoadResult[] },
        far: { ours: [] as LoadResult[], reference: [] as LoadResult[] },
      };
      for (let run = 0; run < settings.runs; run++) {
        for (const distance of run % 2 === 0 ? (['near', 'far'] as const) : (['far', 'near'] as const)) {
          localDb.setLatency(distance === 'far' ? latencyMs : 0);
          for (const kind of run % 2 === 0 ? (['ours', 'reference'] as const) : (['reference', 'ours'] as const)) {
            const server = kind === 'ours' ? ours : reference;
            runs[distance][kind].push(await load(server, settings.durationSeconds, `${distance}${run}`));
          }
        }
      }
      const summary = (distance: 'near' | 'far') => ({
        ours: summarize(runs[distance].ours, endpoint.expectedStatus),
        reference: summarize(runs[distance].reference, endpoint.expectedStatus),
      });
      const result = { name: endpoint.name, request: endpoint.request, near: summary('near'), far: summary('far') };
      log(
        `${label}: ${endpoint.request}: ours p50 ${result.near.ours.p50.toFixed(1)} → ${result.far.ours.p50.toFixed(1)} ms, ` +
          `reference ${result.near.reference.p50.toFixed(1)} → ${result.far.reference.p50.toFixed(1)} ms`,
      );
      results.push(result);
    }
    return { latencyMs, endpoints: results };
  } finally {
    driver.close();
    await Promise.all(servers.map((server) => server.stop()));
    await localDb.close();
  }
}

function medianFirstRequest(samples: FirstRequest[]): FirstRequest {
  return {
    listenMs: median(samples.map((s) => s.listenMs)),
    firstMs: median(samples.map((s) => s.firstMs)),
    secondMs: median(samples.map((s) => s.secondMs)),
  };
}

/** A database of its own on the given server, so the benchmark never touches existing tables. */
async function createBenchDatabase(url: string): Promise<{ url: string; version: string; drop(): Promise<void> }> {
  const name = `edge_users_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const version = (await admin.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  const own = new URL(url);
  own.pathname = `/${name}`;
  return {
    url: own.href,
    version,
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await admin.end();
    },
  };
}

async function benchBackend(
  label: string,
  standaloneDir: string,
  tokens: { user: string; admin: string },
  postgres?: string,
): Promise<BackendResult> {
  const localDb = await startLocalDb({ port: 0, dataDir: 'memory:', postgresUrl: postgres, quiet: true });
  const stats = { url: localDb.endpoint.replace(/\/sql$/, '/_stats'), connectionString: localDb.connectionString() };
  const list = endpoints(tokens.user, tokens.admin);
  const servers: RunningServer[] = [];
  const driver = new LoadDriver();
  try {
    const { ours, theirs: reference } = await seedAndStart(label, localDb, standaloneDir, servers);
    const differences = await compareAnswers(
      ours,
      reference,
      list.map((endpoint) => endpoint.probe),
    );

    const results: EndpointResult[] = [];
    const key = label.toLowerCase().replace(/[^a-z0-9]+/g, '');
    for (const endpoint of list) {
      const roundTrips = {
        ours: await measureRoundTrips(ours, stats, 'ours', endpoint.probe, roundTripRequests),
        reference: await measureRoundTrips(reference, stats, 'reference', endpoint.probe, roundTripRequests),
      };
      const result: EndpointResult = {
        ...(await loadBoth(endpoint, { ours, reference }, driver, `${label}: ${endpoint.request}`, key)),
        roundTrips,
      };
      log(
        `${label}: ${endpoint.request}: ours ${result.ours.rps.toFixed(0)} req/s p50 ${result.ours.p50.toFixed(2)} ms, ` +
          `reference ${result.reference.rps.toFixed(0)} req/s p50 ${result.reference.p50.toFixed(2)} ms`,
      );
      results.push(result);
    }
    await Promise.all(servers.splice(0).map((server) => server.stop()));
    driver.close();

    const firstRequests: FirstRequestResult[] = [];
    for (const endpoint of list.filter((e) => e.firstRequest)) {
      log(`${label}: first request to ${endpoint.request}`);
      const samples = { ours: [] as FirstRequest[], reference: [] as FirstRequest[] };
      for (let start = 0; start < settings.firstRequestStarts; start++) {
        for (const kind of ['ours', 'reference'] as const) {
          samples[kind].push(
            await measureFirstRequest(kind, serverSettings(localDb, kind, standaloneDir), endpoint.probe),
          );
        }
      }
      const warm = results.find((r) => r.name === endpoint.name)!;
      firstRequests.push({
        name: endpoint.request,
        ours: medianFirstRequest(samples.ours),
        reference: medianFirstRequest(samples.reference),
        warmP50: { ours: warm.ours.p50, reference: warm.reference.p50 },
      });
    }

    log(`${label}: endpoint overhead`);
    const endpointOverhead = await measureEndpointOverhead({
      endpoint: localDb.endpoint,
      connectionString: localDb.connectionString('overhead'),
      postgresUrl: postgres,
      rows: settings.rows,
      queries: overheadQueries,
    });
    return { name: label, differences, endpoints: results, firstRequests, endpointOverhead };
  } finally {
    driver.close();
    await Promise.all(servers.map((server) => server.stop()));
    await localDb.close();
  }
}

function machine(): BenchResult['machine'] {
  let cpu = cpus()[0]?.model ?? 'unknown CPU';
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
  } catch {
    // not Linux
  }
  const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();
  let commit = 'unknown';
  try {
    commit = git('rev-parse', '--short', 'HEAD');
    if (git('status', '--porcelain', '--', 'src', 'app', 'middleware.ts', 'next.config.ts'))
      commit += ' + uncommitted changes';
  } catch {
    // not a git checkout
  }
  return { cpu, cores: cpus().length, node: process.version, date: new Date().toISOString(), commit };
}

/** Writes `<name>.json` and `<name>.md` in the results folder, and prints the markdown. */
function writeResults(name: string, result: object, markdown: string): void {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(outDir, `${name}.md`), markdown);
  console.log(markdown);
  log(`wrote ${join(outDir, name)}.{json,md}`);
}

/** Both servers write links with this origin, so that their answers can be the same bytes. */
const PEER_BENCH_ORIGIN = 'https://edge-users-api.example';

/** A clean copy of the project with the peer's routes, its dependencies installed and `npm run build` run. */
const peerProject = (): string =>
  builtCopy({
    reuse: process.env.BENCH_PEER_PROJECT,
    prefix: 'bench-peer-',
    what: "npm ci and npm run build, with the peer's routes",
    prepare: addPeerRoutes,
    build: (dir, logFile) => {
      const output = openSync(logFile, 'w');
      try {
        runLogged('npm', ['ci', '--no-audit', '--no-fund'], dir, output);
        runLogged('npm', ['run', 'build'], dir, output);
      } catch (error) {
        throw new Error(`the bench copy's build failed; see ${logFile}`, { cause: error });
      } finally {
        closeSync(output);
      }
    },
    log,
  });

/**
 * `--peer`: GET /api/users and GET /api/users/{id}, ours against the peer's routes from the same build, each on a
 * standalone server of its own; answers compared byte for byte first, then loads in alternate rounds.
 */
async function benchPeer(): Promise<void> {
  const project = peerProject();
  log(`bench copy in ${project} (BENCH_PEER_PROJECT=${project} reuses it)`);
  const sizes = measureEdgeFunctions(join(project, '.next'));
  const gzipBytes = (route: string) => sizes.find((size) => size.name === `${route}/route`)?.gzipBytes ?? Number.NaN;
  const standalone = snapshotStandalone(project);
  const localDb = await startLocalDb({ port: 0, dataDir: 'memory:', quiet: true });
  const servers: RunningServer[] = [];
  const driver = new LoadDriver();
  const label = 'ours and the peer';
  try {
    const { ours, theirs: peer } = await seedAndStart(
      label,
      localDb,
      standalone.dir,
      servers,
      'peer',
      PEER_BENCH_ORIGIN,
    );
    const userToken = await serverToken({ id: 7, role: 'user', sessionId: BENCH_SESSION_ID }, 6 * 3600);
    const routes = endpoints(userToken, userToken).filter((e) => e.name === 'list' || e.name === 'one');
    const user = { authorization: `Bearer ${userToken}` };
    const probes: Probe[] = [
      ...routes.map((endpoint) => endpoint.probe),
      { name: 'page', method: 'GET', path: '/api/users?limit=5&cursor=40', headers: user },
      { name: 'missing', method: 'GET', path: `/api/users/${settings.rows + 1}`, headers: user },
    ];
    const differences = await compareExactly(ours, peer, probes, peerPath);
    if (differences.length) throw new Error(`the peer answered differently:\n${differences.join('\n')}`);

    const stats = { url: localDb.endpoint.replace(/\/sql$/, '/_stats'), connectionString: localDb.connectionString() };
    // The build before has its own load; what counts is the machine's while the loads run.
    const loadBefore = loadavg()[0]!;
    const results: PeerEndpointResult[] = [];
    for (const endpoint of routes) {
      const roundTrips = {
        ours: await measureRoundTrips(ours, stats, 'ours', endpoint.probe, roundTripRequests),
        peer: await measureRoundTrips(
          peer,
          stats,
          'peer',
          { ...endpoint.probe, path: peerPath(endpoint.probe.path) },
          roundTripRequests,
        ),
      };
      const ourLoad = loader(endpoint, driver, 'peer');
      const peerLoad = loader(endpoint, driver, 'peer', settings.connections, peerPath(endpoint.job.path));
      const measured = await alternate(
        `${label}: ${endpoint.request}`,
        (seconds, tag) => ourLoad(ours, seconds, tag),
        (seconds, tag) => peerLoad(peer, seconds, tag),
        endpoint.expectedStatus,
      );
      const route = endpoint.probe.path.replace(/\/\d+$/, '/[id]');
      const result: PeerEndpointResult = {
        request: endpoint.request,
        ours: measured.ours,
        peer: measured.theirs,
        rpsRatio: measured.rpsRatio,
        p50Ratio: measured.p50Ratio,
        roundTrips,
        gzipBytes: { ours: gzipBytes(route), peer: gzipBytes(peerPath(route)) },
      };
      log(
        `${endpoint.request}: ours ${result.ours.rps.toFixed(0)} req/s p50 ${result.ours.p50.toFixed(2)} ms, ` +
          `peer ${result.peer.rps.toFixed(0)} req/s p50 ${result.peer.p50.toFixed(2)} ms`,
      );
      results.push(result);
    }

    const result: PeerBenchResult = {
      machine: machine(),
      settings: {
        quick,
        runs: settings.runs,
        durationSeconds: settings.durationSeconds,
        warmupSeconds: settings.warmupSeconds,
        connections: settings.connections,
        rows: settings.rows,
      },
      command: `${quick ? 'BENCH_QUICK=1 ' : ''}npm run bench -- --peer`,
      loadAverage: { before: loadBefore, after: loadavg()[0]! },
      compared: probes.map((probe) => `${probe.method} ${probe.path}`),
      endpoints: results,
    };
    writeResults('peer', result, peerToMarkdown(result));
    for (const line of peerVerdicts(result)) console.log(line);
  } finally {
    driver.close();
    await Promise.all(servers.map((server) => server.stop()));
    await localDb.close();
    standalone.remove();
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  nextEnv.loadEnvConfig(process.cwd(), false, { info: () => undefined, error: console.error });
  if (values.peer) return benchPeer();
  if (process.env.BENCH_SKIP_BUILD !== '1') {
    log('npm run build');
    const build = spawnSync('npm', ['run', 'build'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    });
    if (build.status !== 0) throw new Error('npm run build failed (run it alone to see why)');
  }
  const edgeSizes = measureEdgeFunctions();
  const standalone = snapshotStandalone();
  try {
    await bench(standalone.dir, edgeSizes, started);
  } finally {
    standalone.remove();
  }
}

async function bench(standaloneDir: string, edgeSizes: EdgeFunctionSize[], started: number): Promise<void> {
  const tokens = {
    user: await serverToken({ id: 1, role: 'user', sessionId: BENCH_SESSION_ID }, 6 * 3600),
    admin: await serverToken({ id: 1, role: 'admin', sessionId: BENCH_SESSION_ID }, 6 * 3600),
  };
  log('JWT verification');
  const jwt = await measureJwt(tokens.user, jwtCalls);

  const notes: string[] = [];
  const backends = [await benchBackend('PGlite (in memory)', standaloneDir, tokens)];
  if (postgresUrl) {
    const database = await createBenchDatabase(postgresUrl);
    try {
      backends.push(await benchBackend(`PostgreSQL ${database.version}`, standaloneDir, tokens, database.url));
    } finally {
      await database.drop();
    }
  } else {
    notes.push(
      'No PostgreSQL round: set BENCH_POSTGRES_URL (or TEST_POSTGRES_URL) for one. The endpoint overhead was measured against PGlite only.',
    );
  }
  const latency = settings.latencyMs > 0 ? await benchLatency(standaloneDir, tokens, settings.latencyMs) : undefined;
  const farBehind = backends.flatMap((b) => b.endpoints.filter(isFarBehind).map((e) => `${e.request} (${b.name})`));
  if (farBehind.length) notes.push(`Far behind the reference: ${farBehind.join(', ')}.`);
  notes.push(`Total bench time ${((performance.now() - started) / 1000).toFixed(0)} s.`);

  const result: BenchResult = {
    machine: machine(),
    settings,
    reference: REFERENCE,
    edgeSizes,
    jwt,
    backends,
    latency,
    notes,
  };
  writeResults('latest', result, toMarkdown(result));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
