// This API's OpenAPI 3.1 description, built once per isolate from the zod schemas that validate requests and the
// declaration of who may call each route (src/http/access.ts): each operation's `security`, and the problems it
// can answer with, code by code, follow from its access, its body and the codes it names.
import { base64url } from 'jose';
import packageJson from '@/package.json';
import { accessOf, API_ROUTES, type Access, type ApiPath, type Method as HttpMethod } from '@/src/http/access.ts';
import { PROBLEM_STATUS, type ProblemCode } from '@/src/http/problem.ts';
import { buildParameters, buildSchemas, headers, problem, ref, securitySchemes } from './components.ts';
import type { OpenApiDocument, Operation, PathItem, Reference, Response, SecurityRequirement } from './types.ts';

const SIGNED_IN: SecurityRequirement[] = [{ bearerAuth: [] }, { cookieAuth: [] }];
const UNSAFE_METHODS = new Set<HttpMethod>(['POST', 'PUT', 'PATCH', 'DELETE']);

/** How /docs and `x-access` word each access level. */
const ACCESS_WORDS: Record<Access, string> = {
  public: 'Public',
  'signed-in': 'Signed in',
  'owner-or-admin': 'Signed in, as that user or an admin',
  admin: 'Signed in, admin role',
};

interface OperationSpec {
  operationId: string;
  summary: string;
  description: string;
  tag: 'users' | 'auth' | 'service';
  parameters?: string[];
  /** Name of the request body's schema under components.schemas. */
  body?: string;
  /** Success responses. */
  responses: Record<number, Response>;
  /** Problem codes this operation answers with, beyond those its access, body and path imply. */
  errors?: ProblemCode[];
  /** Per status, a more precise description of its problems than the general one. */
  errorDescriptions?: Partial<Record<number, string>>;
}

/** Every declared route but the catch-all, which answers 404 problems to whatever path no route serves. */
type DocumentedPath = Exclude<ApiPath, '/api/[[...path]]'>;
type Specs = { [Path in DocumentedPath]: { [M in keyof (typeof API_ROUTES)[Path]]: OperationSpec } };

const json = (schema: object, description: string, responseHeaders: Record<string, Reference> = {}): Response => ({
  description,
  ...(Object.keys(responseHeaders).length ? { headers: responseHeaders } : {}),
  content: { 'application/json': { schema: schema as Record<string, unknown> } },
});

const user = ref('schemas', 'User');
/** What every answer that starts or renews a session carries. */
const SESSION_HEADERS = { 'Set-Cookie': ref('headers', 'SetCookie'), 'Cache-Control': ref('headers', 'CacheControl') };

/** The codes an operation's declaration implies, whatever its handler does. */
function impliedCodes(access: Access, method: HttpMethod, spec: OperationSpec): ProblemCode[] {
  const codes: ProblemCode[] = ['method_not_allowed', 'internal_error'];
  if (spec.body) codes.push('validation_failed', 'malformed_body', 'body_too_large', 'unsupported_media_type');
  if (access !== 'public') {
    codes.push('missing_token', 'invalid_token', 'token_expired', 'identity_provider_unavailable');
    // Every write checks the caller's session in the database; a cookie-authenticated one must come from this origin.
    if (UNSAFE_METHODS.has(method)) codes.push('session_ended', 'cross_origin');
  }
  if (access === 'admin' || access === 'owner-or-admin') codes.push('not_allowed');
  if (access === 'owner-or-admin') codes.push('validation_failed');
  return codes;
}

function operation(path: DocumentedPath, method: HttpMethod, spec: OperationSpec): Operation {
  const access = accessOf(path, method)!;
  const codes = [...new Set([...impliedCodes(access, method, spec), ...(spec.errors ?? [])])];
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of codes) byStatus.set(PROBLEM_STATUS[code], [...(byStatus.get(PROBLEM_STATUS[code]) ?? []), code]);
  const responses: Record<string, Response | Reference> = {};
  for (const [status, response] of Object.entries(spec.responses)) responses[status] = response;
  for (const [status, statusCodes] of byStatus) {
    responses[status] = problem(status, statusCodes, spec.errorDescriptions?.[status]);
  }
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    description: spec.description,
    tags: [spec.tag],
    'x-access': ACCESS_WORDS[access],
    security: access === 'public' ? [] : SIGNED_IN,
    ...(spec.parameters ? { parameters: spec.parameters.map((name) => ref('parameters', name)) } : {}),
    ...(spec.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: ref('schemas', spec.body) } } } }
      : {}),
    responses: Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b))),
  };
}

