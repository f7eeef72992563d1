// The benchmark's measurements other than load: JWT verification, the local endpoint's own overhead,
// round trips per request, first-request latency, and whether ours answers as the reference and the peer do.
import { isDeepStrictEqual } from 'node:util';
import { performance } from 'node:perf_hooks';
import { jwtVerify } from 'jose';
import { neon, neonConfig } from '@neondatabase/serverless';
import pg from 'pg';
import { applyMigrations } from '@/scripts/local-db/migrations.ts';
import { openPglite } from '@/scripts/local-db/pglite.ts';
import { SERVER_JWT_AUDIENCE, SERVER_JWT_ISSUER, SERVER_JWT_SECRET } from '@/test/support/over-http/server-settings.ts';
import { median } from '@/test/support/statistics.ts';
import { answerHead } from './peer-copy.ts';
import { startServer, type RunningServer, type ServerKind, type ServerSettings } from './processes.ts';

export { median };

/** Per-call µs of `work`, the median over batches (a single call is below the timer's useful resolution). */
async function microseconds(work: () => Promise<unknown>, calls: number, batches = 20): Promise<number> {
  const perBatch = Math.max(1, Math.floor(calls / batches));
  for (let i = 0; i < perBatch; i++) await work();
  const samples: number[] = [];
  for (let batch = 0; batch < batches; batch++) {
    const started = performance.now();
    for (let i = 0; i < perBatch; i++) await work();
    samples.push(((performance.now() - started) * 1000) / perBatch);
  }
  return median(samples);
}

export interface JwtResult {
  tokens: number;
  verifyTokenMicros: number;
  rawSecretMicros: number;
  cryptoKeyMicros: number;
}

/**
 * src/auth/tokens.ts verifyToken in this process, against jose's jwtVerify with the same options and the
 * secret as bytes (jose imports it on every call) or as a CryptoKey imported once. The three alternate in
 * rounds so that none profits from running last. The caller sets JWT_SECRET and DATABASE_URL first.
 */
export async function measureJwt(token: string, calls: number): Promise<JwtResult> {
  const { verifyToken } = await import('@/src/auth/tokens.ts');
  const secret = new TextEncoder().encode(SERVER_JWT_SECRET);
  const key = await crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  const options = {
    algorithms: ['HS256'],
    issuer: SERVER_JWT_ISSUER,
    audience: SERVER_JWT_AUDIENCE,
    typ: 'JWT',
    requiredClaims: ['exp', 'iat', 'sub'],
    clockTolerance: 5,
  };
  const cases = {
    verifyTokenMicros: () => verifyToken(token),
    rawSecretMicros: () => jwtVerify(token, secret, options),
    cryptoKeyMicros: () => jwtVerify(token, key, options),
  };
  const rounds = 5;
  const samples: Record<keyof typeof cases, number[]> = {
    verifyTokenMicros: [],
    rawSecretMicros: [],
    cryptoKeyMicros: [],
  };
  for (let round = 0; round < rounds; round++) {
    for (const name of Object.keys(cases) as (keyof typeof cases)[]) {
      samples[name].push(await microseconds(cases[name], calls / rounds, 5));
    }
  }
  return {
    tokens: calls,
    verifyTokenMicros: median(samples.verifyTokenMicros),
    rawSecretMicros: median(samples.rawSecretMicros),
    cryptoKeyMicros: median(samples.cryptoKeyMicros),
  };
}

export const SELECT_BY_ID = `SELECT id, name, email, role, "createdAt", "updatedAt" FROM users WHERE id = $1`;

/** One INSERT … SELECT generate_series: `rows` users in a single round trip. */
export const SEED_SQL = `INSERT INTO users (name, email, role, "updatedAt")
  SELECT 'User ' || g, 'user' || g || '@seed.example', (CASE WHEN g % 10 = 0 THEN 'admin' ELSE 'user' END)::"Role", now()
  FROM generate_series(1, $1::int) AS g`;

/** The session every bench token names: writes are authorised against it in the database. */
export const BENCH_SESSION_ID = '00000000-0000-4000-8000-00000000be0c';

