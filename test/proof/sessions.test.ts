// Each attack on sessions, authority and sign-in, replayed against the production build over HTTP: sign-out,
// demotion and deletion take effect on the next write; throttling cannot be raced or turned against the owner;
// hashing is bounded; and the smaller holes (open redirect, logout CSRF, caching, forwarded headers, methods).
import { afterAll, describe, expect, inject, it } from 'vitest';
import { FigureSheet } from '@/test/support/proof/figures.ts';
import { bearer, header, jsonType, send, type RawResponse } from '@/test/support/proof/raw-http.ts';
import { adminOnServer, serverSql, sharedAdmin, signUpOnServer } from '@/test/support/over-http/server-admin.ts';

const platform = inject('platformBaseUrl');
const sheet = new FigureSheet('sessions');
afterAll(() => sheet.save());

interface CallInit {
  json?: unknown;
  /** A body sent as it is (with `json`, the JSON text instead). */
  body?: string;
  headers?: [string, string][];
  base?: string;
}

const call = (method: string, path: string, { json, body, headers = [], base }: CallInit = {}) =>
  send({
    method,
    path,
    base,
    headers: [...headers, ...(json === undefined ? [] : [jsonType])],
    body: json === undefined ? body : JSON.stringify(json),
    timeoutMs: 30_000,
  });

const body = <T>(response: RawResponse) => JSON.parse(response.body) as T;

function expectProblem(response: RawResponse, status: number) {
  expect(response.status, response.body).toBe(status);
  expect(header(response, 'content-type')).toBe('application/problem+json');
  expect(body<{ status: number }>(response).status).toBe(status);
}

const setCookies = (response: RawResponse) => (response.headers['set-cookie'] as string[] | undefined) ?? [];
const email = (label: string) => `attack-${label}-${crypto.randomUUID()}@example.com`;
const newUser = (token: string) =>
  call('POST', '/api/users', { headers: [bearer(token)], json: { name: 'Created', email: email('created') } });