/** `/api/users/[id]` as OpenAPI writes it: `/api/users/{id}`. */
export const openApiPath = (path: ApiPath) => path.replace(/\[(\w+)\]/g, '{$1}');

const SPECS: Specs = {
  '/api/hello': {
    GET: {
      operationId: 'hello',
      summary: 'A greeting that touches nothing',
      description:
        'No database and no token: answers anyone, to check that the API is reachable and how fast it answers.',
      tag: 'service',
      responses: { 200: json(ref('schemas', 'Hello'), 'The greeting.') },
    },
  },
  '/api/health': {
    GET: {
      operationId: 'health',
      summary: 'Readiness: the database answers and has every migration this deployment carries',
      description:
        'One database round trip. 503 `schema_outdated` when a migration of this deployment is missing from the ' +
        'database (route traffic elsewhere until `npm run migrate` has run); 503 `database_unavailable` when it ' +
        'cannot be reached. `/api/live` is the check that touches nothing.',
      tag: 'service',
      responses: { 200: json(ref('schemas', 'Health'), 'The app answers, and its database has every migration.') },
      errors: ['database_unavailable', 'schema_outdated'],
    },
  },
  '/api/live': {
    GET: {
      operationId: 'live',
      summary: 'Liveness: the server answers; touches nothing',
      description: 'No database, no token: for a process supervisor (the container’s `HEALTHCHECK`).',
      tag: 'service',
      responses: { 200: json(ref('schemas', 'Live'), 'The server answers.') },
    },
  },
  '/api/cron/prune': {
    GET: {
      operationId: 'pruneExpired',
      summary: 'Delete expired sessions, spent or expired links and past rate-limit windows (Vercel Cron)',
      description:
        'Authorised by `Authorization: Bearer <CRON_SECRET>`, as Vercel Cron sends it (`vercel.json` `crons`), not by ' +
        'a token. Bounded work per call: at most 10 batches of 1,000 rows per table; `complete: false` means call ' +
        'again. Sessions and links are deleted 30 days after they ended (so an old link still answers 410); a ' +
        'rate-limit window as soon as it is over. `npm run db:prune` ' +
        'does the same from a shell.',
      tag: 'service',
      responses: {
        200: json(
          {
            type: 'object',
            required: ['deleted', 'complete'],
            properties: {
              deleted: {
                type: 'object',
                required: ['sessions', 'invitations', 'rateLimits'],
                properties: {
                  sessions: { type: 'integer', minimum: 0 },
                  invitations: { type: 'integer', minimum: 0 },
                  rateLimits: { type: 'integer', minimum: 0 },
                },
              },
              complete: { type: 'boolean' },
            },
          },
          'What this call deleted, table by table.',
        ),
      },
      errors: ['cron_unauthorized', 'cron_disabled', 'database_unavailable'],
    },
  },
  '/api/users': {
    GET: {
      operationId: 'listUsers',
      summary: 'A page of users, by id, optionally those matching a search',
      description:
        'Keyset pagination: follow the `Link: rel="next"` header until it is absent. With `q`, only users whose ' +
        'name or email contains it, case-insensitively, in the same order and pages.',
      tag: 'users',
      parameters: ['Limit', 'Cursor', 'Search'],
      responses: {
        200: json({ type: 'array', items: user }, 'Users in id order.', { Link: ref('headers', 'Link') }),
      },
      errors: ['validation_failed', 'database_unavailable'],
    },
    POST: {
      operationId: 'createUser',
      summary: 'Create a user, with a one-time link for them to set a password',
      description:
        'Unknown fields are refused. `role` defaults to `user`. The email is trimmed and lower-cased. The new user ' +
        'has no password: the answer carries their invitation link (`/invite/{token}`, valid `INVITE_TTL_SECONDS`, ' +
        'usable once), which is also emailed to them when email is configured (`RESEND_API_KEY`).',
      tag: 'users',
      body: 'CreateUser',
      responses: {
        201: json(ref('schemas', 'CreatedUser'), 'The created user and their invitation link.', {
          Location: ref('headers', 'Location'),
        }),
      },
      errors: ['email_taken', 'database_unavailable'],
    },
  },
  '/api/users/[id]': {
    GET: {
      operationId: 'getUser',
      summary: 'One user',
      description:
        'Any signed-in user may read any user; the password hash never leaves the server. The access token is trusted for its short life, so a read takes one database round trip.',
      tag: 'users',
      parameters: ['UserId'],
      responses: { 200: json(user, 'The user.') },
      errors: ['validation_failed', 'user_not_found', 'database_unavailable'],
    },
    PATCH: {
      operationId: 'updateUser',
      summary: 'Change a user',
      description: 'Send at least one field. Only an admin may change `role`.',
      tag: 'users',
      parameters: ['UserId'],
      body: 'UpdateUser',
      responses: { 200: json(user, 'The changed user.') },
      errors: ['user_not_found', 'email_taken', 'last_admin', 'database_unavailable'],
    },
    DELETE: {
      operationId: 'deleteUser',
      summary: 'Delete a user',
      description:
        'A user may delete themselves and an admin anyone, except the last admin. Their sessions and pending link go with them.',
      tag: 'users',
      parameters: ['UserId'],
      responses: { 204: { description: 'Deleted.' } },
      errors: ['user_not_found', 'last_admin', 'database_unavailable'],
    },
  },
  '/api/users/[id]/invitation': {
    POST: {
      operationId: 'issueInvitation',
      summary: 'Issue a new one-time link for a user: an invitation, or a password reset',
      description:
        'For a user with no password yet the link is an invitation; for one with a password, a reset (`purpose` ' +
        'says which). Either way it sets a password and signs the person in, ending their other sessions. Each user ' +
        'has one link at a time: any earlier one stops working.',
      tag: 'users',
      parameters: ['UserId'],
      responses: { 201: json(ref('schemas', 'InvitationLink'), 'The new link.') },
      errors: ['validation_failed', 'user_not_found', 'database_unavailable'],
    },
  },
  '/api/auth/invitation': {
    POST: {
      operationId: 'acceptInvitation',
      summary: 'Set a password with a one-time link’s token, and sign in',
      description:
        'The token is the last part of the link (`/invite/{token}`). It works once: the password is set, every ' +
        'other session of the user is signed out, and a new session starts, as with POST /api/auth/login.',
      tag: 'auth',
      body: 'AcceptInvitation',
      responses: { 200: json(ref('schemas', 'Session'), 'Password set, signed in.', SESSION_HEADERS) },
      errors: ['invitation_not_found', 'invitation_used', 'invitation_expired', 'busy', 'database_unavailable'],
      errorDescriptions: { 404: 'No such link: mistyped, or replaced by a newer one.' },
    },
  },
  '/api/auth/password-reset': {
    POST: {
      operationId: 'requestPasswordReset',
      summary: 'Email a one-time link to set a new password',
      description:
        'For whoever cannot sign in. The answer is the same 202, body included, whether or not an account uses the ' +
        'email, and takes the same work: the email itself is sent after the answer. The link is the kind an admin ' +
        'issues (`/invite/{token}`, used through POST /api/auth/invitation; an invitation for an account with no ' +
        'password yet) and replaces any earlier one; setting a password with it signs the account out everywhere. ' +
        'Throttled per email and per client address; over the limit, 429 until the window ends.',
      tag: 'auth',
      body: 'PasswordReset',
      responses: {
        202: json(ref('schemas', 'PasswordResetAccepted'), 'Accepted: a link is emailed if the account exists.'),
      },
      errors: ['rate_limited', 'database_unavailable'],
    },
  },
  '/api/auth/login': {
    POST: {
      operationId: 'logIn',
      summary: 'Exchange email and password for a token and the session cookie',
      description:
        'Starts a session: a short-lived access token and a refresh token (also as cookies), and a device token ' +
        'for this account (`deviceToken`, also as a cookie). Attempts are counted before the password is checked: ' +
        'with a device token valid for this account (the `deviceToken` field or the device cookie), for that ' +
        "device alone, so strangers' failures cannot lock it out; otherwise per email and client address, and per " +
        'address. Over the limit, 429 until the window ends. 503 with `Retry-After` when too many passwords are ' +
        'being checked at once.',
      tag: 'auth',
      body: 'Login',
      responses: { 200: json(ref('schemas', 'Session'), 'Signed in.', SESSION_HEADERS) },
      errors: ['wrong_credentials', 'rate_limited', 'busy', 'database_unavailable'],
      errorDescriptions: { 401: 'Wrong email or password (the answer does not say which).' },
    },
  },
  '/api/auth/register': {
    POST: {
      operationId: 'register',
      summary: 'Create an account with the `user` role and sign it in',
      description:
        'Only while registration is open (`REGISTRATION_ENABLED`). Answers the session as signing in does: tokens in the body for API clients, cookies for browsers. Sign-ups are limited per client address.',
      tag: 'auth',
      body: 'Register',
      responses: {
        201: json(ref('schemas', 'Session'), 'Registered and signed in.', {
          Location: ref('headers', 'Location'),
          ...SESSION_HEADERS,
        }),
      },
      errors: ['registration_closed', 'email_taken', 'rate_limited', 'busy', 'database_unavailable'],
      errorDescriptions: { 403: 'Registration is closed on this deployment.' },
    },
  },
  '/api/auth/refresh': {
    POST: {
      operationId: 'refresh',
      summary: 'Renew a session: a new access token and the next refresh token',
      description:
        'Send `{"refreshToken": …}` (curl, services) or, from a browser on this origin, no body and the refresh ' +
        'cookie. Each refresh token works once; presenting a spent one revokes its session (reuse detection). ' +
        'The new access token carries the role the database holds now.',
      tag: 'auth',
      body: 'Refresh',
      responses: { 200: json(ref('schemas', 'Tokens'), 'Renewed.', SESSION_HEADERS) },
      errors: ['invalid_refresh_token', 'session_ended', 'cross_origin', 'database_unavailable'],
      errorDescriptions: {
        401: 'The refresh token is invalid, spent (the session is now revoked), signed out or expired.',
        403: 'The refresh cookie was sent from another origin.',
      },
    },
  },
  '/api/auth/logout': {
    POST: {
      operationId: 'logOut',
      summary: 'Revoke this session and clear its cookies',
      description:
        'Public, so that an expired session can still sign out: the session is named by the access token ' +
        '(even expired) or the refresh cookie. Its refresh token stops working at once; its access token is ' +
        'refused by every write at once and by reads when it expires (minutes).',
      tag: 'auth',
      responses: { 204: { description: 'Signed out.', headers: { 'Set-Cookie': ref('headers', 'SetCookie') } } },
      errors: ['cross_origin', 'database_unavailable'],
      errorDescriptions: { 403: 'Sent from another origin: no site may sign a browser out.' },
    },
  },
  '/api/auth/password': {
    POST: {
      operationId: 'changePassword',
      summary: 'Change your password; every session of yours is signed out and this client gets a new one',
      description: 'Throttled as a sign-in. The new password follows the sign-up rules.',
      tag: 'auth',
      body: 'ChangePassword',
      responses: { 200: json(ref('schemas', 'Session'), 'Changed, with a new session.', SESSION_HEADERS) },
      errors: ['wrong_password', 'rate_limited', 'busy', 'database_unavailable'],
      errorDescriptions: {
        403: 'The current password is wrong, or a cookie-authenticated request came from another origin.',
      },
    },
  },
  '/api/auth/sessions': {
    GET: {
      operationId: 'listSessions',
      summary: 'Your live sessions, newest first',
      description:
        'Each session this user is signed in with that is neither revoked nor expired: when it started and was last used, the User-Agent it signed in with, and which one is the caller’s.',
      tag: 'auth',
      responses: { 200: json({ type: 'array', items: ref('schemas', 'SessionSummary') }, 'Live sessions.') },
      errors: ['database_unavailable'],
    },
    DELETE: {
      operationId: 'revokeAllSessions',
      summary: 'Sign out everywhere, this session included',
      description:
        'Revokes every session of the caller; their refresh tokens stop working at once, access tokens within their short life.',
      tag: 'auth',
      responses: { 204: { description: 'Every session revoked.' } },
      errors: ['database_unavailable'],
    },
  },
  '/api/auth/sessions/[id]': {
    DELETE: {
      operationId: 'revokeSession',
      summary: 'Sign one of your sessions out',
      description:
        'Revokes one of the caller’s own sessions, by the id `GET /api/auth/sessions` lists; another user’s session is a 404.',
      tag: 'auth',
      parameters: ['SessionId'],
      responses: { 204: { description: 'Revoked.' } },
      errors: ['validation_failed', 'session_not_found', 'database_unavailable'],
      errorDescriptions: { 404: 'No such live session of yours.' },
    },
  },
  '/api/auth/me': {
    GET: {
      operationId: 'getCurrentUser',
      summary: 'The signed-in user',
      description: 'The user the access token names, as the database holds it now.',
      tag: 'auth',
      responses: { 200: json(user, 'The user the token names.') },
      errors: ['user_not_found', 'database_unavailable'],
      errorDescriptions: { 404: 'The user the token names no longer exists.' },
    },
  },
  '/api/openapi.json': {
    GET: {
      operationId: 'getOpenApiDocument',
      summary: 'This description of the API',
      description: 'OpenAPI 3.1, generated from the schemas that validate requests. Readable form: `/docs`.',
      tag: 'service',
      responses: {
        200: json(
          {
            type: 'object',
            required: ['openapi', 'info', 'paths'],
            properties: {
              openapi: { type: 'string', pattern: '^3\\.1\\.' },
              info: { type: 'object' },
              paths: { type: 'object' },
            },
          },
          'The OpenAPI document.',
          { 'Cache-Control': ref('headers', 'CacheControl'), ETag: ref('headers', 'ETag') },
        ),
        304: { description: 'Unchanged since the `If-None-Match` ETag.', headers: { ETag: ref('headers', 'ETag') } },
      },
    },
  },
};

