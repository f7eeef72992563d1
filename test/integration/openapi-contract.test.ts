// The production build keeps the promises of its own OpenAPI document: every response provoked here,
// success or problem, has a documented status, media type, body schema and required headers.
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { resolve } from '@/src/openapi/describe.ts';
import {
  METHODS,
  type Header,
  type Method,
  type OpenApiDocument,
  type Response as DocumentedResponse,
} from '@/src/openapi/types.ts';
import { api } from '@/test/support/over-http/http.ts';
import { uniqueEmail } from '@/test/support/requests.ts';
import { serverSql, sharedAdmin, signUpOnServer } from '@/test/support/over-http/server-admin.ts';
import { serverToken } from '@/test/support/over-http/server-settings.ts';

// ajv-formats is CommonJS; under Node's ESM interop its function is the default export's default.
const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;

const document = (await (await api('/api/openapi.json')).json()) as OpenApiDocument;

const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const COMPONENTS = 'https://contract.test/components';
/** Points `#/components/schemas/…` references at the component schemas registered with ajv. */
const retarget = (schema: object) =>
  JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${COMPONENTS}#/$defs/`);
ajv.addSchema({ $id: COMPONENTS, $defs: JSON.parse(retarget(document.components.schemas)) as object });
const validators = new Map<string, ValidateFunction>();

/** Compiles a response schema once. */
function validatorFor(schema: object): ValidateFunction {
  const source = retarget(schema);
  let validate = validators.get(source);
  if (!validate) {
    validate = ajv.compile(JSON.parse(source) as object);
    validators.set(source, validate);
  }
  return validate;
}

/** The documented response for this status; a 405 is documented on each of the path's operations. */
function documentedResponse(path: string, method: Method, status: number): DocumentedResponse | undefined {
  const item = document.paths[path];
  expect(item, `${path} is documented`).toBeDefined();
  const operations = status === 405 ? METHODS.flatMap((m) => (item![m] ? [item![m]] : [])) : [item![method]];
  const found = operations.map((operation) => operation?.responses[String(status)]).find(Boolean);
  return found && resolve(document, found);
}

/**
 * Checks a real response against the document: its status is documented for the operation, its media
 * type is one documented for that status, the body validates against that schema, and every header the
 * document marks required is there. Returns the body.
 */
async function conforms(path: string, method: Method, response: Response): Promise<unknown> {
  const where = `${method.toUpperCase()} ${path} → ${response.status}`;
  const documented = documentedResponse(path, method, response.status);
  expect(documented, `${where} is documented`).toBeDefined();
  for (const [name, value] of Object.entries(documented!.headers ?? {})) {
    if (resolve<Header>(document, value).required)
      expect(response.headers.get(name), `${where}: ${name}`).not.toBeNull();
  }
  const text = await response.text();
  if (!documented!.content) {
    expect(text, `${where} has no body`).toBe('');
    return undefined;
  }
  const mediaType = (response.headers.get('content-type') ?? '').split(';', 1)[0]!.trim();
  const media = documented!.content[mediaType];
  expect(media, `${where}: ${mediaType} is documented`).toBeDefined();
  const body: unknown = JSON.parse(text);
  const validate = validatorFor(media!.schema);
  expect(validate(body), `${where}: ${ajv.errorsText(validate.errors)}\n${text}`).toBe(true);
  return body;
}

const admin = { authorization: `Bearer ${(await sharedAdmin()).token}` };
const bearer = async (id: number, role: 'user' | 'admin' = 'user') => ({
  authorization: `Bearer ${await serverToken({ id, role })}`,
});
const oversized = (email = uniqueEmail()) => ({ name: 'x'.repeat(20 * 1024), email });
const asText = { 'content-type': 'text/plain' };
const missingId = 2_147_483_000;

async function createUser(): Promise<{ id: number; email: string }> {
  const response = await api('/api/users', {
    method: 'POST',
    headers: admin,
    json: { name: 'Ada', email: uniqueEmail('contract') },
  });
  return (await conforms('/api/users', 'post', response)) as { id: number; email: string };
}

