// A raw HTTP client for the proof suite: node:http rather than fetch, so a test can send any method,
// duplicate headers, any bytes and any Content-Type, and read what the server really answered.
import { Agent, request } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { baseUrl } from '../over-http/http.ts';

export interface RawRequest {
  method: string;
  /** Path and query, sent as is (no normalisation). */
  path: string;
  /** Name/value pairs; a name may repeat. */
  headers?: [string, string][];
  body?: string | Buffer;
  timeoutMs?: number;
  /** Another server than the suite's own (e.g. the platform-configured one). */
  base?: string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  ms: number;
}

/**
 * Keep-alive sockets, a few more than the suite ever has in flight. The server closes a connection idle for 5 s
 * (Node.js's keepAliveTimeout, advertised as `Keep-Alive: timeout=5`), and a request sent on a socket at the moment
 * the server closes it dies with "socket hang up", unanswered. node:http's agent keeps idle sockets without a limit
 * (it reads the server's hint only to shorten a timeout of its own), so it closes them itself after 4 s.
 */
export const agent = new Agent({ keepAlive: true, maxSockets: 64, timeout: 4_000 });

/** The body as sent before compression (a request may ask for gzip or br). */
function decode(bytes: Buffer, encoding: string | undefined): Buffer {
  if (!bytes.length) return bytes;
  if (encoding === 'gzip') return gunzipSync(bytes);
  if (encoding === 'br') return brotliDecompressSync(bytes);
  if (encoding === 'deflate') return inflateSync(bytes);
  return bytes;
}

/** Sends one request; rejects only when no answer arrives (connection refused, reset before a reply, timeout). */
export function send({
  method,
  path,
  headers = [],
  body,
  timeoutMs = 10_000,
  base = baseUrl,
}: RawRequest): Promise<RawResponse> {
  const url = new URL(base);
  const started = performance.now();
  // With headers as a list, node:http adds no Host of its own.
  const flat = headers.some(([name]) => name.toLowerCase() === 'host')
    ? headers.flat()
    : ['host', url.host, ...headers.flat()];
  const bytes = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  const framed = headers.some(([name]) => ['content-length', 'transfer-encoding'].includes(name.toLowerCase()));
  if (bytes && !framed) flat.push('content-length', String(bytes.length));
  return new Promise((resolve, reject) => {
    let settled = false;
    const req = request(
      { host: url.hostname, port: url.port, method, path, headers: flat, agent, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          settled = true;
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: decode(Buffer.concat(chunks), res.headers['content-encoding']).toString('utf8'),
            ms: performance.now() - started,
          });
        });
        res.on('error', (error) => {
          if (!settled) reject(error);
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer to ${method} ${path} within ${timeoutMs} ms`)));
    // A server may answer (e.g. 413) and close before it has read the whole body: the reply still counts.
    req.on('error', (error) => {
      if (!settled) reject(error);
    });
    req.end(bytes);
  });
}

export const header = (response: RawResponse, name: string): string | undefined => {
  const value = response.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
};

export const bearer = (token: string): [string, string] => ['authorization', `Bearer ${token}`];
export const jsonType: [string, string] = ['content-type', 'application/json'];

/** JSON request shorthand. */
export function sendJson(
  method: string,
  path: string,
  json: unknown,
  headers: [string, string][] = [],
): Promise<RawResponse> {
  return send({ method, path, headers: [jsonType, ...headers], body: JSON.stringify(json) });
}

/** Runs `work` over `items` with at most `limit` in flight, results in input order. */
export async function inParallel<Item, Result>(
  items: Item[],
  limit: number,
  work: (item: Item, index: number) => Promise<Result>,
): Promise<Result[]> {
  const results = new Array<Result>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  });
  await Promise.all(lanes);
  return results;
}