function paths(): Record<string, PathItem> {
  return Object.fromEntries(
    Object.entries(SPECS).map(([path, methods]) => [
      openApiPath(path as DocumentedPath),
      Object.fromEntries(
        Object.entries(methods as Record<HttpMethod, OperationSpec>).map(([method, spec]) => [
          method.toLowerCase(),
          operation(path as DocumentedPath, method as HttpMethod, spec),
        ]),
      ),
    ]),
  );
}

function buildDocument(): OpenApiDocument {
  return {
    openapi: '3.1.1',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Edge users API',
      version: packageJson.version,
      license: { name: 'MIT', identifier: packageJson.license },
      description:
        'A JSON users API on the edge. Errors are RFC 9457 `application/problem+json`. ' +
        'Sign in with POST /api/auth/login, then send the token as `Authorization: Bearer <token>` ' +
        '(or let a browser send the session cookie). A readable version of this document is at `/docs`.',
    },
    tags: [
      { name: 'users', description: 'The users resource.' },
      { name: 'auth', description: 'Signing up, in and out.' },
      { name: 'service', description: 'Greeting, health and this description.' },
    ],
    paths: paths(),
    components: {
      schemas: buildSchemas(),
      parameters: buildParameters(),
      headers,
      securitySchemes,
    },
  };
}

let cached: OpenApiDocument | undefined;

/** The document, built on first use and shared by every request this isolate serves. */
export function openApiDocument(): OpenApiDocument {
  cached ??= buildDocument();
  return cached;
}

/**
 * The document as this deployment serves it, with its public origin as the server and `/docs` as the contact
 * (tools want both), and a weak ETag (weak: the server may compress it) from its SHA-256. One origin is kept:
 * a deployment has one, and a client's Host header must not grow a cache (PUBLIC_ORIGIN is unset in development).
 */
let served: { origin: string; document: Promise<{ json: string; etag: string }> } | undefined;

export function serializedOpenApiDocument(origin: string): Promise<{ json: string; etag: string }> {
  if (served?.origin !== origin) {
    const base = openApiDocument();
    const document = {
      ...base,
      info: { ...base.info, contact: { name: base.info.title, url: `${origin}/docs` } },
      servers: [{ url: origin, description: 'This deployment' }],
    };
    served = { origin, document: serialize(document) };
  }
  return served.document;
}

async function serialize(document: OpenApiDocument) {
  const json = JSON.stringify(document);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(json)));
  return { json, etag: `W/"${base64url.encode(digest.subarray(0, 16))}"` };
}