describe('service routes', () => {
  it('GET /api/hello: 200, and 405 with Allow for PUT', async () => {
    await conforms('/api/hello', 'get', await api('/api/hello'));
    const refused = await api('/api/hello', { method: 'PUT' });
    expect(refused.status).toBe(405);
    await conforms('/api/hello', 'put', refused);
  });

  it('GET /api/health: 200, and 405 for DELETE', async () => {
    await conforms('/api/health', 'get', await api('/api/health'));
    await conforms('/api/health', 'delete', await api('/api/health', { method: 'DELETE' }));
  });

  it('GET /api/live: 200, and 405 for POST', async () => {
    await conforms('/api/live', 'get', await api('/api/live'));
    await conforms('/api/live', 'post', await api('/api/live', { method: 'POST' }));
  });

  it('GET /api/openapi.json: 200 with cache headers, 304 for its ETag, 405 for POST', async () => {
    const response = await api('/api/openapi.json');
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    const etag = response.headers.get('etag')!;
    expect(await conforms('/api/openapi.json', 'get', response)).toEqual(document);
    const unchanged = await api('/api/openapi.json', { headers: { 'if-none-match': etag } });
    expect(unchanged.status).toBe(304);
    await conforms('/api/openapi.json', 'get', unchanged);
    await conforms('/api/openapi.json', 'post', await api('/api/openapi.json', { method: 'POST' }));
  });
});

describe('/api/users', () => {
  it('GET: 200 with a Link to the next page', async () => {
    await createUser();
    await createUser();
    const response = await api('/api/users?limit=1', { headers: admin });
    expect(response.status).toBe(200);
    expect(response.headers.get('link')).toMatch(/rel="next"/);
    expect(await conforms('/api/users', 'get', response)).toHaveLength(1);
  });

  it('GET: 400 listing the bad query fields', async () => {
    const response = await api('/api/users?limit=0&cursor=x', { headers: admin });
    expect(response.status).toBe(400);
    const body = (await conforms('/api/users', 'get', response)) as { errors: { field: string }[] };
    expect(body.errors.map((error) => error.field).sort()).toEqual(['cursor', 'limit']);
  });

  it('GET: 401 with WWW-Authenticate, without a token or with a bad one', async () => {
    for (const headers of [{}, { authorization: 'Bearer not-a-token' }] as Record<string, string>[]) {
      const response = await api('/api/users', { headers });
      expect(response.status).toBe(401);
      await conforms('/api/users', 'get', response);
    }
  });

  it('PUT: 405 with Allow', async () => {
    const response = await api('/api/users', { method: 'PUT', headers: admin });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, POST, HEAD, OPTIONS');
    await conforms('/api/users', 'put', response);
  });

  it('POST: 201 with Location', async () => {
    const response = await api('/api/users', {
      method: 'POST',
      headers: admin,
      json: { name: 'Ada', email: uniqueEmail() },
    });
    expect(response.status).toBe(201);
    const user = (await conforms('/api/users', 'post', response)) as { id: number };
    expect(response.headers.get('location')).toMatch(new RegExp(`/api/users/${user.id}$`));
  });

  it('POST: 400, 403, 409, 413 and 415', async () => {
    const { email } = await createUser();
    const user = await bearer(1);
    const cases: [number, RequestInit & { json?: unknown }][] = [
      [400, { headers: admin, json: { name: '', email: 'nope', extra: 1 } }],
      [403, { headers: user, json: { name: 'Ada', email: uniqueEmail() } }],
      // A cookie-authenticated write from another origin.
      [
        403,
        {
          headers: { cookie: `token=${admin.authorization.slice(7)}`, origin: 'https://elsewhere.example' },
          json: { name: 'Ada', email: uniqueEmail() },
        },
      ],
      [409, { headers: admin, json: { name: 'Ada', email } }],
      [413, { headers: admin, json: oversized() }],
      [415, { headers: { ...admin, ...asText }, body: JSON.stringify({ name: 'Ada', email: uniqueEmail() }) }],
    ];
    for (const [status, init] of cases) {
      const response = await api('/api/users', { method: 'POST', ...init });
      expect(response.status, JSON.stringify(init.json ?? init.body).slice(0, 80)).toBe(status);
      await conforms('/api/users', 'post', response);
    }
  });
});

