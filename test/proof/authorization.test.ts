// The OWASP API Security Top 10 (2023) items that apply to this API, against the production build over HTTP.
// Sign-ins cost 130 ms of PBKDF2 each at the production iteration count, so this file uses few of them.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { median } from '@/test/support/statistics.ts';
import { queryDb } from '@/test/support/proof/database.ts';
import { FigureSheet } from '@/test/support/proof/figures.ts';
import { bearer, header, jsonType, send, type RawRequest, type RawResponse } from '@/test/support/proof/raw-http.ts';
import { sendChecked } from '@/test/support/proof/invariants.ts';
import { sharedAdminToken, tokenSet, type TokenSet } from '@/test/support/proof/tokens.ts';

const place = inject('proofDb');
const seed = inject('proofSeed');
const TIME_BOUND_MS = 10_000;

const sheet = new FigureSheet('authorization');
let admin: [string, string];

interface User {
  id: number;
  name: string;
  email: string;
  role: string;
}

let counter = 0;
const email = (label: string) => `owasp-${label}-${seed}-${++counter}-${crypto.randomUUID().slice(0, 8)}@example.com`;

const call = (
  method: string,
  path: string,
  init: { json?: unknown; headers?: [string, string][]; body?: string } = {},
): Promise<RawResponse> => {
  const request: RawRequest = {
    method,
    path,
    headers: [...(init.headers ?? []), ...(init.json === undefined ? [] : [jsonType])],
    body: init.json === undefined ? init.body : JSON.stringify(init.json),
    timeoutMs: TIME_BOUND_MS * 2,
  };
  return sendChecked(sheet, request, { timeBoundMs: TIME_BOUND_MS });
};

const json = <T>(response: RawResponse) => JSON.parse(response.body) as T;

async function createUser(label: string): Promise<User> {
  const response = await call('POST', '/api/users', {
    headers: [admin],
    json: { name: `Owner ${label}`, email: email(label) },
  });
  expect(response.status).toBe(201);
  return json<User>(response);
}

async function readUser(id: number): Promise<User> {
  const response = await call('GET', `/api/users/${id}`, { headers: [admin] });
  expect(response.status).toBe(200);
  return json<User>(response);
}

function expectProblem(response: RawResponse, status: number): void {
  expect(response.status, response.body).toBe(status);
  expect(header(response, 'content-type')).toBe('application/problem+json');
  expect(json<{ status: number }>(response).status).toBe(status);
}

let alice: User;
let bob: User;
let aliceToken: [string, string];

/** A user who signed up, so has a live session: writes are authorised against it in the database. */
async function signUp(label: string): Promise<{ user: User; token: string }> {
  const response = await call('POST', '/api/auth/register', {
    json: { name: `Owner ${label}`, email: email(label), password: `pw-${crypto.randomUUID()}` },
  });
  expect(response.status).toBe(201);
  return json<{ user: User; token: string }>(response);
}

beforeAll(async () => {
  admin = bearer(await sharedAdminToken());
  const signedUp = await signUp('alice');
  alice = signedUp.user;
  bob = await createUser('bob');
  aliceToken = bearer(signedUp.token);
});

afterAll(() => sheet.save());

describe('API1:2023 Broken Object Level Authorization', () => {
  it("refuses a user's PATCH of another user's record with 403 and leaves it unchanged", async () => {
    const before = await readUser(bob.id);
    expectProblem(
      await call('PATCH', `/api/users/${bob.id}`, { headers: [aliceToken], json: { name: 'Hijacked' } }),
      403,
    );
    expectProblem(
      await call('PATCH', `/api/users/${bob.id}`, { headers: [aliceToken], json: { email: email('stolen') } }),
      403,
    );
    expect(await readUser(bob.id)).toEqual(before);
  });

  it("refuses a user's DELETE of another user's record with 403 and keeps it", async () => {
    expectProblem(await call('DELETE', `/api/users/${bob.id}`, { headers: [aliceToken] }), 403);
    expect((await readUser(bob.id)).id).toBe(bob.id);
  });

  it('lets a user change their own record (the control case)', async () => {
    const response = await call('PATCH', `/api/users/${alice.id}`, {
      headers: [aliceToken],
      json: { name: 'Alice Renamed' },
    });
    expect(response.status).toBe(200);
    expect(json<User>(response).name).toBe('Alice Renamed');
  });
});

