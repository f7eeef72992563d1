// Builds Web Requests for route handlers, as curl or a browser would send them.
export const ORIGIN = 'http://localhost:3000';

interface RequestOptions {
  body?: unknown;
  rawBody?: BodyInit;
  headers?: Record<string, string>;
}

export function request(method: string, path: string, { body, rawBody, headers = {} }: RequestOptions = {}): Request {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { 'content-type': 'application/json', ...headers };
  } else if (rawBody !== undefined) {
    init.body = rawBody;
  }
  return new Request(new URL(path, ORIGIN), init);
}

/** The second argument Next.js passes to a dynamic route's handler. */
export function routeParams<Params extends Record<string, string>>(params: Params) {
  return { params: Promise.resolve(params) };
}

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${crypto.randomUUID()}@example.com`;
}
