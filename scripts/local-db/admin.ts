// Admin routes for tests and tools: GET/DELETE /_stats (round-trip counter), PUT/DELETE /_faults (reply delay),
// GET /_info (what the endpoint serves, so a launcher never mistakes another folder's endpoint for its own).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestError } from './protocol.ts';
import type { RoundTripCounter } from './stats.ts';

export interface Faults {
  delayMs: number;
}

export const ADMIN_PATHS = new Set(['/_stats', '/_faults', '/_info']);

export interface AdminState {
  counter: RoundTripCounter;
  faults: Faults;
  /** "PGlite in /abs/folder", "PostgreSQL at host:5432/db" (never a password). */
  identity: string;
}

type ReadBody = (request: IncomingMessage) => Promise<string>;
type SendJson = (response: ServerResponse, status: number, body: unknown) => void;

function parseFaults(text: string): Faults {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new RequestError(400, 'Request body is not valid JSON');
  }
  const delayMs = (json as { delayMs?: unknown } | null)?.delayMs;
  if (typeof delayMs !== 'number' || !Number.isFinite(delayMs) || delayMs < 0 || delayMs > 600_000) {
    throw new RequestError(400, '"delayMs" must be a number of milliseconds between 0 and 600000');
  }
  return { delayMs };
}

function isLoopback(request: IncomingMessage): boolean {
  const address = request.socket.remoteAddress ?? '';
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

function methodNotAllowed(
  response: ServerResponse,
  path: string,
  method: string | undefined,
  allowed: string[],
): never {
  response.setHeader('allow', allowed.join(', '));
  throw new RequestError(405, `Method ${method} is not allowed on ${path}; use ${allowed.join(' or ')}`);
}

export async function handleAdmin(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  state: AdminState,
  { readBody, sendJson }: { readBody: ReadBody; sendJson: SendJson },
): Promise<void> {
  // Even when the endpoint is bound to another interface, nobody else may reset counters or slow it down.
  if (!isLoopback(request)) throw new RequestError(403, 'Admin routes answer loopback clients only');
  if (url.pathname === '/_info') {
    if (request.method !== 'GET') methodNotAllowed(response, url.pathname, request.method, ['GET']);
    sendJson(response, 200, { database: state.identity });
    return;
  }
  if (url.pathname === '/_stats') {
    if (request.method === 'GET') {
      const tag = url.searchParams.get('tag');
      sendJson(response, 200, tag === null ? state.counter.snapshot() : { queries: state.counter.count(tag) });
    } else if (request.method === 'DELETE') {
      state.counter.reset();
      sendJson(response, 200, state.counter.snapshot());
    } else {
      methodNotAllowed(response, url.pathname, request.method, ['GET', 'DELETE']);
    }
    return;
  }
  if (request.method === 'PUT') {
    state.faults = parseFaults(await readBody(request));
  } else if (request.method === 'DELETE') {
    state.faults = { delayMs: 0 };
  } else {
    methodNotAllowed(response, url.pathname, request.method, ['PUT', 'DELETE']);
  }
  sendJson(response, 200, state.faults);
}
