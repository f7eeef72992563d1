// The document's shared parts: JSON Schemas generated from the zod schemas that validate requests,
// the one problem+json schema and its responses per status, response headers, and the two ways to sign in.
import * as z from 'zod/mini';
import {
  changePasswordSchema,
  loginSchema,
  refreshSchema,
  registerSchema,
  signedInSchema,
  tokensSchema,
} from '@/src/auth/schema.ts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageQuerySchema } from '@/src/http/pagination.ts';
import { MAX_SEARCH_LENGTH, searchSchema } from '@/src/users/search.ts';
import { PROBLEM_STATUS, type ProblemCode } from '@/src/http/problem.ts';
import {
  acceptInvitationSchema,
  invitationLinkSchema,
  passwordResetAcceptedSchema,
  passwordResetSchema,
} from '@/src/invitations/schema.ts';
import { createUserSchema, idSchema, MAX_ID, publicUserSchema, updateUserSchema } from '@/src/users/schema.ts';
import type { Header, JsonSchema, Parameter, Reference, Response, SecurityScheme } from './types.ts';

const ref = (kind: 'schemas' | 'headers' | 'parameters', name: string): Reference => ({
  $ref: `#/components/${kind}/${name}`,
});

// Response shapes no module below app/ names yet; they mirror what the routes send.
const helloSchema = z.object({ message: z.string() });
const healthSchema = z.object({ status: z.literal('ok'), database: z.literal('ok') });
const liveSchema = z.object({ status: z.literal('ok') });
const createdUserSchema = z.extend(publicUserSchema, {
  invitation: invitationLinkSchema.check(
    z.describe(
      'The new user’s one-time link to set a password; also emailed to them when email is configured (see the README).',
    ),
  ),
});
const sessionSummarySchema = z.object({
  id: z.uuid(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().check(z.describe('When its refresh token was last used.')),
  expiresAt: z.iso.datetime(),
  userAgent: z
    .nullable(z.string())
    .check(z.describe('The User-Agent the client signed in with (at most 256 characters); null when it sent none.')),
  current: z.boolean().check(z.describe('Whether this is the session of the token that asked.')),
});
const problemSchema = z.looseObject({
  type: z.string().check(
    z.meta({
      format: 'uri-reference',
      description: 'Where `/docs` explains the code: `/docs#problem-<code>`, relative to this API.',
    }),
  ),
  title: z.string().check(z.describe("The status code's reason phrase.")),
  status: z.int().check(z.gte(400), z.lte(599)),
  code: z
    .enum(Object.keys(PROBLEM_STATUS) as [ProblemCode, ...ProblemCode[]])
    .check(z.describe('What went wrong, stable across versions: what clients switch on. Each is explained in /docs.')),
  detail: z.string().check(z.describe('What was wrong with this request, for people.')),
  errors: z.optional(
    z
      .array(
        z.object({
          field: z
            .string()
            .check(z.describe('Dotted path of the field; `body`, `query` or `path` for the whole part.')),
          message: z.string(),
        }),
      )
      .check(z.describe('On 400 for invalid input: every bad field, each with what is wrong.')),
  ),
});

type Io = 'input' | 'output';

/** JSON Schema 2020-12 from zod, naming registered schemas by `$ref` into `#/components/schemas`. */
function schemasOf(entries: Record<string, z.ZodMiniType>, io: Io): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(entries)) registry.add(schema, { id });
  // Transforms (an id's string → number) have no JSON form: the input side documents what is sent.
  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  });
  return Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, withoutIdentity(schema)]));
}

/** Drops `$schema` and `$id`: the document's dialect governs, and a fragment `$id` is not allowed in 2020-12. */
function withoutIdentity(schema: JsonSchema): JsonSchema {
  const rest = { ...schema };
  delete rest.$schema;
  delete rest.$id;
  return rest;
}

function inputSchema(schema: z.ZodMiniType): JsonSchema {
  return withoutIdentity(
    z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as JsonSchema,
  );
}

/** The schema that validates each request body, by its name under `#/components/schemas`. */
export const REQUEST_BODY_SCHEMAS: Record<string, z.ZodMiniType> = {
  CreateUser: createUserSchema,
  UpdateUser: updateUserSchema,
  Login: loginSchema,
  Register: registerSchema,
  Refresh: refreshSchema,
  ChangePassword: changePasswordSchema,
  AcceptInvitation: acceptInvitationSchema,
  PasswordReset: passwordResetSchema,
};

export function buildSchemas(): Record<string, JsonSchema> {
  const requests = schemasOf(REQUEST_BODY_SCHEMAS, 'input');
  // A refinement JSON Schema cannot see: PATCH must change something.
  requests.UpdateUser = { ...requests.UpdateUser, minProperties: 1 };
  const responses = schemasOf(
    {
      User: publicUserSchema,
      CreatedUser: createdUserSchema,
      InvitationLink: invitationLinkSchema,
      PasswordResetAccepted: passwordResetAcceptedSchema,
      Session: signedInSchema,
      Tokens: tokensSchema,
      SessionSummary: sessionSummarySchema,
      Hello: helloSchema,
      Health: healthSchema,
      Live: liveSchema,
      Problem: problemSchema,
    },
    'output',
  );
  return { ...requests, ...responses };
}

