// Who may call each route: the one declaration. The middleware's public paths (public-paths.ts), the route
// wrappers' checks, the OpenAPI document's `security` and error responses, and the access tests all read it.
// Plain data, no imports: the middleware carries it whole.

/**
 * - `public`: anyone, no token.
 * - `signed-in`: a valid access token.
 * - `owner-or-admin`: signed in, and the route's `[id]` is the caller's own user id, or the caller is an admin.
 * - `admin`: signed in with the admin role.
 *
 * The token decides these early, before any database round trip; every write is authorised again by the database
 * in its own statement (src/users/queries.ts), from the caller's current row and session.
 */
export type Access = 'public' | 'signed-in' | 'owner-or-admin' | 'admin';

export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type Method = (typeof METHODS)[number];

/** Every API route (its folder under app/, `[id]` as Next.js names it) and the access of each method it serves. */
export const API_ROUTES = {
  '/api/hello': { GET: 'public' },
  '/api/health': { GET: 'public' },
  '/api/live': { GET: 'public' },
  '/api/openapi.json': { GET: 'public' },
  '/api/auth/login': { POST: 'public' },
  '/api/auth/register': { POST: 'public' },
  '/api/auth/refresh': { POST: 'public' },
  // Public: the one-time link is the credential.
  '/api/auth/invitation': { POST: 'public' },
  // Public: for whoever cannot sign in. It answers the same whether or not the email has an account.
  '/api/auth/password-reset': { POST: 'public' },
  // Public, so that an expired session can still sign out; it names its session by the tokens it carries.
  '/api/auth/logout': { POST: 'public' },
  '/api/auth/me': { GET: 'signed-in' },
  '/api/auth/password': { POST: 'signed-in' },
  '/api/auth/sessions': { GET: 'signed-in', DELETE: 'signed-in' },
  '/api/auth/sessions/[id]': { DELETE: 'signed-in' },
  '/api/users': { GET: 'signed-in', POST: 'admin' },
  '/api/users/[id]': { GET: 'signed-in', PATCH: 'owner-or-admin', DELETE: 'owner-or-admin' },
  '/api/users/[id]/invitation': { POST: 'admin' },
  // Public to the middleware and the token checks: the cron secret is the credential (src/maintenance/cron.ts).
  '/api/cron/prune': { GET: 'public' },
  // Any other /api path: a 404 problem, to anyone. Refusing strangers with 401 instead would hide only the route
  // table, which GET /api/openapi.json publishes; and a 401 for a typo sends a client to look for a token.
  '/api/[[...path]]': { GET: 'public', POST: 'public', PUT: 'public', PATCH: 'public', DELETE: 'public' },
} as const satisfies Record<string, Partial<Record<Method, Access>>>;

/**
 * Pages anyone may see; every other page sends a signed-out visitor to /login. The development mailbox and its
 * receiver (which the app's own edge functions post to) answer 404 outside development.
 */
export const PUBLIC_PAGES = [
  '/login',
  '/signup',
  '/forgot',
  '/invite/[token]',
  '/docs',
  '/dev/mailbox',
  '/dev/mailbox/emails',
] as const;

export type ApiPath = keyof typeof API_ROUTES;
export type DeclaredMethod<Path extends ApiPath> = keyof (typeof API_ROUTES)[Path] & Method;
export type AccessOf<Path extends ApiPath, M extends DeclaredMethod<Path>> = (typeof API_ROUTES)[Path][M];

export function accessOf(path: ApiPath, method: Method): Access | undefined {
  return (API_ROUTES[path] as Partial<Record<Method, Access>>)[method];
}

/** The methods a route serves, as its declaration lists them. */
export function declaredMethods(path: ApiPath): Method[] {
  return METHODS.filter((method) => accessOf(path, method) !== undefined);
}