export async function seedThroughEndpoint(endpoint: string, connectionString: string, rows: number): Promise<void> {
  neonConfig.fetchEndpoint = endpoint;
  const sql = neon(connectionString);
  await sql.query(SEED_SQL, [rows]);
  // User 1 is the admin the bench signs in as, with a live session (the reference server does not check it).
  await sql.query(`UPDATE users SET role = 'admin' WHERE id = 1`);
  await sql.query(
    `INSERT INTO sessions (id, "userId", "refreshHash", "expiresAt")
     VALUES ($1::uuid, 1, 'bench', CURRENT_TIMESTAMP + interval '1 day') ON CONFLICT (id) DO NOTHING`,
    [BENCH_SESSION_ID],
  );
}

export interface EndpointOverhead {
  target: string;
  queries: number;
  viaEndpointMicros: number;
  directMicros: number;
  overheadMicros: number;
}

/**
 * The same SELECT by id, sequentially: through the local endpoint with Neon's driver, and with node-postgres
 * straight to the database behind it (PostgreSQL: the same server; PGlite: a second in-memory instance
 * seeded alike, since the endpoint's own instance is not reachable from outside it).
 */
export async function measureEndpointOverhead(options: {
  endpoint: string;
  connectionString: string;
  postgresUrl?: string;
  rows: number;
  queries: number;
}): Promise<EndpointOverhead> {
  neonConfig.fetchEndpoint = options.endpoint;
  const sql = neon(options.connectionString);
  let id = 0;
  const nextId = () => (id++ % options.rows) + 1;
  const viaEndpointMicros = await microseconds(() => sql.query(SELECT_BY_ID, [nextId()]), options.queries);

  let directMicros: number;
  if (options.postgresUrl) {
    const client = new pg.Client({ connectionString: options.postgresUrl });
    await client.connect();
    try {
      directMicros = await microseconds(() => client.query(SELECT_BY_ID, [nextId()]), options.queries);
    } finally {
      await client.end();
    }
  } else {
    const backend = await openPglite('memory:');
    try {
      await applyMigrations(backend, 'prisma/migrations');
      await backend.withConnection((client) => client.query(SEED_SQL, [options.rows]));
      directMicros = await microseconds(
        () => backend.withConnection((client) => client.query(SELECT_BY_ID, [nextId()])),
        options.queries,
      );
    } finally {
      await backend.close();
    }
  }
  return {
    target: options.postgresUrl ? 'PostgreSQL' : 'PGlite',
    queries: options.queries,
    viaEndpointMicros,
    directMicros,
    overheadMicros: viaEndpointMicros - directMicros,
  };
}

export interface Probe {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: () => string;
}

/** The local endpoint's counter, and the connection string it asks of whoever reads it. */
export interface StatsEndpoint {
  url: string;
  connectionString: string;
}

async function roundTripsSoFar(stats: StatsEndpoint, tag: string): Promise<number> {
  const response = await fetch(`${stats.url}?tag=${encodeURIComponent(tag)}`, {
    headers: { 'neon-connection-string': stats.connectionString },
  });
  return ((await response.json()) as { queries: number }).queries;
}

async function send(baseUrl: string, probe: Probe): Promise<Response> {
  return fetch(baseUrl + probe.path, {
    method: probe.method,
    headers: probe.body ? { ...probe.headers, 'content-type': 'application/json' } : probe.headers,
    body: probe.body?.(),
    redirect: 'manual',
    signal: AbortSignal.timeout(20_000),
  });
}

/**
 * The count once nothing more reaches the database under `tag`: a load that just ended may leave requests the server
 * is still answering, whose queries would otherwise be counted as the probe's (at most 10 s).
 */
async function settledRoundTrips(stats: StatsEndpoint, tag: string): Promise<number> {
  let last = await roundTripsSoFar(stats, tag);
  for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
    await new Promise((done) => setTimeout(done, 250));
    const now = await roundTripsSoFar(stats, tag);
    if (now === last) return now;
    last = now;
  }
  throw new Error(`queries under tag ${tag} did not settle within 10 s`);
}

/** Database round trips per request, from the local endpoint's counter for this server's tag. */
export async function measureRoundTrips(
  server: RunningServer,
  stats: StatsEndpoint,
  tag: string,
  probe: Probe,
  requests: number,
): Promise<number> {
  const before = await settledRoundTrips(stats, tag);
  for (let i = 0; i < requests; i++) await (await send(server.baseUrl, probe)).arrayBuffer();
  return ((await roundTripsSoFar(stats, tag)) - before) / requests;
}

