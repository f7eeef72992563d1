// Node.js server start: validates the settings once and stops the process with one clear message, answers
// the requests Next.js's server cannot take before they reach it, bounds the wait for a request's body, and stamps
// each request with the address of the socket it came from.
import { createHmac, hkdfSync } from 'node:crypto';
import { Server, type IncomingMessage, type ServerResponse } from 'node:http';
import { KEY_USES } from './auth/keys.ts';
import { env } from './env.ts';
import { SOCKET_ADDRESS_HEADER, socketAddressMessage } from './http/client-address.ts';
import { Problem } from './http/problem.ts';

export function checkSettingsOrExit(): void {
  try {
    env();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}

const ALLOW = 'GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE';

/** A problem Next.js would turn into a bare 500 (its Web `Request` cannot carry these), or undefined. */
function refusal({ method, url }: IncomingMessage): Problem | undefined {
  // Forbidden methods in the Fetch standard: `new Request()` throws on them.
  if (method === 'TRACE' || method === 'TRACK' || method === 'CONNECT') {
    return new Problem('method_not_allowed', {
      detail: `The ${method} method is not supported.`,
      headers: { allow: ALLOW },
    });
  }
  // `OPTIONS *` (asterisk-form) names no resource of this server.
  if (!url?.startsWith('/')) return new Problem('invalid_path', { detail: 'The request target must be a path.' });
  return undefined;
}

/**
 * How long the server waits for a request's body once its headers are in. Every body this app reads is small
 * (16 KiB for the API, a form for a Server Action), so a client still sending after this is lying about its
 * Content-Length or holding the connection open on purpose.
 */
export const BODY_TIMEOUT_MS = 5_000;

function hasBody({ headers }: IncomingMessage): boolean {
  const length = headers['content-length'];
  return (length !== undefined && Number(length) !== 0) || headers['transfer-encoding'] !== undefined;
}

function sendProblem(res: ServerResponse, problem: Problem, headers: Record<string, string> = {}, done?: () => void) {
  const body = JSON.stringify(problem);
  res.writeHead(problem.status, {
    'content-type': 'application/problem+json',
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
    ...problem.headers,
    ...headers,
  });
  res.end(body, done);
}

/**
 * Next.js reads a request's whole body before the middleware runs; a client that declares 1 GB and sends 20 bytes
 * would hold the request (and a socket) until it gave up. If the body has not all arrived within `timeoutMs`, and
 * nothing has been answered yet, this answers 408 and closes the connection, which ends the reading too.
 */
export function boundBodyWait(req: IncomingMessage, res: ServerResponse, timeoutMs: number): void {
  if (!hasBody(req)) return;
  const timer = setTimeout(() => {
    if (req.complete || res.headersSent) return;
    const seconds = timeoutMs / 1000;
    const problem = new Problem('request_timeout', {
      detail: `The request body did not arrive within ${seconds} second${seconds === 1 ? '' : 's'}.`,
    });
    sendProblem(res, problem, { connection: 'close' }, () => req.socket.destroy());
  }, timeoutMs);
  timer.unref();
  const done = () => clearTimeout(timer);
  req.once('end', done);
  res.once('close', done);
}

let socketAddressKey: Buffer | undefined;

/**
 * Replaces whatever a client sent as SOCKET_ADDRESS_HEADER with the socket's own address and its MAC (the key
 * src/auth/keys.ts derives for it, here with Node's crypto: the request cannot wait for WebCrypto's promise), which
 * src/http/client-address.ts checks. No socket address (a destroyed socket), no header.
 */
export function stampSocketAddress(req: IncomingMessage): void {
  delete req.headers[SOCKET_ADDRESS_HEADER];
  const address = req.socket.remoteAddress;
  if (!address) return;
  socketAddressKey ??= Buffer.from(hkdfSync('sha256', env().JWT_SECRET, '', KEY_USES.socketAddress, 32));
  const mac = createHmac('sha256', socketAddressKey).update(socketAddressMessage(address)).digest('base64url');
  req.headers[SOCKET_ADDRESS_HEADER] = `${address} ${mac}`;
}

let installed = false;

/**
 * TRACE and `OPTIONS *` reach Next.js's server before any app code, middleware included, and it answers them
 * with a 500 and a stack trace in the log. This answers them first, as the 405 and 400 problems they are, in
 * the one place this app sees the raw request: its Node.js server (`next start`, the standalone server, the
 * container). On Vercel and behind other proxies the platform answers them before they arrive. Every other
 * request gets its body wait bounded and its socket address stamped.
 */
export function refuseUnservableRequests(): void {
  if (installed) return;
  installed = true;
  const emit = Server.prototype.emit;
  Server.prototype.emit = function (this: Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'request') {
      const [req, res] = args as [IncomingMessage, ServerResponse];
      const problem = refusal(req);
      if (problem) {
        sendProblem(res, problem);
        return true;
      }
      boundBodyWait(req, res, BODY_TIMEOUT_MS);
      stampSocketAddress(req);
    }
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  } as typeof emit;
}