describe('API2:2023 Broken Authentication', () => {
  let tokens: TokenSet;
  beforeAll(async () => {
    tokens = await tokenSet(alice.id);
  });

  it.each([
    'expired',
    'wrongSecret',
    'algNone',
    'tampered',
    'roleSwapped',
    'unknownRole',
    'noExp',
    'oversized',
  ] as const)('refuses a %s token with 401 and a Bearer challenge', async (kind) => {
    for (const path of ['/api/auth/me', `/api/users/${alice.id}`]) {
      const response = await call('GET', path, { headers: [bearer(tokens[kind])] });
      expectProblem(response, 401);
      expect(header(response, 'www-authenticate')).toMatch(/^Bearer/);
    }
    expectProblem(await call('DELETE', `/api/users/${bob.id}`, { headers: [bearer(tokens[kind])] }), 401);
  });

  it('refuses requests with no token, a non-Bearer scheme, or a forged session cookie', async () => {
    expectProblem(await call('GET', '/api/auth/me'), 401);
    expectProblem(await call('GET', '/api/auth/me', { headers: [['authorization', 'Basic YWRtaW46YWRtaW4=']] }), 401);
    expectProblem(await call('GET', '/api/auth/me', { headers: [['cookie', `token=${tokens.algNone}`]] }), 401);
  });

  it('answers 429 with Retry-After once an email has used its 10 sign-in attempts, counted in the database', async () => {
    const address = email('brute');
    const password = `right-${crypto.randomUUID()}`;
    const registered = await call('POST', '/api/auth/register', {
      json: { name: 'Brute Target', email: address, password },
    });
    expect(registered.status).toBe(201);
    const hashedMs: number[] = [];
    for (let attempt = 1; attempt <= 10; attempt++) {
      const refused = await call('POST', '/api/auth/login', { json: { email: address, password: `wrong-${attempt}` } });
      expectProblem(refused, 401);
      hashedMs.push(refused.ms);
    }
    // No trusted proxy in front of this server: the count is the account's from this socket address.
    const attempts = await queryDb<{ hits: string }>(
      place,
      'SELECT hits::text FROM rate_limits WHERE starts_with(key, $1)',
      [`sign-in:${address}:`],
    );
    expect(attempts.map(({ hits }) => hits)).toEqual(['10']);
    // Even the right password is refused now: the limit holds before any hashing.
    const throttled = await call('POST', '/api/auth/login', { json: { email: address, password } });
    expectProblem(throttled, 429);
    const retryAfter = Number(header(throttled, 'retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    // Relative to this machine's own hashing time, not to a fixed figure a loaded machine could miss.
    expect(throttled.ms).toBeLessThan(median(hashedMs));
  });
});

describe('API3:2023 Broken Object Property Level Authorization', () => {
  it("refuses a user's PATCH of their own role with 403 and keeps the role", async () => {
    expectProblem(
      await call('PATCH', `/api/users/${alice.id}`, { headers: [aliceToken], json: { role: 'admin' } }),
      403,
    );
    expect((await readUser(alice.id)).role).toBe('user');
  });

  it('refuses unknown fields (mass assignment) with 400 naming each', async () => {
    const attempts: [string, string, [string, string], Record<string, unknown>][] = [
      [
        'POST',
        '/api/users',
        admin,
        { name: 'Mass', email: email('mass'), passwordHash: 'pbkdf2-sha256$1$AA$AA', id: 1 },
      ],
      [
        'PATCH',
        `/api/users/${alice.id}`,
        aliceToken,
        { name: 'Mass', isAdmin: true, createdAt: '2000-01-01T00:00:00Z' },
      ],
      [
        'POST',
        '/api/auth/register',
        ['x-none', '1'],
        { name: 'Mass', email: email('mass'), password: 'long-enough-password', role: 'admin' },
      ],
    ];
    for (const [method, path, auth, body] of attempts) {
      const response = await call(method, path, { headers: [auth], json: body });
      expectProblem(response, 400);
      const fields = json<{ errors: { field: string; message: string }[] }>(response).errors.filter(
        ({ message }) => message === 'Unknown field',
      );
      expect(fields.length).toBeGreaterThan(0);
    }
    expect((await readUser(alice.id)).role).toBe('user');
  });

  it('never sends a password hash, in any response that carries a user', async () => {
    const address = email('hash');
    const password = `secret-${crypto.randomUUID()}`;
    const responses = [
      await call('POST', '/api/auth/register', { json: { name: 'Hash Holder', email: address, password } }),
      await call('POST', '/api/auth/login', { json: { email: address, password } }),
    ];
    const { user, token } = json<{ user: User; token: string }>(responses[1]!);
    responses.push(
      await call('GET', '/api/auth/me', { headers: [bearer(token)] }),
      await call('GET', `/api/users/${user.id}`, { headers: [admin] }),
      await call('GET', `/api/users?limit=100&cursor=${user.id - 1}`, { headers: [admin] }),
      await call('PATCH', `/api/users/${user.id}`, { headers: [bearer(token)], json: { name: 'Still No Hash' } }),
    );
    for (const response of responses) {
      expect(response.status).toBeLessThan(300);
      expect(response.body).not.toMatch(/passwordHash|pbkdf2-sha256\$/);
    }
  });
});

describe('API4:2023 Unrestricted Resource Consumption', () => {
  it('refuses a body over 16 KiB with 413, declared or streamed without a length', async () => {
    const big = JSON.stringify({ name: 'n'.repeat(17 * 1024), email: email('big') });
    expectProblem(await call('POST', '/api/users', { headers: [admin], json: JSON.parse(big) }), 413);
    expectProblem(
      await call('POST', '/api/users', { headers: [admin, jsonType, ['transfer-encoding', 'chunked']], body: big }),
      413,
    );
  });

  it('answers 413 to bodies from 64 KiB to 32 MiB, declared or streamed, and keeps serving', async () => {
    for (const size of [64 * 1024, 1024 * 1024, 8 * 1024 * 1024, 32 * 1024 * 1024]) {
      const body = `{"name":"${'n'.repeat(size)}"}`;
      const declared = await Promise.all(
        Array.from({ length: 2 }, () => call('POST', '/api/users', { headers: [admin, jsonType], body })),
      );
      for (const response of declared) expectProblem(response, 413);
      const chunked = await call('POST', '/api/users', {
        headers: [admin, jsonType, ['transfer-encoding', 'chunked']],
        body,
      });
      expectProblem(chunked, 413);
    }
    expect((await call('GET', '/api/hello')).status).toBe(200);
  });

  it('refuses a page size over 100 with 400', async () => {
    for (const limit of ['101', '1000', '100000'])
      expectProblem(await call('GET', `/api/users?limit=${limit}`, { headers: [admin] }), 400);
    const page = await call('GET', '/api/users?limit=100', { headers: [admin] });
    expect(page.status).toBe(200);
    expect(json<User[]>(page).length).toBeLessThanOrEqual(100);
  });

  it('refuses a token over 4 KB with 401', async () => {
    expectProblem(await call('GET', '/api/auth/me', { headers: [bearer((await tokenSet(alice.id)).oversized)] }), 401);
    expectProblem(await call('GET', '/api/auth/me', { headers: [bearer(`${'a'.repeat(4097)}`)] }), 401);
  });

  it('refuses a password over 128 characters with 400, before spending any time hashing it', async () => {
    const long = 'p'.repeat(129);
    const victim = email('long-victim');
    expect(
      (await call('POST', '/api/auth/register', { json: { name: 'Long', email: victim, password: 'p'.repeat(128) } }))
        .status,
    ).toBe(201);
    // Alternating with sign-ins that hash (a wrong password of the longest allowed length), measured alike.
    const refusedMs: number[] = [];
    const hashedMs: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (const path of ['/api/auth/register', '/api/auth/login']) {
        const response = await call('POST', path, { json: { name: 'Long', email: email('long'), password: long } });
        expectProblem(response, 400);
        refusedMs.push(response.ms);
      }
      const hashed = await call('POST', '/api/auth/login', { json: { email: victim, password: 'q'.repeat(128) } });
      expectProblem(hashed, 401);
      hashedMs.push(hashed.ms);
    }
    expect(median(refusedMs)).toBeLessThan(median(hashedMs));
  });
});

describe('API5:2023 Broken Function Level Authorization', () => {
  it("refuses a user's POST /api/users with 403, whatever identity headers they add", async () => {
    expectProblem(
      await call('POST', '/api/users', { headers: [aliceToken], json: { name: 'Sneaky', email: email('sneaky') } }),
      403,
    );
    expectProblem(
      await call('POST', '/api/users', {
        headers: [aliceToken, ['x-user-role', 'admin'], ['x-user-id', '2000000000']],
        json: { name: 'Sneaky', email: email('sneaky') },
      }),
      403,
    );
  });

  it('refuses an anonymous POST /api/users with 401 and a user changing roles of others with 403', async () => {
    expectProblem(await call('POST', '/api/users', { json: { name: 'Anon', email: email('anon') } }), 401);
    expectProblem(await call('PATCH', `/api/users/${bob.id}`, { headers: [aliceToken], json: { role: 'admin' } }), 403);
    expect((await readUser(bob.id)).role).toBe('user');
  });
});

describe('API8:2023 Security Misconfiguration', () => {
  it('sends the security headers on successes and errors, and no X-Powered-By', async () => {
    const responses = [
      await call('GET', '/api/hello'),
      await call('GET', '/api/users'),
      await call('GET', `/api/users/${alice.id}`, { headers: [admin] }),
      await call('POST', '/api/users', { headers: [admin], body: '{not json', json: undefined }),
    ];
    for (const response of responses) {
      expect(header(response, 'strict-transport-security')).toMatch(/max-age=\d+/);
      expect(header(response, 'x-content-type-options')).toBe('nosniff');
      expect(header(response, 'referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(header(response, 'content-security-policy')).toMatch(/default-src 'none'/);
      expect(header(response, 'x-powered-by')).toBeUndefined();
    }
  });

  it('grants CORS to the configured origin only, and refuses a preflight from any other', async () => {
    const unknown = await call('GET', '/api/hello', { headers: [['origin', 'https://evil.example']] });
    expect(header(unknown, 'access-control-allow-origin')).toBeUndefined();
    const allowed = await call('GET', '/api/hello', { headers: [['origin', 'https://app.example.com']] });
    expect(header(allowed, 'access-control-allow-origin')).toBe('https://app.example.com');

    const preflight = (origin: string) =>
      call('OPTIONS', '/api/users', {
        headers: [
          ['origin', origin],
          ['access-control-request-method', 'POST'],
          ['access-control-request-headers', 'authorization'],
        ],
      });
    const refused = await preflight('https://evil.example');
    expectProblem(refused, 403);
    expect(header(refused, 'access-control-allow-origin')).toBeUndefined();
    const granted = await preflight('https://app.example.com');
    expect(granted.status).toBe(204);
    expect(header(granted, 'access-control-allow-origin')).toBe('https://app.example.com');
  });

  it('leaks no stack trace, file path or database error in error answers', async () => {
    // sendChecked fails the test on any such leak; these are the inputs most likely to cause one.
    const responses = [
      await call('POST', '/api/users', { headers: [admin, jsonType], body: '{"name":' }),
      await call('POST', '/api/users', { headers: [admin], json: { name: 'a\u0000b', email: email('nul') } }),
      await call('GET', '/api/users/99999999999', { headers: [admin] }),
      await call('GET', '/api/users?cursor=-1', { headers: [admin] }),
      await call('PATCH', `/api/users/${alice.id}`, {
        headers: [aliceToken, ['content-type', 'text/plain']],
        body: 'x',
      }),
      await call('PROPFIND', '/api/users', { headers: [admin] }),
      await call('GET', '/api/users/%E0%A4%A', { headers: [admin] }),
    ];
    for (const response of responses) expect(response.status).toBeGreaterThanOrEqual(400);
  });

  it('does not echo a TRACE request', async () => {
    const response = await send({
      method: 'TRACE',
      path: '/api/hello',
      headers: [admin, ['x-trace-marker', 'echo-me']],
    });
    sheet.add({ requests: 1 });
    expect(response.status).not.toBe(200);
    expect(response.body).not.toContain('echo-me');
    expect(response.body).not.toMatch(/\n\s+at |node_modules/);
    expect(response.status).toBe(405);
    expect((await call('GET', '/api/hello')).status).toBe(200);
  });
});
