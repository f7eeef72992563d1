// One cold start, in a process of its own: loads one edge function from the Vercel output into a fresh
// @edge-runtime/vm and times set-up, the first request and warm requests. Prints one JSON line.
// Arguments: <project folder> <function> <method> <path>; settings and BENCH_TOKEN in the environment.
// With BENCH_CPU_PROFILES=<folder>, writes a CPU profile of each phase there (test/bench/cold-start-profile.ts).
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadEdgeFunction, vercelFunction } from '@/scripts/vercel-functions.ts';
import { answerHead } from './peer-copy.ts';

const [project, name, method, path] = process.argv.slice(2) as [string, string, string, string];
const warmRequests = Number(process.env.BENCH_WARM_REQUESTS ?? 20);
const env = {
  DATABASE_URL: process.env.DATABASE_URL!,
  NEON_FETCH_ENDPOINT: process.env.NEON_FETCH_ENDPOINT!,
  JWT_SECRET: process.env.JWT_SECRET!,
  // Production requires it (on Vercel it is derived from the system variables, which this host does not set).
  PUBLIC_ORIGIN: 'https://edge-users-api.example',
};
const fn = vercelFunction(project, name);
const profiles = process.env.BENCH_CPU_PROFILES;
const inspector = profiles ? new Session() : undefined;
if (inspector) {
  inspector.connect();
  await inspector.post('Profiler.enable');
  await inspector.post('Profiler.setSamplingInterval', { interval: 100 });
}

/** Runs one phase, under the CPU profiler when asked to. */
async function phase<T>(label: string, run: () => Promise<T>): Promise<T> {
  if (!inspector) return run();
  await inspector.post('Profiler.start');
  const result = await run();
  const { profile } = await inspector.post('Profiler.stop');
  writeFileSync(join(profiles!, `${label}.cpuprofile`), JSON.stringify(profile));
  return result;
}

/** What a client sees of an answer (status, Link, cache-control, body), hashed: a peer's must equal ours. */
let answer = '';

async function send(handler: (request: Request) => Promise<Response>, signedIn = true): Promise<number> {
  const started = performance.now();
  const headers: Record<string, string> = signedIn ? { authorization: `Bearer ${process.env.BENCH_TOKEN}` } : {};
  const response = await handler(new Request(new URL(path, 'https://edge-users-api.example'), { method, headers }));
  const body = new Uint8Array(await response.arrayBuffer());
  const elapsed = performance.now() - started;
  const expected = signedIn ? 200 : 401;
  if (response.status !== expected) throw new Error(`${method} ${path} answered ${response.status}, not ${expected}`);
  answer ||= createHash('sha256').update(answerHead(response)).update(body).digest('hex');
  return elapsed;
}

const { handler, setupMs } = await phase('setup', () => loadEdgeFunction(fn, project, env));
// With BENCH_REFUSED_FIRST=1 a request without a token (refused before any key or database work) goes first,
// so the signed-in request after it shows what the key import and Prisma's first use cost on their own.
const refusedMs =
  process.env.BENCH_REFUSED_FIRST === '1' ? await phase('refused', () => send(handler, false)) : undefined;
answer = '';
const firstMs = await phase('first', () => send(handler));
const firstAnswer = answer;
const warm: number[] = [];
for (let i = 0; i < warmRequests; i++) warm.push(await phase('warm', () => send(handler)));
warm.sort((a, b) => a - b);
console.log(
  JSON.stringify({ setupMs, refusedMs, firstMs, warmMs: warm[Math.floor(warm.length / 2)], answer: firstAnswer }),
);