describe('sign-out, demotion and deletion take effect on the next write', () => {
  it('refuses a demoted admin who PATCHes their own record back to admin with their unexpired token', async () => {
    const [demoted, other] = await Promise.all([adminOnServer('Demoted'), adminOnServer('Other')]);
    const demotion = await call('PATCH', `/api/users/${demoted.id}`, {
      headers: [bearer(other.token)],
      json: { role: 'user' },
    });
    expect(demotion.status).toBe(200);
    expectProblem(
      await call('PATCH', `/api/users/${demoted.id}`, { headers: [bearer(demoted.token)], json: { role: 'admin' } }),
      403,
    );
    expectProblem(await newUser(demoted.token), 401);
    const [row] = await serverSql('SELECT role::text FROM users WHERE id = $1', [demoted.id]);
    expect(row).toEqual({ role: 'user' });
  });

  it('refuses an admin demoted behind its back (session still live) with 403 on every admin write', async () => {
    const admin = await adminOnServer('Quietly demoted');
    await serverSql(`UPDATE users SET role = 'user' WHERE id = $1`, [admin.id]);
    expectProblem(await newUser(admin.token), 403);
    const victim = await signUpOnServer('Victim');
    expectProblem(await call('DELETE', `/api/users/${victim.id}`, { headers: [bearer(admin.token)] }), 403);
  });

  it("refuses a deleted user's unexpired admin token when it creates users", async () => {
    const [doomed, other] = await Promise.all([adminOnServer('Doomed'), sharedAdmin()]);
    expect((await call('DELETE', `/api/users/${doomed.id}`, { headers: [bearer(other.token)] })).status).toBe(204);
    expectProblem(await newUser(doomed.token), 401);
  });

  it('stops a copied token at sign-out: the refresh token at once, writes at once, reads within 5 minutes', async () => {
    const account = await signUpOnServer('Signs out', {}, platform);
    const copied = { token: account.token, refreshToken: account.refreshToken };
    expect((await call('POST', '/api/auth/logout', { headers: [bearer(account.token)], base: platform })).status).toBe(
      204,
    );
    expectProblem(
      await call('POST', '/api/auth/refresh', { json: { refreshToken: copied.refreshToken }, base: platform }),
      401,
    );
    expectProblem(
      await call('PATCH', `/api/users/${account.id}`, {
        headers: [bearer(copied.token)],
        json: { name: 'Still me' },
        base: platform,
      }),
      401,
    );
    // Reads trust the token for the rest of its life, which is 300 s on a server left at the defaults.
    const { iat, exp } = JSON.parse(Buffer.from(copied.token.split('.')[1]!, 'base64url').toString()) as {
      iat: number;
      exp: number;
    };
    expect(exp - iat).toBe(300);
  });

  it('revokes the whole session when a spent refresh token is replayed (a stolen copy used after the owner)', async () => {
    const account = await signUpOnServer('Robbed');
    const renewed = await call('POST', '/api/auth/refresh', { json: { refreshToken: account.refreshToken } });
    expect(renewed.status).toBe(200);
    const owner = body<{ refreshToken: string }>(renewed);
    await serverSql(`UPDATE sessions SET "rotatedAt" = "rotatedAt" - interval '1 minute' WHERE "userId" = $1`, [
      account.id,
    ]);
    expectProblem(await call('POST', '/api/auth/refresh', { json: { refreshToken: account.refreshToken } }), 401);
    expectProblem(await call('POST', '/api/auth/refresh', { json: { refreshToken: owner.refreshToken } }), 401);
  });

  it('refuses the last admin deleting themselves, or anyone demoting them, with 409', async () => {
    const last = await adminOnServer('Last admin');
    const others = await serverSql(`UPDATE users SET role = 'user' WHERE role = 'admin' AND id <> $1 RETURNING id`, [
      last.id,
    ]);
    try {
      const deleted = await call('DELETE', `/api/users/${last.id}`, { headers: [bearer(last.token)] });
      expectProblem(deleted, 409);
      expectProblem(
        await call('PATCH', `/api/users/${last.id}`, { headers: [bearer(last.token)], json: { role: 'user' } }),
        403,
      );
      const [row] = await serverSql('SELECT count(*)::int AS admins FROM users WHERE role = $1', ['admin']);
      expect(row).toEqual({ admins: 1 });
    } finally {
      const ids = others.map((row) => Number(row.id));
      if (ids.length)
        await serverSql(`UPDATE users SET role = 'admin' WHERE id = ANY($1::int[])`, [`{${ids.join(',')}}`]);
    }
  });
});

describe('sign-in throttling', () => {
  it("cannot be turned against the admin: a stranger's ten wrong passwords leave the admin free to sign in from elsewhere", async () => {
    const admin = await signUpOnServer('Admin elsewhere', { 'x-real-ip': '192.0.2.1' }, platform);
    const stranger: [string, string] = ['x-real-ip', '203.0.113.7'];
    for (let attempt = 0; attempt < 10; attempt++) {
      const guess = await call('POST', '/api/auth/login', {
        json: { email: admin.email, password: `guess-${attempt}` },
        headers: [stranger],
        base: platform,
      });
      expectProblem(guess, 401);
    }
    expectProblem(
      await call('POST', '/api/auth/login', {
        json: { email: admin.email, password: 'guess' },
        headers: [stranger],
        base: platform,
      }),
      429,
    );
    const owner = await call('POST', '/api/auth/login', {
      json: { email: admin.email, password: admin.password },
      headers: [['x-real-ip', '198.51.100.20']],
      base: platform,
    });
    expect(owner.status).toBe(200);
  });

  it('checks no more than 10 of 30 parallel wrong guesses for one email', async () => {
    const target = await signUpOnServer('Parallel target');
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, attempt) =>
        call('POST', '/api/auth/login', { json: { email: target.email, password: `guess-${attempt}` } }),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    sheet.note(`30 parallel guesses: ${statuses.filter((status) => status === 401).length} checked`);
    expect(statuses.filter((status) => status === 401)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(20);
  });

  it('rate-limits registration per client address', async () => {
    const crowd: [string, string] = ['x-real-ip', `203.0.113.${Math.floor(Math.random() * 200) + 20}`];
    const register = () =>
      call('POST', '/api/auth/register', {
        json: { name: 'Crowd', email: email('crowd'), password: 'long enough password' },
        headers: [crowd],
        base: platform,
      });
    for (let count = 0; count < 20; count++) expect((await register()).status).toBe(201);
    const refused = await register();
    expectProblem(refused, 429);
    expect(Number(header(refused, 'retry-after'))).toBeGreaterThan(0);
  });
});