export interface FirstRequest {
  /** Spawn until the port accepts connections. */
  listenMs: number;
  /** The first request's response time, from sending it on the open port. */
  firstMs: number;
  /** The very next request, same path. */
  secondMs: number;
}

/** A freshly started server's first request to one path: nothing else has touched it before. */
export async function measureFirstRequest(
  kind: ServerKind,
  settings: ServerSettings,
  probe: Probe,
): Promise<FirstRequest> {
  const server = await startServer(kind, settings);
  try {
    const timed = async () => {
      const started = performance.now();
      const response = await send(server.baseUrl, probe);
      await response.arrayBuffer();
      if (response.status >= 500) throw new Error(`${kind} ${probe.name}: first request answered ${response.status}`);
      return performance.now() - started;
    };
    const firstMs = await timed();
    const secondMs = await timed();
    return { listenMs: server.listenMs, firstMs, secondMs };
  } finally {
    await server.stop();
  }
}

interface Answer {
  status: number;
  contentType: string | null;
  link: string | null;
  location: string | null;
  body: unknown;
}

async function answer(server: RunningServer, probe: Probe): Promise<Answer> {
  const response = await send(server.baseUrl, probe);
  // Hosts differ only by port; compare the rest.
  const local = (value: string | null) => value?.replaceAll(server.baseUrl, 'http://HOST') ?? null;
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    link: local(response.headers.get('link')),
    location: local(response.headers.get('location'))?.replace(/\/\d+$/, '/ID') ?? null,
    body: await response.json().catch(() => null),
  };
}

/** Created rows differ in id, email, times and their invitation link's token; everything else must match. */
function comparable(probe: Probe, value: Answer): Answer {
  if (probe.method !== 'POST' || typeof value.body !== 'object' || value.body === null) return value;
  const { id, email, createdAt, updatedAt, invitation, ...rest } = value.body as Record<string, unknown>;
  const type = (field: unknown) =>
    typeof field === 'string' && !Number.isNaN(Date.parse(field)) ? 'date' : typeof field;
  const link = invitation as { url?: unknown; purpose?: unknown; expiresAt?: unknown } | undefined;
  return {
    ...value,
    body: {
      ...rest,
      id: typeof id,
      email: typeof email,
      createdAt: type(createdAt),
      updatedAt: type(updatedAt),
      invitation: link && {
        url: typeof link.url === 'string' ? new URL(link.url).pathname.replace(/[^/]+$/, 'TOKEN') : link.url,
        purpose: link.purpose,
        expiresAt: type(link.expiresAt),
      },
    },
  };
}

/**
 * Ours and the reference, asked the same thing: status, content type, Link and Location, and the JSON body.
 * Problem bodies (the 401) differ in wording by design; only their status and media type are compared.
 */
export async function compareAnswers(
  ours: RunningServer,
  reference: RunningServer,
  probes: Probe[],
): Promise<string[]> {
  const differences: string[] = [];
  for (const probe of probes) {
    const a = comparable(probe, await answer(ours, probe));
    const b = comparable(probe, await answer(reference, probe));
    if (a.status >= 400) {
      a.body = b.body = null;
    }
    if (!isDeepStrictEqual(a, b)) {
      differences.push(
        `${probe.name}: ours ${JSON.stringify(a).slice(0, 300)} vs reference ${JSON.stringify(b).slice(0, 300)}`,
      );
    }
  }
  return differences;
}

/**
 * Ours and the peer, asked the same thing (the peer at its own path): status, Link, cache-control and the body must
 * be the same bytes. Both servers must write links with the same origin.
 */
export async function compareExactly(
  ours: RunningServer,
  peer: RunningServer,
  probes: Probe[],
  peerPath: (path: string) => string,
): Promise<string[]> {
  const differences: string[] = [];
  const exact = async (server: RunningServer, probe: Probe) => {
    const response = await send(server.baseUrl, probe);
    return { head: answerHead(response), body: Buffer.from(await response.arrayBuffer()) };
  };
  for (const probe of probes) {
    const a = await exact(ours, probe);
    const b = await exact(peer, { ...probe, path: peerPath(probe.path) });
    if (a.head !== b.head || !a.body.equals(b.body)) {
      const show = (answer: typeof a) => JSON.stringify(answer.head + answer.body.toString('utf8').slice(0, 300));
      differences.push(`${probe.method} ${probe.path}: ours ${show(a)} vs peer ${show(b)}`);
    }
  }
  return differences;
}
