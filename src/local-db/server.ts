// The local Neon-compatible endpoint: HTTP routing for /sql and the admin routes /_stats and /_faults.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMIN_PATHS, handleAdmin, type AdminState } from './admin.ts';
import { executeRequest } from './execute.ts';
import { applyMigrations } from './migrations.ts';
import { MEMORY, openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';
import { errorReply, parseSqlRequest, RequestError } from './protocol.ts';
import type { Backend } from './session.ts';
import { RoundTripCounter } from './stats.ts';

export interface LocalDbOptions {
  /** Interface to listen on; loopback by default so the unauthenticated endpoint stays private. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** PGlite data folder, or 'memory:' for a throwaway in-memory database. Default `.data/pglite`. */
  dataDir?: string;
  /** Use this PostgreSQL server instead of PGlite. */
  postgresUrl?: string;
  /** Default `prisma/migrations`. */
  migrationsDir?: string;
  quiet?: boolean;
}

export interface LocalDb {
  /** http://HOST:PORT/sql — what `neonConfig.fetchEndpoint` should be set to. */
  endpoint: string;
  port: number;
  /** A connection string whose database name is the round-trip counter's tag (default "local"). */
  connectionString(tag?: string): string;
  stats(tag?: string): number;
  resetStats(): void;
  close(): Promise<void>;
}

export const DEFAULT_DATA_DIR = '.data/pglite';
export const DEFAULT_MIGRATIONS_DIR = 'prisma/migrations';
/** Far above any real query, low enough that a runaway client cannot exhaust memory. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** A start failure the CLI prints as one line (taken port, unusable folder, failed migration). */
export class StartError extends Error {
  constructor(
    message: string,
    readonly reason: 'port-in-use' | 'other' = 'other',
  ) {
    super(message);
    this.name = 'StartError';
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/**
 * Reads the whole body, refusing more than MAX_BODY_BYTES. An oversized body is still drained (not
 * kept) rather than the socket destroyed, so the client reliably receives the 413.
 */
function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const tooLarge = () => new RequestError(413, `Request body is larger than ${MAX_BODY_BYTES} bytes`);
    if (Number(request.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
      request.resume();
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else chunks.length = 0;
    });
    request.on('end', () =>
      size > MAX_BODY_BYTES ? reject(tooLarge()) : resolve(Buffer.concat(chunks).toString('utf8')),
    );
    request.on('error', reject);
  });
}

function listen(server: ReturnType<typeof createServer>, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE')
        reject(new StartError(`Port ${port} on ${host} is already in use`, 'port-in-use'));
      else reject(new StartError(`Cannot listen on ${host}:${port}: ${error.message}`));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** Opens the database and brings its schema up to date; nothing stays open if either fails. */
async function prepareBackend(options: LocalDbOptions, log: (line: string) => void): Promise<Backend> {
  let backend: Backend | undefined;
  try {
    backend = options.postgresUrl
      ? await openPostgres(options.postgresUrl)
      : await openPglite(options.dataDir ?? DEFAULT_DATA_DIR);
    const report = await applyMigrations(backend, options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);
    for (const warning of report.warnings) console.warn(`local-db: warning: ${warning}`);
    if (report.applied.length) log(`local-db: applied migrations ${report.applied.join(', ')}`);
    return backend;
  } catch (error) {
    await backend?.close().catch(() => undefined);
    throw new StartError((error as Error).message);
  }
}

export async function startLocalDb(options: LocalDbOptions = {}): Promise<LocalDb> {
  const host = options.host ?? '127.0.0.1';
  const authority = host.includes(':') ? `[${host}]` : host;
  const admin: AdminState = { counter: new RoundTripCounter(), faults: { delayMs: 0 } };
  const log = options.quiet ? () => undefined : (line: string) => console.error(line);
  /** Set once migrations are done; /sql answers 503 until then. */
  let serving: Backend | undefined = undefined;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://local');
    if (ADMIN_PATHS.has(url.pathname)) return handleAdmin(request, response, url, admin, { readBody, sendJson });
    if (url.pathname !== '/sql') throw new RequestError(404, `No route ${url.pathname}; the endpoint serves POST /sql`);
    if (request.method !== 'POST') {
      response.setHeader('allow', 'POST');
      throw new RequestError(405, `Method ${request.method} is not allowed on /sql; use POST`);
    }
    const database = serving;
    if (!database) throw new RequestError(503, 'The local database is still starting');
    const sqlRequest = parseSqlRequest(request.headers, await readBody(request));
    admin.counter.record(sqlRequest.tag);
    const { delayMs } = admin.faults;
    let reply: { status: number; body: unknown };
    try {
      reply = { status: 200, body: await database.withSession((client) => executeRequest(client, sqlRequest)) };
    } catch (error) {
      reply = errorReply(error);
    }
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    sendJson(response, reply.status, reply.body);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const { status, body } = errorReply(error);
      if (!response.headersSent) sendJson(response, status, body);
      else response.destroy();
    });
  });

  // The port is claimed before the data folder is opened: a second endpoint on the same port must
  // fail without ever touching the folder the first one is using.
  const port = await listen(server, options.port ?? 0, host);
  let backend: Backend;
  try {
    backend = await prepareBackend(options, log);
  } catch (error) {
    await new Promise((resolve) => server.close(resolve));
    throw error;
  }
  serving = backend;

  const origin = `http://${authority}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    endpoint: `${origin}/sql`,
    port,
    connectionString: (tag = 'local') => `postgresql://local:local@${authority}:${port}/${encodeURIComponent(tag)}`,
    stats: (tag) => admin.counter.count(tag),
    resetStats: () => admin.counter.reset(),
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Keep-alive sockets would hold close() open forever; requests in flight still finish first.
          server.closeIdleConnections();
        });
        await backend.close();
      })();
      return closing;
    },
  };
}

export { MEMORY };
