// The benchmark's result shape and its markdown form (test/bench/results/latest.md).
import { formatTable, type EdgeFunctionSize } from '@/scripts/edge-sizes.ts';
import type { LoadResult } from './load.ts';
import type { EndpointOverhead, FirstRequest, JwtResult } from './measure.ts';

export interface Summary {
  /** Medians over the measured runs. */
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  /** Responses whose status was not the expected one, over all runs. */
  unexpected: number;
  runs: LoadResult[];
}

export interface EndpointResult {
  name: string;
  request: string;
  expectedStatus: number;
  ours: Summary;
  reference: Summary;
  /** Medians of the per-run ratios ours/reference (runs alternate order, so each pair shares its moment). */
  rpsRatio: number;
  p50Ratio: number;
  roundTrips: { ours: number; reference: number };
}

export interface FirstRequestResult {
  name: string;
  ours: FirstRequest;
  reference: FirstRequest;
  warmP50: { ours: number; reference: number };
}

export interface BackendResult {
  name: string;
  differences: string[];
  endpoints: EndpointResult[];
  firstRequests: FirstRequestResult[];
  endpointOverhead: EndpointOverhead;
}

/**
 * The main endpoints with PGlite next door and LOCAL_DB_LATENCY_MS away, measured in one round: runs at
 * each distance alternate, so both columns share the machine's moment.
 */
export interface LatencyResult {
  latencyMs: number;
  endpoints: {
    name: string;
    request: string;
    near: { ours: Summary; reference: Summary };
    far: { ours: Summary; reference: Summary };
  }[];
}

export interface BenchResult {
  machine: { cpu: string; cores: number; node: string; date: string; commit: string };
  settings: {
    quick: boolean;
    runs: number;
    durationSeconds: number;
    warmupSeconds: number;
    connections: number;
    rows: number;
    firstRequestStarts: number;
    latencyMs?: number;
    latencyConnections?: number;
  };
  reference: string;
  edgeSizes: EdgeFunctionSize[];
  jwt: JwtResult;
  backends: BackendResult[];
  latency?: LatencyResult;
  notes: string[];
}

/** One route, ours against the peer (`npm run bench -- --peer`). */
export interface PeerEndpointResult {
  request: string;
  ours: Summary;
  peer: Summary;
  /** Medians of each round's ratio ours/peer. */
  rpsRatio: number;
  p50Ratio: number;
  roundTrips: { ours: number; peer: number };
  /** Gzipped edge function, from the build. */
  gzipBytes: { ours: number; peer: number };
}

export interface PeerBenchResult {
  machine: BenchResult['machine'];
  settings: Pick<
    BenchResult['settings'],
    'quick' | 'runs' | 'durationSeconds' | 'warmupSeconds' | 'connections' | 'rows'
  >;
  command: string;
  /** The 1-minute load average before the first load and after the last. */
  loadAverage: { before: number; after: number };
  /** The requests whose answers were compared byte for byte before loading. */
  compared: string[];
  endpoints: PeerEndpointResult[];
}

/** Far enough behind the reference to be worth a look. */
export const isFarBehind = (endpoint: EndpointResult) => endpoint.p50Ratio > 1.5 || endpoint.rpsRatio < 0.67;

const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));
const ratio = (value: number) => `${value.toFixed(2)}×`;
const int = (value: number) => Math.round(value).toLocaleString('en-US');
const trips = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(2));

function loadTable(backend: BackendResult): string {
  const rows = backend.endpoints.map((e) => {
    const flag = isFarBehind(e) ? ' ⚠' : '';
    const bad = e.ours.unexpected + e.reference.unexpected;
    return (
      `| ${e.name} \`${e.request}\` → ${e.expectedStatus}${bad ? ` (${bad} unexpected)` : ''} ` +
      `| ${int(e.ours.rps)} | ${int(e.reference.rps)} | ${ratio(e.rpsRatio)}${flag} ` +
      `| ${ms(e.ours.p50)} / ${ms(e.ours.p90)} / ${ms(e.ours.p99)} ` +
      `| ${ms(e.reference.p50)} / ${ms(e.reference.p90)} / ${ms(e.reference.p99)} ` +
      `| ${ratio(e.p50Ratio)}${flag} | ${trips(e.roundTrips.ours)} / ${trips(e.roundTrips.reference)} |`
    );
  });
  return [
    '| endpoint | ours req/s | ref req/s | rps ours/ref | ours p50 / p90 / p99 ms | ref p50 / p90 / p99 ms | p50 ours/ref | DB round trips ours / ref |',
    '| --- | --: | --: | --: | --: | --: | --: | --: |',
    ...rows,
  ].join('\n');
}

