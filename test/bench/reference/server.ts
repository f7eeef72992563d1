// Serves the reference app (./app.ts) from a plain Node `http` server, converting to and from Web
// Request/Response as any fetch-style handler on Node does. Settings come from the same variables as ours.
import { createServer, type IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { createReference } from './app.ts';

const port = Number(process.env.PORT ?? 3100);
const host = process.env.HOSTNAME ?? '127.0.0.1';
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('DATABASE_URL is required');

const serve = createReference({
  databaseUrl,
  fetchEndpoint: process.env.NEON_FETCH_ENDPOINT,
  timeoutMs: Number(process.env.DATABASE_TIMEOUT_MS ?? 5_000),
});

function toRequest(message: IncomingMessage): Request {
  const headers = new Headers();
  for (let i = 0; i < message.rawHeaders.length; i += 2)
    headers.append(message.rawHeaders[i]!, message.rawHeaders[i + 1]!);
  const hasBody = message.method !== 'GET' && message.method !== 'HEAD';
  return new Request(`http://${message.headers.host ?? `${host}:${port}`}${message.url ?? '/'}`, {
    method: message.method,
    headers,
    body: hasBody ? (Readable.toWeb(message) as ReadableStream<Uint8Array>) : undefined,
    // @ts-expect-error Node's fetch needs `duplex` for a streamed body; the DOM typings lack it.
    duplex: hasBody ? 'half' : undefined,
  });
}

const server = createServer(async (message, reply) => {
  try {
    const response = await serve(toRequest(message));
    const body = Buffer.from(await response.arrayBuffer());
    reply.writeHead(response.status, { ...Object.fromEntries(response.headers), 'content-length': body.byteLength });
    reply.end(body);
  } catch (error) {
    console.error('reference: unhandled error', error);
    if (!reply.headersSent) reply.writeHead(500, { 'content-type': 'application/problem+json' });
    reply.end('{"type":"about:blank","title":"Internal Server Error","status":500}');
  }
});

server.keepAliveTimeout = 65_000;
server.listen(port, host, () => console.log(`reference: listening on http://${host}:${port}`));
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