export function buildParameters(): Record<string, Parameter> {
  const { limit, cursor } = pageQuerySchema.shape;
  return {
    SessionId: {
      name: 'id',
      in: 'path',
      required: true,
      description: 'The session id, as GET /api/auth/sessions lists it (a lower-case UUID).',
      schema: { type: 'string', format: 'uuid' },
    },
    UserId: {
      name: 'id',
      in: 'path',
      required: true,
      description: `The user's id: a positive integer up to ${MAX_ID}, in plain decimal.`,
      schema: inputSchema(idSchema),
    },
    Limit: {
      name: 'limit',
      in: 'query',
      required: false,
      description: `Page size, from 1 to ${MAX_PAGE_SIZE}; ${DEFAULT_PAGE_SIZE} when absent.`,
      schema: { ...inputSchema(limit), default: String(DEFAULT_PAGE_SIZE) },
    },
    Cursor: {
      name: 'cursor',
      in: 'query',
      required: false,
      description: 'Start after the user with this id. Take it from the `Link` header rather than building it.',
      schema: inputSchema(cursor),
    },
    Search: {
      name: 'q',
      in: 'query',
      required: false,
      description:
        `Only users whose name or email contains this text, in any case (trimmed, 1 to ${MAX_SEARCH_LENGTH} ` +
        'characters; `%` and `_` match themselves). Pages as the whole list does: the `Link` header keeps it.',
      schema: inputSchema(searchSchema),
    },
  };
}

const header = (description: string, required: boolean, schema: JsonSchema = { type: 'string' }): Header => ({
  description,
  ...(required ? { required } : {}),
  schema,
});

/** Marked `required` when every response of that kind carries them. */
export const headers: Record<string, Header> = {
  Location: header('URL of the created user.', true, { type: 'string', format: 'uri' }),
  Link: header('RFC 8288 link to the next page, `<…?limit=…&cursor=…>; rel="next"`; absent on the last page.', false),
  SetCookie: header(
    'The session cookies: the access token (`token`, or `__Host-token` over HTTPS with `Secure`) and the refresh ' +
      'token (`refresh` / `__Host-refresh`); on signing in and signing up also the device token (`device` / ' +
      '`__Host-device`, 90 days, kept on signing out); all `HttpOnly; SameSite=Lax; Path=/`.',
    true,
  ),
  WwwAuthenticate: header(
    'RFC 6750 challenge: `Bearer` when no token was sent, `Bearer error="invalid_token"` when it was bad.',
    true,
  ),
  Allow: header('The methods this path serves.', true),
  RetryAfter: header('Seconds to wait before trying again.', true, { type: 'string', pattern: '^[0-9]+$' }),
  AcceptBody: header('The media type the body must have: `application/json`.', true),
  CacheControl: header('Caching policy.', true),
  ETag: header('Validator for conditional requests (`If-None-Match`).', true),
  RequestId: header('The id under which the server logged this failure; quote it when reporting one.', true),
};

/** What a problem of each status means, unless an operation says more precisely. */
export const STATUS_DESCRIPTIONS: Record<number, string> = {
  400: 'The input is invalid: malformed JSON, or fields that fail validation (listed in `errors`).',
  401: 'No token, or a bad or expired one; for a write, also a session that was signed out or an account that is gone.',
  403: 'Not allowed: the role does not permit it, or a write authenticated by the session cookie came from another origin.',
  404: 'No such record.',
  405: 'Sent to this path with a method it does not serve (any of GET, POST, PUT, PATCH, DELETE not listed here).',
  409: 'The email is already taken, or the change would leave no admin.',
  410: 'The one-time link has already been used or has expired; an admin can issue a new one.',
  413: 'The body is too large.',
  415: 'The body was not sent as `application/json`.',
  429: 'Too many sign-in or sign-up attempts; wait for `Retry-After` seconds.',
  500: 'A bug: the server logged it under the `x-request-id` of the response. The body never carries internals.',
  503: 'Something the API depends on cannot be reached, or is busy; retry after `Retry-After` seconds.',
};

/** The headers every problem of a status carries. */
const STATUS_HEADERS: Record<number, Record<string, Reference>> = {
  401: { 'WWW-Authenticate': ref('headers', 'WwwAuthenticate') },
  405: { Allow: ref('headers', 'Allow') },
  415: { 'Accept-Post': ref('headers', 'AcceptBody'), 'Accept-Patch': ref('headers', 'AcceptBody') },
  429: { 'Retry-After': ref('headers', 'RetryAfter') },
  500: { 'X-Request-Id': ref('headers', 'RequestId') },
  503: { 'Retry-After': ref('headers', 'RetryAfter'), 'X-Request-Id': ref('headers', 'RequestId') },
};

/** A problem+json response of one status, listing the codes it may carry; a body cannot claim another. */
export function problem(status: number, codes: ProblemCode[], description = STATUS_DESCRIPTIONS[status]!): Response {
  const headers = STATUS_HEADERS[status];
  return {
    description,
    ...(headers ? { headers } : {}),
    content: {
      'application/problem+json': {
        schema: {
          allOf: [
            ref('schemas', 'Problem'),
            { type: 'object', properties: { status: { const: status }, code: { enum: [...codes].sort() } } },
          ],
        },
      },
    },
  };
}

export const securitySchemes: Record<string, SecurityScheme> = {
  bearerAuth: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'The `token` from POST /api/auth/login, /api/auth/register or /api/auth/invitation, as `Authorization: Bearer <token>`.',
  },
  cookieAuth: {
    type: 'apiKey',
    in: 'cookie',
    name: 'token',
    description:
      'The session cookie set by sign-in. Named `__Host-token` over HTTPS (`token` over plain HTTP). ' +
      'Writes authenticated by cookie must come from this origin, or they get 403.',
  },
};

export { ref };