describe('/api/users/{id}', () => {
  const path = '/api/users/{id}';

  it('GET: 200, 400 for a malformed id, 404 for a missing one, 401 without a token', async () => {
    const { id } = await createUser();
    for (const [url, status, headers] of [
      [`/api/users/${id}`, 200, admin],
      ['/api/users/abc', 400, admin],
      [`/api/users/${missingId}`, 404, admin],
      [`/api/users/${id}`, 401, {}],
    ] as const) {
      const response = await api(url, { headers });
      expect(response.status, url).toBe(status);
      await conforms(path, 'get', response);
    }
  });

  it('POST: 405 with Allow', async () => {
    const response = await api('/api/users/1', { method: 'POST', headers: admin });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, PATCH, DELETE, HEAD, OPTIONS');
    await conforms(path, 'post', response);
  });

  it('PATCH: 200, 400, 403, 404, 409, 413 and 415', async () => {
    const self = await signUpOnServer();
    const { id } = self;
    const mine = { authorization: `Bearer ${self.token}` };
    const other = await createUser();
    const cases: [string, number, RequestInit & { json?: unknown }][] = [
      [`/api/users/${id}`, 200, { headers: mine, json: { name: 'Ada Lovelace' } }],
      [`/api/users/${id}`, 400, { headers: admin, json: {} }],
      [`/api/users/${id}`, 403, { headers: mine, json: { role: 'admin' } }],
      [`/api/users/${other.id}`, 403, { headers: mine, json: { name: 'Mallory' } }],
      [`/api/users/${missingId}`, 404, { headers: admin, json: { name: 'Nobody' } }],
      [`/api/users/${id}`, 409, { headers: admin, json: { email: other.email } }],
      [`/api/users/${id}`, 413, { headers: admin, json: oversized() }],
      [`/api/users/${id}`, 415, { headers: { ...admin, ...asText }, body: '{"name":"Ada"}' }],
    ];
    for (const [url, status, init] of cases) {
      const response = await api(url, { method: 'PATCH', ...init });
      expect(response.status, `${url} ${JSON.stringify(init.json ?? init.body).slice(0, 60)}`).toBe(status);
      await conforms(path, 'patch', response);
    }
  });

  it('DELETE: 204, 400, 403 and 404', async () => {
    const { id } = await createUser();
    const cases: [string, number, Record<string, string>][] = [
      [`/api/users/${id}`, 403, await bearer(id + 1)],
      ['/api/users/0', 400, admin],
      [`/api/users/${id}`, 204, admin],
      [`/api/users/${id}`, 404, admin],
    ];
    for (const [url, status, headers] of cases) {
      const response = await api(url, { method: 'DELETE', headers });
      expect(response.status, url).toBe(status);
      await conforms(path, 'delete', response);
    }
  });
});

