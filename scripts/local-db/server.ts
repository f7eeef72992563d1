// The local Neon-compatible endpoint: HTTP routing for /sql and the admin routes /_stats, /_faults and /_info.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ADMIN_PATHS, handleAdmin, type AdminState } from './admin.ts';
import {
  connectionStringFor,
  dataFolderPassword,
  ephemeralPassword,
  localCredentials,
  postgresPassword,
  samePassword,
  type Credentials,
} from './credentials.ts';
import { executeRequest } from './execute.ts';
import { applyMigrations } from './migrations.ts';
import { MEMORY, openPglite, openPgliteDatabase } from './pglite.ts';
import { openPostgres } from './postgres.ts';
import {
  batchReplyHeaders,
  errorReply,
  neonRefusal,
  parseBody,
  parseConnectionString,
  parseRequestHeaders,
  RequestError,
  type ConnectionInfo,
} from './protocol.ts';
import { RequestAborted, type Backend } from './backend.ts';
import { RoundTripCounter } from './stats.ts';
import { serveWire, type WireServer } from './wire.ts';

export interface LocalDbOptions {
  /** Interface to listen on; loopback by default, so only this machine can try the password. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** PGlite data folder, or 'memory:' for a throwaway in-memory database. Default `.data/pglite`. */
  dataDir?: string;
  /** Use this PostgreSQL server instead of PGlite. */
  postgresUrl?: string;
  /** Default `prisma/migrations`. */
  migrationsDir?: string;
  /** False: start on the database as it is, pending migrations not applied (a fresh Neon branch). Default true. */
  migrate?: boolean;
  /**
   * Also serve the database over PostgreSQL's wire protocol (`unpooledUrl`, a direct connection as Neon's
   * DATABASE_URL_UNPOOLED): for PGlite on this port (0 picks a free one); a PostgreSQL server is its own.
   */
  wirePort?: number;
  /** The password clients must give; by default the data folder's own (see credentials.ts). */
  password?: string;
  /** What GET /_info says this endpoint serves; by default its target (see targetIdentity). */
  identity?: string;
  /** Simulated distance: each /sql request takes this much longer, half before it runs and half after. */
  latencyMs?: number;
  quiet?: boolean;
}