/** What each database endpoint adds over GET /api/hello on the same server: the framework's fixed cost cancels out. */
function addedOverHello(backend: BackendResult): string | undefined {
  const hello = backend.endpoints.find((e) => e.name === 'hello');
  const rest = backend.endpoints.filter((e) => e.name !== 'hello' && e.roundTrips.ours > 0);
  if (!hello || rest.length === 0) return undefined;
  const rows = rest.map((e) => {
    const ours = e.ours.p50 - hello.ours.p50;
    const reference = e.reference.p50 - hello.reference.p50;
    return `| ${e.request} | ${ms(ours)} | ${ms(reference)} | ${ms(ours - reference)} |`;
  });
  return [
    '| p50 added over GET /api/hello | ours ms | reference ms | difference ms |',
    '| --- | --: | --: | --: |',
    ...rows,
  ].join('\n');
}

function firstRequestTable(backend: BackendResult): string {
  const rows = backend.firstRequests.flatMap((f) =>
    (['ours', 'reference'] as const).map((kind) => {
      const first = f[kind];
      const warm = f.warmP50[kind];
      return `| ${f.name} | ${kind} | ${int(first.listenMs)} | ${ms(first.firstMs)} | ${ms(first.secondMs)} | ${ms(warm)} | ${int(first.firstMs / warm)}× |`;
    }),
  );
  return [
    '| endpoint | server | spawn → listening ms | first request ms | second request ms | warm p50 ms | first / warm |',
    '| --- | --- | --: | --: | --: | --: | --: |',
    ...rows,
  ].join('\n');
}

/** p50 next door and `latencyMs` away, per endpoint, with the round trips that explain the gap. */
function latencyTable(latency: LatencyResult, near: BackendResult | undefined): string {
  const rows = latency.endpoints.map((e) => {
    const local = near?.endpoints.find((n) => n.name === e.name);
    const roundTrips = local ? `${trips(local.roundTrips.ours)} / ${trips(local.roundTrips.reference)}` : '–';
    return (
      `| \`${e.request}\` | ${roundTrips} | ${ms(e.near.ours.p50)} | ${ms(e.far.ours.p50)} ` +
      `| ${ms(e.near.reference.p50)} | ${ms(e.far.reference.p50)} |`
    );
  });
  return [
    `| endpoint | DB round trips ours / ref | ours p50 at 0 ms | ours p50 at ${latency.latencyMs} ms | ref p50 at 0 ms | ref p50 at ${latency.latencyMs} ms |`,
    '| --- | --: | --: | --: | --: | --: |',
    ...rows,
  ].join('\n');
}

function overheadTable(overhead: EndpointOverhead): string {
  return [
    `| same SELECT by id, ${overhead.queries} sequential | µs per query |`,
    '| --- | --: |',
    `| Neon driver → local endpoint → ${overhead.target} | ${int(overhead.viaEndpointMicros)} |`,
    `| node-postgres → ${overhead.target} directly | ${int(overhead.directMicros)} |`,
    `| endpoint + driver overhead | ${int(overhead.overheadMicros)} |`,
  ].join('\n');
}