describe('/api/auth', () => {
  const password = 'correct horse battery';

  it('POST register: 201 with Location and Set-Cookie; 400, 409, 413, 415; GET 405', async () => {
    const email = uniqueEmail('register');
    const created = await api('/api/auth/register', { method: 'POST', json: { name: 'Ada', email, password } });
    expect(created.status).toBe(201);
    const session = (await conforms('/api/auth/register', 'post', created)) as { user: { id: number } };
    expect(created.headers.get('location')).toMatch(new RegExp(`/api/users/${session.user.id}$`));
    expect(created.headers.get('set-cookie')).toMatch(/^token=.+HttpOnly/);

    const cases: [number, RequestInit & { json?: unknown }][] = [
      [400, { json: { name: 'Ada', email, password: 'short' } }],
      [409, { json: { name: 'Ada', email, password } }],
      [413, { json: { ...oversized(), password } }],
      [415, { headers: asText, body: JSON.stringify({ name: 'Ada', email: uniqueEmail(), password }) }],
    ];
    for (const [status, init] of cases) {
      const response = await api('/api/auth/register', { method: 'POST', ...init });
      expect(response.status).toBe(status);
      await conforms('/api/auth/register', 'post', response);
    }
    await conforms('/api/auth/register', 'get', await api('/api/auth/register'));
  });

  it('POST login: 200 with Set-Cookie; 400, 401, 413, 415; 405 for GET', async () => {
    const email = uniqueEmail('login');
    await api('/api/auth/register', { method: 'POST', json: { name: 'Ada', email, password } });
    const signedIn = await api('/api/auth/login', { method: 'POST', json: { email, password } });
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers.get('set-cookie')).toMatch(/^token=/);
    await conforms('/api/auth/login', 'post', signedIn);

    const cases: [number, RequestInit & { json?: unknown }][] = [
      [400, { json: { email: 'not-an-email' } }],
      [401, { json: { email, password: 'wrong password' } }],
      [413, { json: { email, password: 'x'.repeat(20 * 1024) } }],
      [415, { headers: asText, body: JSON.stringify({ email, password }) }],
    ];
    for (const [status, init] of cases) {
      const response = await api('/api/auth/login', { method: 'POST', ...init });
      expect(response.status).toBe(status);
      await conforms('/api/auth/login', 'post', response);
    }
    await conforms('/api/auth/login', 'get', await api('/api/auth/login'));
  });

  it('POST login: 429 with Retry-After once the failures are used up', async () => {
    const email = uniqueEmail('throttled');
    let response: Response | undefined;
    // The server runs with the default LOGIN_MAX_FAILURES of 10; stop at the first 429 in case it is lower.
    for (let attempt = 0; attempt <= 10; attempt++) {
      response = await api('/api/auth/login', { method: 'POST', json: { email, password: 'wrong password' } });
      if (response.status === 429) break;
      expect(response.status).toBe(401);
      await response.body?.cancel();
    }
    expect(response!.status).toBe(429);
    await conforms('/api/auth/login', 'post', response!);
  });

  it('POST password-reset: 202, the same for an unknown email; 400, 413, 415, 429; 405 for GET', async () => {
    const email = uniqueEmail('forgot');
    await api('/api/auth/register', { method: 'POST', json: { name: 'Ada', email, password } });
    // The server runs with the default PASSWORD_RESET_MAX_PER_EMAIL of 3: the fourth for one email is a 429.
    const cases: [number, RequestInit & { json?: unknown }][] = [
      [202, { json: { email } }],
      [202, { json: { email: uniqueEmail('nobody') } }],
      [400, { json: { email: 'not-an-email' } }],
      [413, { json: { email: `${'x'.repeat(20 * 1024)}@example.com` } }],
      [415, { headers: asText, body: JSON.stringify({ email }) }],
      [202, { json: { email } }],
      [202, { json: { email } }],
      [429, { json: { email } }],
    ];
    for (const [status, init] of cases) {
      const response = await api('/api/auth/password-reset', { method: 'POST', ...init });
      expect(response.status).toBe(status);
      await conforms('/api/auth/password-reset', 'post', response);
    }
    await conforms('/api/auth/password-reset', 'get', await api('/api/auth/password-reset'));
  });

  it('POST logout: 204 clearing the cookie; 405 for GET', async () => {
    const response = await api('/api/auth/logout', { method: 'POST' });
    expect(response.status).toBe(204);
    expect(response.headers.get('set-cookie')).toMatch(/^token=; .*Max-Age=0/);
    await conforms('/api/auth/logout', 'post', response);
    await conforms('/api/auth/logout', 'get', await api('/api/auth/logout'));
  });

  it('POST refresh: 200 with the next pair, 401 for a spent token (which revokes the session), 400; 405 for GET', async () => {
    const account = await signUpOnServer();
    const renewed = await api('/api/auth/refresh', { method: 'POST', json: { refreshToken: account.refreshToken } });
    expect(renewed.status).toBe(200);
    await conforms('/api/auth/refresh', 'post', renewed);
    // Past the grace period for a concurrent renewal, a spent token is reuse.
    await serverSql(`UPDATE sessions SET "rotatedAt" = "rotatedAt" - interval '1 minute' WHERE "userId" = $1`, [
      account.id,
    ]);
    const spent = await api('/api/auth/refresh', { method: 'POST', json: { refreshToken: account.refreshToken } });
    expect(spent.status).toBe(401);
    await conforms('/api/auth/refresh', 'post', spent);
    const malformed = await api('/api/auth/refresh', { method: 'POST', json: { token: 'x' } });
    expect(malformed.status).toBe(400);
    await conforms('/api/auth/refresh', 'post', malformed);
    await conforms('/api/auth/refresh', 'get', await api('/api/auth/refresh'));
  });

  it('GET, DELETE sessions and DELETE sessions/{id}: 200, 204, 404, 400', async () => {
    const account = await signUpOnServer();
    const headers = { authorization: `Bearer ${account.token}` };
    const listed = await api('/api/auth/sessions', { headers });
    expect(listed.status).toBe(200);
    const [session] = (await conforms('/api/auth/sessions', 'get', listed)) as { id: string; current: boolean }[];
    expect(session).toMatchObject({ current: true });
    const path = '/api/auth/sessions/{id}';
    for (const [id, status] of [
      ['not-a-uuid', 400],
      [crypto.randomUUID(), 404],
      [session!.id, 204],
    ] as const) {
      const response = await api(`/api/auth/sessions/${id}`, { method: 'DELETE', headers });
      expect(response.status, id).toBe(status);
      await conforms(path, 'delete', response);
    }
    // Its own session is gone: a write with its token is refused, as DELETE /api/auth/sessions is.
    const all = await api('/api/auth/sessions', { method: 'DELETE', headers });
    expect(all.status).toBe(401);
    await conforms('/api/auth/sessions', 'delete', all);
    const other = await signUpOnServer();
    const everywhere = await api('/api/auth/sessions', {
      method: 'DELETE',
      headers: { authorization: `Bearer ${other.token}` },
    });
    expect(everywhere.status).toBe(204);
    await conforms('/api/auth/sessions', 'delete', everywhere);
  });

  it('GET me: 200, 401 without a token, 404 once the user is gone; 405 for POST', async () => {
    const { id } = await createUser();
    const me = await bearer(id);
    await conforms('/api/auth/me', 'get', await api('/api/auth/me', { headers: me }));
    const anonymous = await api('/api/auth/me');
    expect(anonymous.status).toBe(401);
    await conforms('/api/auth/me', 'get', anonymous);
    const gone = await api('/api/auth/me', { headers: await bearer(missingId) });
    expect(gone.status).toBe(404);
    await conforms('/api/auth/me', 'get', gone);
    const refused = await api('/api/auth/me', { method: 'POST', headers: me });
    expect(refused.status).toBe(405);
    await conforms('/api/auth/me', 'post', refused);
  });
});