export interface LocalDb {
  /** http://HOST:PORT/sql — what `neonConfig.fetchEndpoint` should be set to. */
  endpoint: string;
  port: number;
  credentials: Credentials;
  /** With `wirePort`: the direct connection (PostgreSQL wire protocol) to the same database. */
  unpooledUrl?: string;
  /** The connection string clients use; `tag` (its application_name) groups the round-trip counter. */
  connectionString(tag?: string): string;
  stats(tag?: string): number;
  resetStats(): void;
  /** Changes the simulated distance (LOCAL_DB_LATENCY_MS) from the next request on. */
  setLatency(latencyMs: number): void;
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

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

/** What the endpoint serves, as /_info reports it: a launcher reuses an endpoint only when this matches its own. */
export function targetIdentity(options: Pick<LocalDbOptions, 'dataDir' | 'postgresUrl'>): string {
  if (options.postgresUrl) {
    try {
      const url = new URL(options.postgresUrl);
      return `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`;
    } catch {
      return 'PostgreSQL';
    }
  }
  const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
  // An in-memory database belongs to its process: no other launcher may take it for its own.
  return dataDir === MEMORY ? `PGlite in memory (process ${process.pid})` : `PGlite in ${resolve(dataDir)}`;
}

function passwordFor(options: LocalDbOptions): string {
  if (options.password) return options.password;
  if (options.postgresUrl) return postgresPassword(options.postgresUrl);
  const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
  return dataDir === MEMORY ? ephemeralPassword() : dataFolderPassword(dataDir);
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1']);

/**
 * Refuses what a web page could send. A page on another site sends Origin and Sec-Fetch-Site (and cannot
 * add the Neon-Connection-String header without a CORS preflight, which this endpoint never grants); a page
 * that rebinds its own DNS name to 127.0.0.1 is same-origin but sends its own name in Host.
 */
function refuseBrowsers(request: IncomingMessage, boundHost: string): void {
  if (request.headers.origin !== undefined || request.headers['sec-fetch-site'] !== undefined) {
    throw new RequestError(
      403,
      'The local database endpoint does not answer web pages (Origin or Sec-Fetch-Site sent)',
    );
  }
  let hostname: string;
  try {
    hostname = new URL(`http://${request.headers.host ?? ''}`).hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    hostname = '';
  }
  const loopback = LOOPBACK_NAMES.has(hostname) || (isIP(hostname) === 4 && hostname.startsWith('127.'));
  if (!loopback && !(hostname === boundHost && isIP(hostname))) {
    throw new RequestError(
      421,
      `Host "${request.headers.host ?? ''}" is not this endpoint; use 127.0.0.1 or localhost`,
    );
  }
}

/** JSON, or the text/plain that fetch() gives a string body (which is what Neon's driver sends); never a form. */
function refuseForms(request: IncomingMessage): void {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== '' && type !== 'application/json' && type !== 'text/plain') {
    throw new RequestError(415, `Content-Type ${type} is not accepted; send application/json`);
  }
}

/** Neon's answers to a wrong role or password and to a database that does not exist. */
function authenticate(connection: ConnectionInfo, credentials: Credentials): void {
  if (connection.user !== credentials.user || !samePassword(connection.password, credentials.password)) {
    throw neonRefusal(`password authentication failed for user '${connection.user}'`);
  }
  if (connection.database !== credentials.database) {
    throw neonRefusal(`database "${connection.database}" does not exist`, {
      code: '3D000',
      severity: 'FATAL',
      file: 'postinit.c',
      routine: 'InitPostgres',
    });
  }
}

/**
 * Aborts when the client goes away before its reply is written (a fetch aborted, a socket closed). The
 * socket's end of input is the first sign: Node closes the response only some turns later.
 */
function clientGone(request: IncomingMessage, response: ServerResponse): AbortSignal {
  const controller = new AbortController();
  const { socket } = request;
  const gone = () => {
    if (!response.writableFinished) controller.abort(new RequestAborted());
  };
  socket.once('end', gone);
  socket.once('close', gone);
  response.once('close', () => {
    socket.off('end', gone);
    socket.off('close', gone);
    gone();
  });
  return controller.signal;
}

/**
 * Reads the whole body, refusing more than MAX_BODY_BYTES. An oversized body is still drained (not
 * kept) rather than the socket destroyed, so the client reliably receives the 413.
 */
function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const tooLarge = () => new RequestError(413, `request is too large (max is ${MAX_BODY_BYTES} bytes)`, {});
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

/**
 * PGlite behind the wire protocol: the endpoint reaches it as a PostgreSQL server (as `npm run db:postgres` has it),
 * so the endpoint's transactions and the direct connection's never interleave in PGlite's one session.
 */
async function openPgliteOverWire(
  dataDir: string,
  wirePort: number,
): Promise<{ backend: Backend; unpooledUrl: string }> {
  const database = await openPgliteDatabase(dataDir);
  let wire: WireServer | undefined;
  let backend: Backend | undefined;
  try {
    wire = await serveWire(database, wirePort);
    backend = await openPostgres(wire.internalUrl);
  } catch (error) {
    await wire?.close().catch(() => undefined);
    await database.close().catch(() => undefined);
    throw error;
  }
  const { withConnection, close } = backend;
  const opened = wire;
  return {
    unpooledUrl: opened.publicUrl,
    backend: {
      description: `PGlite (${dataDir === MEMORY ? 'in memory' : resolve(dataDir)})`,
      withConnection,
      async close() {
        await close();
        await opened.close();
        // Closing PGlite flushes it to its folder.
        await database.close();
      },
    },
  };
}

/** Opens the database and brings its schema up to date; nothing stays open if either fails. */
async function prepareBackend(
  options: LocalDbOptions,
  log: (line: string) => void,
): Promise<{ backend: Backend; unpooledUrl?: string }> {
  let opened: { backend: Backend; unpooledUrl?: string } | undefined;
  try {
    if (options.postgresUrl) {
      opened = { backend: await openPostgres(options.postgresUrl) };
      if (options.wirePort !== undefined) opened.unpooledUrl = options.postgresUrl;
    } else if (options.wirePort !== undefined) {
      opened = await openPgliteOverWire(options.dataDir ?? DEFAULT_DATA_DIR, options.wirePort);
    } else {
      opened = { backend: await openPglite(options.dataDir ?? DEFAULT_DATA_DIR) };
    }
    if (options.migrate !== false) {
      const report = await applyMigrations(opened.backend, options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);
      for (const warning of report.warnings) console.warn(`local-db: warning: ${warning}`);
      if (report.applied.length) log(`local-db: applied migrations ${report.applied.join(', ')}`);
    }
    return opened;
  } catch (error) {
    await opened?.backend.close().catch(() => undefined);
    throw new StartError((error as Error).message);
  }
}

export async function startLocalDb(options: LocalDbOptions = {}): Promise<LocalDb> {
  const host = options.host ?? '127.0.0.1';
  const authority = host.includes(':') ? `[${host}]` : host;
  const identity = options.identity ?? targetIdentity(options);
  const admin: AdminState = { counter: new RoundTripCounter(), faults: { delayMs: 0 }, identity };
  let halfLatency = (options.latencyMs ?? 0) / 2;
  let credentials: Credentials | undefined;
  const log = options.quiet ? () => undefined : (line: string) => console.error(line);
  /** Set once migrations are done; /sql answers 503 until then. */
  let serving: Backend | undefined = undefined;

  /**
   * The counter and the fault switch take the same credentials as /sql: any local process could otherwise stall
   * the app (`PUT /_faults {"delayMs":600000}`) or read which clients use the database. /_info stays open: it
   * names what is served, never a password, and is how a launcher recognises its own endpoint.
   */
  function authenticateAdmin(request: IncomingMessage): void {
    if (!credentials) throw new RequestError(503, 'The local database is still starting');
    const header = request.headers['neon-connection-string'];
    try {
      authenticate(parseConnectionString(Array.isArray(header) ? header[0] : header), credentials);
    } catch {
      throw new RequestError(
        401,
        `${new URL(request.url ?? '/', 'http://local').pathname} needs this endpoint's connection string in the Neon-Connection-String header, as /sql does`,
      );
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    refuseBrowsers(request, host);
    const url = new URL(request.url ?? '/', 'http://local');
    if (ADMIN_PATHS.has(url.pathname)) {
      if (url.pathname !== '/_info') authenticateAdmin(request);
      return handleAdmin(request, response, url, admin, { readBody, sendJson });
    }
    if (url.pathname !== '/sql') throw new RequestError(404, `No route ${url.pathname}; the endpoint serves POST /sql`);
    if (request.method !== 'POST') {
      response.setHeader('allow', 'POST');
      throw new RequestError(405, `Method ${request.method} is not allowed on /sql; use POST`);
    }
    refuseForms(request);
    const database = serving;
    if (!database || !credentials) throw new RequestError(503, 'The local database is still starting');
    const { connection, rawTextOutput, arrayMode, batch } = parseRequestHeaders(request.headers);
    authenticate(connection, credentials);
    const sqlRequest = { connection, rawTextOutput, ...parseBody(await readBody(request), arrayMode, batch) };
    admin.counter.record(connection.tag);
    const signal = clientGone(request, response);
    const { delayMs } = admin.faults;
    let reply: { status: number; body: unknown };
    try {
      if (halfLatency > 0) await sleep(halfLatency, undefined, { signal });
      reply = {
        status: 200,
        body: await database.withConnection((client) => executeRequest(client, sqlRequest, signal), signal),
      };
      if (halfLatency > 0) await sleep(halfLatency, undefined, { signal });
    } catch (error) {
      if (signal.aborted) return; // Nobody is listening; a batch was rolled back (execute.ts).
      reply = errorReply(error);
    }
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    const headers = reply.status === 200 && sqlRequest.batch ? batchReplyHeaders(sqlRequest.batch) : {};
    if (!response.destroyed) sendJson(response, reply.status, reply.body, headers);
  }

  let closing: Promise<void> | undefined;
  // While closing, each answer ends its connection: Node's close() waits for a keep-alive socket that was busy
  // when it was called until the socket times out (keepAliveTimeout, below).
  const unanswered = new Set<ServerResponse>();
  const endsItsConnection = (response: ServerResponse) => {
    if (!response.headersSent) response.setHeader('connection', 'close');
  };
  const server = createServer((request, response) => {
    unanswered.add(response);
    response.on('close', () => unanswered.delete(response));
    if (closing) endsItsConnection(response);
    handle(request, response).catch((error: unknown) => {
      const { status, body } = errorReply(error);
      if (!response.headersSent) sendJson(response, status, body);
      else response.destroy();
    });
  });
  // Clients (undici: 4 s) must give up an idle connection before the server does, or one may send a query on a
  // socket the server is closing ("fetch failed"), which Node's 5 s default made happen on a loaded machine.
  server.keepAliveTimeout = 30_000;

  // The port is claimed before the data folder is opened: a second endpoint on the same port must
  // fail without ever touching the folder the first one is using.
  const port = await listen(server, options.port ?? 0, host);
  let backend: Backend;
  let unpooledUrl: string | undefined;
  try {
    ({ backend, unpooledUrl } = await prepareBackend(options, log));
  } catch (error) {
    await new Promise((resolve) => server.close(resolve));
    throw error;
  }
  try {
    credentials = localCredentials(passwordFor(options));
  } catch (error) {
    await backend.close().catch(() => undefined);
    await new Promise((resolve) => server.close(resolve));
    throw new StartError(`Cannot keep the endpoint's password: ${(error as Error).message}`);
  }
  serving = backend;
  const clientCredentials = credentials;

  const origin = `http://${authority}:${port}`;
  return {
    endpoint: `${origin}/sql`,
    port,
    unpooledUrl,
    credentials: clientCredentials,
    connectionString: (tag) => connectionStringFor(`${authority}:${port}`, clientCredentials, tag),
    stats: (tag) => admin.counter.count(tag),
    resetStats: () => admin.counter.reset(),
    setLatency: (latencyMs) => {
      halfLatency = latencyMs / 2;
    },
    close() {
      closing ??= (async () => {
        unanswered.forEach(endsItsConnection);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Idle keep-alive sockets would hold close() open until they time out; requests in flight still
          // finish first, and their answers close their sockets (above).
          server.closeIdleConnections();
        });
        await backend.close();
      })();
      return closing;
    },
  };
}

export { MEMORY };