describe('bounded hashing', () => {
  it('answers a flood of 16 concurrent sign-ins beyond the hashing slots with 503 + Retry-After, and keeps serving', async () => {
    const flood = Array.from({ length: 16 }, (_, index) =>
      call('POST', '/api/auth/login', {
        json: { email: email('flood'), password: 'guess' },
        headers: [['x-real-ip', `198.18.0.${index + 1}`]],
        base: platform,
      }),
    );
    // Warm first: the first request to a route compiles its function, which is not what is measured here.
    expect((await call('GET', '/api/hello', { base: platform })).status).toBe(200);
    const hello = call('GET', '/api/hello', { base: platform });
    const [answers, greeting] = await Promise.all([Promise.all(flood), hello]);
    expect(greeting.status).toBe(200);
    const busy = answers.filter((answer) => answer.status === 503);
    expect(busy.length).toBeGreaterThan(0);
    for (const answer of busy) {
      expectProblem(answer, 503);
      expect(header(answer, 'retry-after')).toBe('1');
    }
    expect(answers.every((answer) => answer.status === 401 || answer.status === 503)).toBe(true);
    sheet.note(
      `hashing flood: ${busy.length} of 16 answered 503; /api/hello took ${Math.round(greeting.ms)} ms meanwhile`,
    );
  });
});

