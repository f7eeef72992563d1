// This API's OpenAPI 3.1 description, built once per isolate from the zod schemas that validate requests.
import { base64url } from 'jose';
import packageJson from '@/package.json';
import {
  buildParameters,
  buildSchemas,
  errorResponses,
  headers,
  problem,
  ref,
  securitySchemes,
  type ErrorStatus,
} from './components.ts';
import type {
  Method,
  OpenApiDocument,
  Operation,
  PathItem,
  Reference,
  Response,
  SecurityRequirement,
} from './types.ts';

const SIGNED_IN: SecurityRequirement[] = [{ bearerAuth: [] }, { cookieAuth: [] }];
const UNSAFE_METHODS = new Set<Method>(['post', 'put', 'patch', 'delete']);

interface OperationSpec {
  operationId: string;
  summary: string;
  description?: string;
  tag: 'users' | 'auth' | 'service';
  /** Who may call it, in a few words; anything but `public` needs a token. */
  access: string;
  parameters?: string[];
  /** Name of the request body's schema under components.schemas. */
  body?: string;
  responses: Record<number, Response>;
  /** Error statuses this operation answers with, beyond those implied by its access, body and path. */
  errors?: ErrorStatus[];
}

const json = (schema: object, description: string, responseHeaders: Record<string, Reference> = {}): Response => ({
  description,
  ...(Object.keys(responseHeaders).length ? { headers: responseHeaders } : {}),
  content: { 'application/json': { schema: schema as Record<string, unknown> } },
});

const user = ref('schemas', 'User');
/** What every answer that starts or renews a session carries. */
const SESSION_HEADERS = { 'Set-Cookie': ref('headers', 'SetCookie'), 'Cache-Control': ref('headers', 'CacheControl') };

function operation(method: Method, spec: OperationSpec): Operation {
  const isPublic = spec.access === 'public';
  const implied: ErrorStatus[] = [
    ...(spec.body ? ([400, 413, 415] as const) : []),
    ...(isPublic ? [] : ([401] as const)),
    // A write that authenticates by cookie must come from this origin.
    ...(!isPublic && UNSAFE_METHODS.has(method) ? ([403] as const) : []),
    // Every path answers other methods with 405; OpenAPI has no path-level responses, so each operation lists it.
    405,
    500,
  ];
  const errors = [...new Set([...implied, ...(spec.errors ?? [])])].sort((a, b) => a - b);
  const responses: Record<string, Response | Reference> = {};
  for (const [status, response] of Object.entries(spec.responses)) responses[status] = response;
  for (const status of errors) responses[status] ??= ref('responses', errorResponses[status][0]);
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: [spec.tag],
    'x-access': isPublic ? 'Public' : spec.access,
    security: isPublic ? [] : SIGNED_IN,
    ...(spec.parameters ? { parameters: spec.parameters.map((name) => ref('parameters', name)) } : {}),
    ...(spec.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: ref('schemas', spec.body) } } } }
      : {}),
    responses: Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b))),
  };
}

