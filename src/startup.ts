// Node.js server start: validates the settings once and stops the process with one clear message, and answers
// the requests Next.js's server cannot take before they reach it.
import { Server, type IncomingMessage, type ServerResponse } from 'node:http';
import { env } from './env.ts';
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

let installed = false;

/**
 * TRACE and `OPTIONS *` reach Next.js's server before any app code, middleware included, and it answers them
 * with a 500 and a stack trace in the log. This answers them first, as the 405 and 400 problems they are, in
 * the one place this app sees the raw request: its Node.js server (`next start`, the standalone server, the
 * container). On Vercel and behind other proxies the platform answers them before they arrive.
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
        res.writeHead(problem.status, {
          'content-type': 'application/problem+json',
          'cache-control': 'no-store',
          ...problem.headers,
        });
        res.end(JSON.stringify(problem));
        return true;
      }
    }
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  } as typeof emit;
}