describe('one-time links', () => {
  it('POST /api/users/{id}/invitation: 201, 400, 401, 403, 404, and 405 for GET', async () => {
    const { id } = await createUser();
    const path = '/api/users/{id}/invitation';
    for (const [url, status, headers] of [
      [`/api/users/${id}/invitation`, 201, admin],
      ['/api/users/abc/invitation', 400, admin],
      [`/api/users/${id}/invitation`, 401, {}],
      [`/api/users/${id}/invitation`, 403, await bearer(1)],
      [`/api/users/${missingId}/invitation`, 404, admin],
    ] as const) {
      const response = await api(url, { method: 'POST', headers });
      expect(response.status, `${url} ${status}`).toBe(status);
      await conforms(path, 'post', response);
    }
    await conforms(path, 'get', await api(`/api/users/${id}/invitation`, { headers: admin }));
  });

  it('POST /api/auth/invitation: 200, then 410 for the spent link; 400, 404 and 415', async () => {
    const created = await api('/api/users', {
      method: 'POST',
      headers: admin,
      json: { name: 'Invited', email: uniqueEmail('contract') },
    });
    const { invitation } = (await conforms('/api/users', 'post', created)) as { invitation: { url: string } };
    const token = new URL(invitation.url).pathname.split('/').at(-1)!;
    const cases: [number, RequestInit & { json?: unknown }][] = [
      [200, { json: { token, password: 'a long enough password' } }],
      [410, { json: { token, password: 'a long enough password' } }],
      [400, { json: { token, password: 'short' } }],
      [404, { json: { token: 'no-such-token', password: 'a long enough password' } }],
      [415, { headers: asText, body: JSON.stringify({ token, password: 'a long enough password' }) }],
    ];
    for (const [status, init] of cases) {
      const response = await api('/api/auth/invitation', { method: 'POST', ...init });
      expect(response.status, String(status)).toBe(status);
      await conforms('/api/auth/invitation', 'post', response);
    }
  });
});
