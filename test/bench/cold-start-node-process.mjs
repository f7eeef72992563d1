// One cold start of a Node.js function from the Vercel output, in a process of its own and in plain Node.js (no
// TypeScript loader, as Vercel runs it): set-up (loading Vercel's launcher, Next's server), the first signed-in
// request and warm requests, over HTTP on loopback with Node's own client. Prints one JSON line, as
// cold-start-process.ts does for an edge function. Arguments: <handler> <method> <path>; settings and BENCH_TOKEN
// in the environment; the function's folder is the working directory.
import { createHash } from 'node:crypto';
import { createServer, request } from 'node:http';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const [handlerPath, method, path] = process.argv.slice(2);
const warmRequests = Number(process.env.BENCH_WARM_REQUESTS ?? 20);

const started = performance.now();
const handler = createRequire(import.meta.url)(handlerPath);
const server = createServer(handler);
await new Promise((listening) => server.listen(0, '127.0.0.1', listening));
const setupMs = performance.now() - started;
const { port } = server.address();

/** One request; resolves to its time and a hash of what a client sees (status, Link, cache-control, body). */
function send() {
  const sent = performance.now();
  return new Promise((done, failed) => {
    const headers = {
      authorization: `Bearer ${process.env.BENCH_TOKEN}`,
      // What Vercel's router sets; the app trusts them there.
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'edge-users-api.example',
    };
    request({ host: '127.0.0.1', port, method, path, headers }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('error', failed);
      response.on('end', () => {
        const ms = performance.now() - sent;
        if (response.statusCode !== 200) return failed(new Error(`${method} ${path} answered ${response.statusCode}`));
        const answer = createHash('sha256')
          .update(`200\n${response.headers.link ?? null}\n${response.headers['cache-control'] ?? null}\n`)
          .update(Buffer.concat(chunks))
          .digest('hex');
        done({ ms, answer });
      });
    })
      .on('error', failed)
      .end();
  });
}

const first = await send();
const warm = [];
for (let i = 0; i < warmRequests; i++) warm.push((await send()).ms);
warm.sort((a, b) => a - b);
console.log(
  JSON.stringify({ setupMs, firstMs: first.ms, warmMs: warm[Math.floor(warm.length / 2)], answer: first.answer }),
);
server.close();
process.exit(0);