function paths(): Record<string, PathItem> {
  return {
    '/api/hello': {
      get: operation('get', {
        operationId: 'hello',
        summary: 'A greeting that touches nothing',
        tag: 'service',
        access: 'public',
        responses: { 200: json(ref('schemas', 'Hello'), 'The greeting.') },
      }),
    },
    '/api/health': {
      get: operation('get', {
        operationId: 'health',
        summary: 'Liveness, with a real database ping',
        tag: 'service',
        access: 'public',
        responses: { 200: json(ref('schemas', 'Health'), 'The app and its database answer.') },
        errors: [503],
      }),
    },
    '/api/users': {
      get: operation('get', {
        operationId: 'listUsers',
        summary: 'A page of users, by id',
        description: 'Keyset pagination: follow the `Link: rel="next"` header until it is absent.',
        tag: 'users',
        access: 'Signed in',
        parameters: ['Limit', 'Cursor'],
        responses: {
          200: json({ type: 'array', items: user }, 'Users in id order.', { Link: ref('headers', 'Link') }),
        },
        errors: [400, 503],
      }),
      post: operation('post', {
        operationId: 'createUser',
        summary: 'Create a user',
        description: 'Unknown fields are refused. `role` defaults to `user`. The email is trimmed and lower-cased.',
        tag: 'users',
        access: 'Signed in, admin role',
        body: 'CreateUser',
        responses: { 201: json(user, 'The created user.', { Location: ref('headers', 'Location') }) },
        errors: [403, 409, 503],
      }),
    },
    '/api/users/{id}': {
      get: operation('get', {
        operationId: 'getUser',
        summary: 'One user',
        tag: 'users',
        access: 'Signed in',
        parameters: ['UserId'],
        responses: { 200: json(user, 'The user.') },
        errors: [400, 404, 503],
      }),
      patch: operation('patch', {
        operationId: 'updateUser',
        summary: 'Change a user',
        description: 'Send at least one field. Only an admin may change `role`.',
        tag: 'users',
        access: 'Signed in, as that user or an admin',
        parameters: ['UserId'],
        body: 'UpdateUser',
        responses: { 200: json(user, 'The changed user.') },
        errors: [403, 404, 409, 503],
      }),
      delete: operation('delete', {
        operationId: 'deleteUser',
        summary: 'Delete a user',
        tag: 'users',
        access: 'Signed in, as that user or an admin',
        parameters: ['UserId'],
        responses: { 204: { description: 'Deleted.' } },
        errors: [400, 403, 404, 503],
      }),
    },
    '/api/auth/login': {
      post: operation('post', {
        operationId: 'logIn',
        summary: 'Exchange email and password for a token and the session cookie',
        description:
          'Starts a session: a short-lived access token and a refresh token (also as cookies). Attempts are counted ' +
          'per email and client address, and per address, before the password is checked; over the limit, 429 until ' +
          'the window ends. 503 with `Retry-After` when too many passwords are being checked at once.',
        tag: 'auth',
        access: 'public',
        body: 'Login',
        responses: {
          200: json(ref('schemas', 'Session'), 'Signed in.', SESSION_HEADERS),
          401: problem(401, 'Wrong email or password (the answer does not say which).'),
        },
        errors: [429, 503],
      }),
    },
    '/api/auth/register': {
      post: operation('post', {
        operationId: 'register',
        summary: 'Create an account with the `user` role and sign it in',
        tag: 'auth',
        access: 'public',
        body: 'Register',
        responses: {
          201: json(ref('schemas', 'Session'), 'Registered and signed in.', {
            Location: ref('headers', 'Location'),
            ...SESSION_HEADERS,
          }),
          403: problem(403, 'Registration is closed on this deployment.'),
        },
        errors: [409, 429, 503],
      }),
    },
    '/api/auth/refresh': {
      post: operation('post', {
        operationId: 'refresh',
        summary: 'Renew a session: a new access token and the next refresh token',
        description:
          'Send `{"refreshToken": …}` (curl, services) or, from a browser on this origin, no body and the refresh ' +
          'cookie. Each refresh token works once; presenting a spent one revokes its session (reuse detection). ' +
          'The new access token carries the role the database holds now.',
        tag: 'auth',
        access: 'public',
        body: 'Refresh',
        responses: {
          200: json(ref('schemas', 'Tokens'), 'Renewed.', SESSION_HEADERS),
          401: problem(401, 'The refresh token is invalid, spent (the session is now revoked), signed out or expired.'),
        },
        errors: [403, 503],
      }),
    },
    '/api/auth/logout': {
      post: operation('post', {
        operationId: 'logOut',
        summary: 'Revoke this session and clear its cookies',
        description:
          'Public, so that an expired session can still sign out: the session is named by the access token ' +
          '(even expired) or the refresh cookie. Its refresh token stops working at once; its access token is ' +
          'refused by every write at once and by reads when it expires (minutes).',
        tag: 'auth',
        access: 'public',
        responses: { 204: { description: 'Signed out.', headers: { 'Set-Cookie': ref('headers', 'SetCookie') } } },
        errors: [403, 503],
      }),
    },
    '/api/auth/password': {
      post: operation('post', {
        operationId: 'changePassword',
        summary: 'Change your password; every session of yours is signed out and this client gets a new one',
        description: 'Throttled as a sign-in. The new password follows the sign-up rules.',
        tag: 'auth',
        access: 'Signed in',
        body: 'ChangePassword',
        responses: {
          200: json(ref('schemas', 'Session'), 'Changed, with a new session.', SESSION_HEADERS),
          403: problem(
            403,
            'The current password is wrong, or a cookie-authenticated request came from another origin.',
          ),
        },
        errors: [429, 503],
      }),
    },
    '/api/auth/sessions': {
      get: operation('get', {
        operationId: 'listSessions',
        summary: 'Your live sessions, newest first',
        tag: 'auth',
        access: 'Signed in',
        responses: { 200: json({ type: 'array', items: ref('schemas', 'SessionSummary') }, 'Live sessions.') },
        errors: [503],
      }),
      delete: operation('delete', {
        operationId: 'revokeAllSessions',
        summary: 'Sign out everywhere, this session included',
        tag: 'auth',
        access: 'Signed in',
        responses: { 204: { description: 'Every session revoked.' } },
        errors: [503],
      }),
    },
    '/api/auth/sessions/{id}': {
      delete: operation('delete', {
        operationId: 'revokeSession',
        summary: 'Sign one of your sessions out',
        tag: 'auth',
        access: 'Signed in',
        parameters: ['SessionId'],
        responses: { 204: { description: 'Revoked.' }, 404: problem(404, 'No such live session of yours.') },
        errors: [400, 503],
      }),
    },
    '/api/auth/me': {
      get: operation('get', {
        operationId: 'getCurrentUser',
        summary: 'The signed-in user',
        tag: 'auth',
        access: 'Signed in',
        responses: {
          200: json(user, 'The user the token names.'),
          404: problem(404, 'The user the token names no longer exists.'),
        },
        errors: [503],
      }),
    },
    '/api/openapi.json': {
      get: operation('get', {
        operationId: 'getOpenApiDocument',
        summary: 'This description of the API',
        description: 'OpenAPI 3.1, generated from the schemas that validate requests. Readable form: `/docs`.',
        tag: 'service',
        access: 'public',
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
      }),
    },
  };
}

function buildDocument(): OpenApiDocument {
  return {
    openapi: '3.1.1',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Edge users API',
      version: packageJson.version,
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
      responses: Object.fromEntries(Object.values(errorResponses).map(([name, response]) => [name, response])),
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

let serialized: Promise<{ json: string; etag: string }> | undefined;

/** The document as JSON, with a weak ETag (weak: the server may compress it) from its SHA-256. */
export function serializedOpenApiDocument(): Promise<{ json: string; etag: string }> {
  serialized ??= (async () => {
    const json = JSON.stringify(openApiDocument());
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(json)));
    return { json, etag: `W/"${base64url.encode(digest.subarray(0, 16))}"` };
  })();
  return serialized;
}