describe('the smaller holes', () => {
  it.each(['%2F.%2F%2Fevil.example', '/..//evil.example', '/%2e//evil.example', '//evil.example', '/\\evil.example'])(
    'never redirects a signed-in user to another site from /login?next=%s',
    async (next) => {
      const account = await signUpOnServer('Redirected');
      const response = await call('GET', `/login?next=${next}`, { headers: [['cookie', `token=${account.token}`]] });
      expect(response.status).toBe(307);
      const location = header(response, 'location')!;
      expect(new URL(location, 'http://site.example').origin).toBe('http://site.example');
      expect(location).not.toMatch(/^\/[/\\]/);
    },
  );

  it('refuses a cross-site POST /api/auth/logout with 403, clearing no cookie and revoking nothing', async () => {
    const account = await signUpOnServer('Logout CSRF');
    const response = await call('POST', '/api/auth/logout', {
      headers: [
        ['cookie', `token=${account.token}; refresh=${account.refreshToken}`],
        ['origin', 'https://evil.example'],
        ['sec-fetch-site', 'cross-site'],
      ],
    });
    expectProblem(response, 403);
    expect(setCookies(response)).toEqual([]);
    expect((await call('POST', '/api/auth/refresh', { json: { refreshToken: account.refreshToken } })).status).toBe(
      200,
    );
  });

  it('sends Cache-Control: no-store on authenticated and auth responses, errors included', async () => {
    const account = await signUpOnServer('Uncached');
    const responses = [
      await call('GET', '/api/auth/me', { headers: [bearer(account.token)] }),
      await call('GET', '/api/users', { headers: [bearer(account.token)] }),
      await call('GET', `/api/users/${account.id}`, { headers: [bearer(account.token)] }),
      await call('GET', '/api/auth/sessions', { headers: [bearer(account.token)] }),
      await call('GET', '/api/users'),
      await call('POST', '/api/auth/login', { json: { email: account.email, password: account.password } }),
      await call('POST', '/api/auth/login', { json: { email: account.email, password: 'wrong password' } }),
      await call('POST', '/api/auth/refresh', { json: { refreshToken: 'x' } }),
      await call('POST', '/api/auth/logout'),
    ];
    for (const response of responses) expect(header(response, 'cache-control'), response.body).toBe('no-store');
  });

  it('lets a client-sent X-Forwarded-Host or X-Forwarded-Proto decide neither Location, Link nor the cookie name', async () => {
    const forged: [string, string][] = [
      ['x-forwarded-host', 'evil.example'],
      ['x-forwarded-proto', 'https'],
    ];
    const account = await signUpOnServer('Forwarded', Object.fromEntries(forged));
    const signIn = await call('POST', '/api/auth/login', {
      json: { email: account.email, password: account.password },
      headers: forged,
    });
    expect(setCookies(signIn)[0]).toMatch(/^token=/);
    const created = await newUser((await sharedAdmin()).token);
    expect(created.status).toBe(201);
    const page = await call('GET', '/api/users?limit=1', { headers: [bearer(account.token), ...forged] });
    expect(header(page, 'link')).not.toMatch(/evil\.example|https:/);
    const located = await call('POST', '/api/users', {
      headers: [bearer((await sharedAdmin()).token), ...forged],
      json: { name: 'Located', email: email('located') },
    });
    expect(header(located, 'location')).not.toMatch(/evil\.example|https:/);
  });

  it('refuses a cross-origin Server Action post in the middleware with a 403 problem', async () => {
    const response = await call('POST', '/login', {
      headers: [
        ['next-action', '7f0000000000000000000000000000000000000000'],
        ['origin', 'https://evil.example'],
        ['content-type', 'text/plain;charset=UTF-8'],
      ],
    });
    expectProblem(response, 403);
  });

  it.each(['/login', '/signup', '/invite/some-token', '/users', '/account'])(
    'refuses a cross-origin form posted to %s without JavaScript (action id in the body) with a 403 problem, not a 500',
    async (path) => {
      const account = await signUpOnServer('Form CSRF');
      for (const cookie of [[], [['cookie', `token=${account.token}`] as [string, string]]]) {
        const response = await call('POST', path, {
          headers: [
            ['content-type', 'application/x-www-form-urlencoded'],
            ['origin', 'https://evil.example'],
            ['sec-fetch-site', 'cross-site'],
            ...cookie,
          ],
          body: '%24ACTION_ID_7f0000000000000000000000000000000000000000=&email=a%40example.com',
        });
        expectProblem(response, 403);
        expect(body<{ code: string }>(response).code).toBe('cross_origin');
      }
    },
  );

  it('does not spend the refresh cookie on a same-site, other-origin POST it would refuse (no renewal, no reuse)', async () => {
    const account = await signUpOnServer('Sibling CSRF');
    const response = await call('POST', '/api/users', {
      headers: [
        ['cookie', `refresh=${account.refreshToken}`],
        ['origin', 'http://sibling.localhost'],
        ['sec-fetch-site', 'same-site'],
      ],
      json: { name: 'Planted', email: email('planted') },
    });
    expect([401, 403]).toContain(response.status);
    expect(setCookies(response)).toEqual([]);
    // Unspent: it renews as the newest generation (a new refresh token), not as a spent one inside its grace.
    const renewed = await call('POST', '/api/auth/refresh', { json: { refreshToken: account.refreshToken } });
    expect(renewed.status).toBe(200);
    expect(body<{ refreshToken?: string }>(renewed).refreshToken).toEqual(expect.any(String));
  });

  it.each(['/api/auth/login', '/api/users'])(
    'answers a POST %s whose Content-Length promises 1 GB but sends 20 bytes with 408 within seconds',
    async (path) => {
      const response = await send({
        method: 'POST',
        path,
        headers: [jsonType, ['content-length', '1000000000']],
        body: '{"email":"a@b.c","p',
        timeoutMs: 30_000,
      });
      expectProblem(response, 408);
      expect(body<{ code: string }>(response).code).toBe('request_timeout');
      expect(header(response, 'connection')).toBe('close');
      expect((await call('GET', '/api/hello')).status).toBe(200);
    },
  );

  it('answers TRACE with 405 and OPTIONS * with 400, as problems, without echoing anything', async () => {
    const trace = await call('TRACE', '/api/hello', { headers: [['x-trace-marker', 'echo-me']] });
    expectProblem(trace, 405);
    expect(header(trace, 'allow')).toBe('GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE');
    expect(trace.body).not.toContain('echo-me');
    expectProblem(await call('OPTIONS', '*'), 400);
    expect((await call('GET', '/api/hello')).status).toBe(200);
  });
});
