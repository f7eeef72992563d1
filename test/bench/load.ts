// The load generator, in its own process (forked by run.ts) so that it never shares an event loop with
// a server under test. Takes jobs over IPC, drives them with autocannon, and answers with exact latencies.
import autocannon, { type RequestSpec } from 'autocannon';

export interface LoadJob {
  baseUrl: string;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  /** Each request asks for another user: path `{id}` becomes 1..idRange in turn. */
  idRange?: number;
  /** Each POST creates a user with an email made distinct by this prefix and a counter. */
  emailPrefix?: string;
  connections: number;
  durationSeconds: number;
}

export interface LoadResult {
  requests: number;
  durationSeconds: number;
  rps: number;
  /** Milliseconds, from every response (autocannon's own histogram rounds to whole milliseconds). */
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
}

function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

async function drive(job: LoadJob): Promise<LoadResult> {
  let counter = 0;
  const request: RequestSpec = { method: job.method, path: job.path, headers: job.headers };
  if (job.idRange) {
    const range = job.idRange;
    request.setupRequest = (req) => ({ ...req, path: job.path.replace('{id}', String((counter++ % range) + 1)) });
  }
  if (job.emailPrefix) {
    const prefix = job.emailPrefix;
    request.setupRequest = (req) => ({
      ...req,
      headers: { ...req.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Bench User', email: `${prefix}-${counter++}@bench.example` }),
    });
  }
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  const statuses: Record<string, number> = {};
  const instance = autocannon({
    url: job.baseUrl,
    connections: job.connections,
    duration: job.durationSeconds,
    requests: [request],
    timeout: 10,
  });
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (count === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[count++] = responseTime;
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  });
  const result = await instance;
  const sorted = latencies.slice(0, count).sort();
  const sum = sorted.reduce((total, value) => total + value, 0);
  return {
    requests: count,
    durationSeconds: result.duration,
    rps: count / result.duration,
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    mean: count ? sum / count : Number.NaN,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

process.on('message', (job: LoadJob) => {
  drive(job).then(
    (result) => process.send!({ result }),
    (error: unknown) => process.send!({ error: String((error as Error).stack ?? error) }),
  );
});