export function toMarkdown(result: BenchResult): string {
  const { machine, settings } = result;
  const lines = [
    '# Benchmark: what a request costs, ours vs a hand-written reference',
    '',
    `Machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.date}, commit ${machine.commit}.`,
    `Load: ${settings.runs} run(s) × ${settings.durationSeconds} s after ${settings.warmupSeconds} s warm-up, ` +
      `${settings.connections} connections, autocannon in its own process; ${int(settings.rows)} seeded users; ` +
      `medians over runs${settings.quick ? ' (QUICK run: numbers are a smoke test only)' : ''}.`,
    '',
    `Reference: ${result.reference}`,
    '',
    'Ratios are medians of per-run pairs (ours and reference back to back, order alternating). ' +
      '⚠ marks p50 > 1.5× or rps < 0.67× the reference.',
  ];
  for (const backend of result.backends) {
    lines.push('', `## Load — ${backend.name}`, '', loadTable(backend));
    const added = addedOverHello(backend);
    if (added) {
      lines.push(
        '',
        'Framework cost (Next.js request handling, middleware, edge sandbox) is what hello shows; what a database ' +
          "endpoint adds on top of its own server's hello is the query path (Prisma + our code vs `neon()` + SQL):",
        '',
        added,
      );
    }
    lines.push(
      '',
      backend.differences.length
        ? `Answers differ:\n\n${backend.differences.map((d) => `- ${d}`).join('\n')}`
        : 'Ours and the reference gave the same status, media type, Link/Location and JSON body for each endpoint.',
    );
    lines.push(
      '',
      `### First request of a freshly started server — ${backend.name} (median of ${settings.firstRequestStarts} starts)`,
      '',
      firstRequestTable(backend),
    );
    lines.push(
      '',
      `### The local endpoint's own overhead — ${backend.name}`,
      '',
      overheadTable(backend.endpointOverhead),
    );
  }
  if (result.latency) {
    lines.push(
      '',
      `## A database ${result.latency.latencyMs} ms away (LOCAL_DB_LATENCY_MS=${result.latency.latencyMs})`,
      '',
      `PGlite in memory, its runs alternating between next door and every query ${result.latency.latencyMs} ms longer ` +
        '(half before it runs, half after), as for an app far from its database region; one connection, so that ' +
        'p50 is what one request takes rather than how long it queues. Each round trip a request makes in ' +
        'sequence adds the full distance to its p50.',
      '',
      latencyTable(result.latency, result.backends[0]),
    );
  }
  lines.push('', '## Edge function sizes (gzipped, from the build)', '', formatTable(result.edgeSizes));
  const { jwt } = result;
  lines.push(
    '',
    '## JWT verification (HS256, in process)',
    '',
    '| verification | µs per token |',
    '| --- | --: |',
    `| \`verifyToken\` (src/auth/tokens.ts) | ${jwt.verifyTokenMicros.toFixed(1)} |`,
    `| bare \`jwtVerify\`, same options, secret as bytes (imported by jose per call) | ${jwt.rawSecretMicros.toFixed(1)} |`,
    `| bare \`jwtVerify\`, same options, CryptoKey imported once | ${jwt.cryptoKeyMicros.toFixed(1)} |`,
    '',
    `Median of 5 alternating rounds, ${int(jwt.tokens)} verifications each kind. Ours verifies each authenticated request twice (middleware, then route).`,
  );
  if (result.notes.length) lines.push('', '## Notes', '', ...result.notes.map((note) => `- ${note}`));
  return `${lines.join('\n')}\n`;
}

const times = (value: number) => `×${value.toFixed(2)}`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** The closing lines: each route's warm throughput ratio. */
export const peerVerdicts = (result: PeerBenchResult): string[] =>
  result.endpoints.map((e) => `warm req/s ours/peer ${times(e.rpsRatio)} (${e.request})`);

export function peerToMarkdown(result: PeerBenchResult): string {
  const { machine, settings, loadAverage } = result;
  const side = (summary: Summary) =>
    `${int(summary.rps)} | ${ms(summary.p50)} / ${ms(summary.p90)} / ${ms(summary.p99)}`;
  const rows = result.endpoints.map((e) => {
    const bad = e.ours.unexpected + e.peer.unexpected;
    return (
      `| \`${e.request}\`${bad ? ` (${bad} unexpected)` : ''} | ${side(e.ours)} | ${side(e.peer)} ` +
      `| ${times(e.rpsRatio)} | ${times(e.p50Ratio)} | ${trips(e.roundTrips.ours)} / ${trips(e.roundTrips.peer)} ` +
      `| ${kib(e.gzipBytes.ours)} / ${kib(e.gzipBytes.peer)} |`
    );
  });
  return [
    '# Warm load: ours against the same-framework peer',
    '',
    "The peer (test/bench/peer/) is the same edge route written without an ORM: Neon's `neon()` with SQL, the " +
      "project's own authenticate, settings, pagination and error mapper, so only the data layer differs. A clean " +
      "copy of the project with the peer's routes added is built (`npm run build`), and two standalone servers from " +
      'that one build serve ours and the peer on the local endpoint (PGlite in memory).',
    '',
    `Machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.date}, commit ${machine.commit}; ` +
      `load average ${loadAverage.before.toFixed(1)} before and ${loadAverage.after.toFixed(1)} after; \`${result.command}\`.`,
    `Load: ${settings.runs} round(s), each one ${settings.durationSeconds} s load of ours and one of the peer back to ` +
      `back (order alternating), after ${settings.warmupSeconds} s warm-up each; ${settings.connections} connections, ` +
      `autocannon in its own process; ${int(settings.rows)} seeded users; medians over the rounds, ratios the medians ` +
      `of each round's ours/peer${settings.quick ? ' (QUICK run: numbers are a smoke test only)' : ''}.`,
    '',
    `Before loading, ours and the peer answered each of these byte for byte alike (status, Link, cache-control, ` +
      `body): ${result.compared.map((request) => `\`${request}\``).join(', ')}.`,
    '',
    '| request | ours req/s | ours p50 / p90 / p99 ms | peer req/s | peer p50 / p90 / p99 ms | req/s ours/peer | p50 ours/peer | DB round trips ours / peer | gzipped function ours / peer |',
    '| --- | --: | --: | --: | --: | --: | --: | --: | --: |',
    ...rows,
    '',
  ].join('\n');
}
