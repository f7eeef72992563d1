// Builds Web Requests for route handlers, as curl or a browser would send them.
export const ORIGIN = 'http://localhost:3000';

interface RequestOptions {
  body?: unknown;
  rawBody?: BodyInit;
  headers?: Record<string, string>;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
}

export function request(
  method: string,
  path: string,
  { body, rawBody, headers = {}, token }: RequestOptions = {},
): Request {
  const all = new Headers(headers);
  if (token) all.set('authorization', `Bearer ${token}`);
  let payload: BodyInit | undefined = rawBody;
  if (body !== undefined) {
    payload = JSON.stringify(body);
    if (!all.has('content-type')) all.set('content-type', 'application/json');
  }
  return new Request(new URL(path, ORIGIN), { method, headers: all, body: payload });
}

/** The second argument Next.js passes to a dynamic route's handler. */
export function routeParams<Params extends Record<string, string>>(params: Params) {
  return { params: Promise.resolve(params) };
}

/** The params of a route under `[id]`. */
export const idParams = (id: number | string) => routeParams({ id: String(id) });

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${crypto.randomUUID()}@example.com`;
}
