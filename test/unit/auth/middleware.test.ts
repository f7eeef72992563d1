// The edge gate (middleware.ts): who gets through, with which identity, and how everyone else is refused.
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { generateKeyPair, exportJWK } from 'jose';
import { NextRequest } from 'next/server';
import '@/test/support/in-process/database.ts';
import { gate } from '@/src/auth/gate.ts';
import { accessOf, API_ROUTES, METHODS, PUBLIC_PAGES, type ApiPath } from '@/src/http/access.ts';
import { apiRouteOf } from '@/src/http/public-paths.ts';
import { MAX_TOKEN_LENGTH } from '@/src/auth/tokens.ts';
import { config, middleware } from '@/middleware.ts';
import {
  claims,
  epochSeconds,
  handSigned,
  signed,
  unsigned,
  withHeader,
  withPayload,
  withTamperedSignature,
} from '@/test/support/forged-tokens.ts';
import { tokenFor } from '@/test/support/in-process/identities.ts';
import { expectProblem } from '@/test/support/problems.ts';

vi.hoisted(() => {
  // Before any module reads the settings: the one origin allowed to call the API from a browser.
  process.env.CORS_ORIGINS = 'https://app.example';
});

afterAll(() => {
  delete process.env.CORS_ORIGINS;
});

const SECRET = process.env.JWT_SECRET!;
const SITE = 'http://localhost:3000';
const SECURE_SITE = 'https://localhost:3000';
const ALLOWED_ORIGIN = 'https://app.example';
const EVIL_ORIGIN = 'https://evil.example';

interface GateRequest {
  method?: string;
  token?: string;
  cookie?: string;
  headers?: Record<string, string>;
  site?: string;
}

function call(path: string, { method = 'GET', token, cookie, headers = {}, site = SITE }: GateRequest = {}) {
  const all = new Headers(headers);
  if (token !== undefined) all.set('authorization', `Bearer ${token}`);
  if (cookie !== undefined) all.set('cookie', cookie);
  return gate(new NextRequest(new URL(path, site), { method, headers: all }));
}

async function expectInvalidToken(response: Response) {
  const problem = await expectProblem(response, 401);
  expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  expect(response.headers.get('x-middleware-next')).toBeNull();
  return problem;
}

/** NextResponse.next(): the request goes on to the route. */
function expectPassed(response: Response) {
  expect(response.status).toBe(200);
  expect(response.headers.get('x-middleware-next')).toBe('1');
}

/** What the route will see of a request header the gate forwarded; null when the gate removed it. */
function forwarded(response: Response, name: string): string | null {
  const overridden = response.headers.get('x-middleware-override-headers')?.split(',') ?? [];
  return overridden.includes(name) ? response.headers.get(`x-middleware-request-${name}`) : null;
}

function expectIdentity(response: Response, id: string, role: string) {
  expectPassed(response);
  expect(forwarded(response, 'x-user-id')).toBe(id);
  expect(forwarded(response, 'x-user-role')).toBe(role);
}

function expectNoIdentity(response: Response) {
  // Listed in the override set or not, the route must not receive these names from the client.
  expect(response.headers.get('x-middleware-override-headers')?.split(',')).not.toContain('x-user-id');
  expect(response.headers.get('x-middleware-request-x-user-id')).toBeNull();
  expect(response.headers.get('x-middleware-request-x-user-role')).toBeNull();
}

const spoofed = { 'x-user-id': '1', 'x-user-role': 'admin' };

/** A fixed instant, so expiry cases sit exactly where they mean to. */
const NOW = new Date('2030-06-01T12:00:00Z');
const now = epochSeconds(NOW.getTime());

describe('middleware', () => {
  it('is the gate, run for every path but static assets', async () => {
    const refused = await middleware(new NextRequest(new URL('/api/users', SITE)));
    await expectProblem(refused, 401);
    const matcher = new RegExp(`^${config.matcher[0]}$`);
    expect(matcher.test('/api/users')).toBe(true);
    expect(matcher.test('/login')).toBe(true);
    expect(matcher.test('/_next/static/chunk.js')).toBe(false);
    expect(matcher.test('/favicon.ico')).toBe(false);
  });

  describe('with a Bearer token on /api/users', () => {
    beforeEach(() => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(NOW);
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    const attackerKeys = () => generateKeyPair('RS256', { extractable: true });
    const rs256 = { alg: 'RS256', typ: 'JWT' } as const;

    /** What was forged, how, and what the 401 says (the generic message unless the claims parse but mean nothing). */
    const forgeries: [string, () => Promise<string> | string, RegExp?][] = [
      ['a token with alg none', () => unsigned(claims({}, now))],
      ['a token with alg "None" and no signature', () => unsigned(claims({}, now), { alg: 'None', typ: 'JWT' })],
      [
        'a valid token relabelled alg none, signature kept',
        async () => withHeader(await signed(claims({}, now), SECRET), { alg: 'none', typ: 'JWT' }),
      ],
      [
        'a token signed with the wrong secret',
        () => signed(claims({}, now), 'another-secret-that-is-also-32-bytes-long'),
      ],
      [
        'a payload tampered to role admin under the original signature',
        async () => withPayload(await signed(claims({}, now), SECRET), claims({ role: 'admin' }, now)),
      ],
      [
        'a payload tampered to another sub under the original signature',
        async () => withPayload(await signed(claims({}, now), SECRET), claims({ sub: '1' }, now)),
      ],
      ['a tampered signature', async () => withTamperedSignature(await signed(claims({}, now), SECRET))],
      [
        'a token expired 6 s ago, beyond the 5 s tolerance',
        () => signed(claims({ iat: now - 3606, exp: now - 6 }, now), SECRET),
        /has expired/,
      ],
      [
        'a token expired an hour ago',
        () => signed(claims({ iat: now - 7200, exp: now - 3600 }, now), SECRET),
        /has expired/,
      ],
      ['a token whose nbf is 6 s ahead, beyond the tolerance', () => signed(claims({ nbf: now + 6 }, now), SECRET)],
      ['a token from another issuer', () => signed(claims({ iss: 'https://evil.example' }, now), SECRET)],
      ['a token for another audience', () => signed(claims({ aud: 'another-api' }, now), SECRET)],
      ['a token with no sub', () => signed(claims({ sub: undefined }, now), SECRET)],
      ['a token with no exp', () => signed(claims({ exp: undefined }, now), SECRET)],
      ['a token with no iat', () => signed(claims({ iat: undefined }, now), SECRET)],
      ['a token whose exp is a string', () => signed(claims({ exp: String(now + 3600) }, now), SECRET)],
      ['a token with a non-numeric sub', () => signed(claims({ sub: 'abc' }, now), SECRET), /no valid subject/],
      [
        'a token whose sub is a JSON number, not a string',
        () => signed(claims({ sub: 42 }, now), SECRET),
        /no valid subject/,
      ],
      ['a token with sub 0', () => signed(claims({ sub: '0' }, now), SECRET), /no valid subject/],
      ['a token with a negative sub', () => signed(claims({ sub: '-1' }, now), SECRET), /no valid subject/],
      [
        'a token with a sub beyond 32 bits',
        () => signed(claims({ sub: '2147483648' }, now), SECRET),
        /no valid subject/,
      ],
      ['a token with a zero-padded sub', () => signed(claims({ sub: '042' }, now), SECRET), /no valid subject/],
      ['a token with an unknown role', () => signed(claims({ role: 'root' }, now), SECRET), /no valid role/],
      ['a token with the role as a list', () => signed(claims({ role: ['admin'] }, now), SECRET), /no valid role/],
      ['a token with no role', () => signed(claims({ role: undefined }, now), SECRET), /no valid role/],
      ['a token of typ at+jwt', () => signed(claims({}, now), SECRET, { alg: 'HS256', typ: 'at+jwt' })],
      ['a token with no typ', () => signed(claims({}, now), SECRET, { alg: 'HS256' })],
      ['an HS384 token with the right secret', () => signed(claims({}, now), SECRET, { alg: 'HS384', typ: 'JWT' })],
      ['an HS512 token with the right secret', () => signed(claims({}, now), SECRET, { alg: 'HS512', typ: 'JWT' })],
      [
        'an HS256 signature labelled HS512',
        () => handSigned({ alg: 'HS512', typ: 'JWT' }, claims({}, now), SECRET, 'HS256'),
      ],
      [
        "an RS256 token signed by an attacker's key while no JWKS is configured",
        async () => signed(claims({}, now), (await attackerKeys()).privateKey, rs256),
      ],
      [
        "a token embedding the attacker's key in a jwk header",
        async () => {
          const { privateKey, publicKey } = await attackerKeys();
          return signed(claims({}, now), privateKey, { ...rs256, jwk: await exportJWK(publicKey) });
        },
      ],
      [
        "a token pointing a jku header at the attacker's key set",
        async () =>
          signed(claims({}, now), (await attackerKeys()).privateKey, {
            ...rs256,
            jku: `${EVIL_ORIGIN}/jwks.json`,
            kid: 'evil',
          }),
      ],
      [
        'an HS256 token with a path-injection kid, signed with the bytes of an empty file',
        () =>
          handSigned(
            { alg: 'HS256', typ: 'JWT', kid: '../../../../../../dev/null' },
            claims({}, now),
            new Uint8Array(1),
          ),
      ],
      [
        `a validly signed token over ${MAX_TOKEN_LENGTH} characters`,
        async () => {
          const token = await signed(claims({ padding: 'x'.repeat(MAX_TOKEN_LENGTH) }, now), SECRET);
          expect(token.length).toBeGreaterThan(MAX_TOKEN_LENGTH);
          return token;
        },
        /too long/,
      ],
      ['the string "abc"', () => 'abc'],
      ['the two-part string "a.b"', () => 'a.b'],
      ['the four-part string "a.b.c.d"', () => 'a.b.c.d'],
      ['three empty segments', () => '..'],
      ['segments that are not base64url', () => '!!!.@@@.###'],
      [
        'a validly signed JSON array payload',
        () => handSigned({ alg: 'HS256', typ: 'JWT' }, [claims({}, now)], SECRET),
      ],
      ['a validly signed payload that is not JSON', () => handSigned({ alg: 'HS256', typ: 'JWT' }, 'not json', SECRET)],
      ['a header that is not JSON', () => `${btoa('{"alg":').replace(/=+$/, '')}.e30.AAAA`],
      ['a JWE-shaped five-part token', () => 'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..aGVsbG8.d29ybGQ.dGFn'],
    ];

    it.each(forgeries)('rejects %s with 401 invalid_token', async (_label, forge, detail = /invalid or expired/) => {
      const response = await call('/api/users', { token: await forge() });
      const problem = await expectInvalidToken(response);
      expect(problem.title).toBe('Unauthorized');
      expect(problem.detail).toMatch(detail);
    });

    it('accepts the untampered token each forgery starts from, signed by jose or by hand', async () => {
      expectIdentity(await call('/api/users', { token: await signed(claims({}, now), SECRET) }), '42', 'user');
      expectIdentity(
        await call('/api/users', { token: await handSigned({ alg: 'HS256', typ: 'JWT' }, claims({}, now), SECRET) }),
        '42',
        'user',
      );
    });

    it('accepts a token expired 2 s ago: within the 5 s clock tolerance', async () => {
      const token = await signed(claims({ iat: now - 3602, exp: now - 2 }, now), SECRET);
      expectIdentity(await call('/api/users', { token }), '42', 'user');
    });

    it('accepts a token whose nbf is 2 s ahead: within the 5 s clock tolerance', async () => {
      const token = await signed(claims({ nbf: now + 2 }, now), SECRET);
      expectIdentity(await call('/api/users', { token }), '42', 'user');
    });

    it('accepts the largest 32-bit sub', async () => {
      const token = await signed(claims({ sub: '2147483647', role: 'admin' }, now), SECRET);
      expectIdentity(await call('/api/users', { token }), '2147483647', 'admin');
    });

    it('accepts a lower-case bearer scheme (schemes are case-insensitive)', async () => {
      const token = await signed(claims({}, now), SECRET);
      expectIdentity(await call('/api/users', { headers: { authorization: `bearer ${token}` } }), '42', 'user');
    });

    it.each([
      ['an empty Bearer scheme', 'Bearer'],
      ['a Bearer scheme followed by spaces', 'Bearer    '],
      ['the Basic scheme', `Basic ${btoa('ada@example.com:correct horse battery')}`],
      ['a bare token with no scheme', 'eyJhbGciOiJIUzI1NiJ9.e30.sig'],
    ])('rejects %s with 401 invalid_token', async (_label, authorization) => {
      const problem = await expectInvalidToken(await call('/api/users', { headers: { authorization } }));
      expect(problem.detail).toMatch(/Bearer/);
    });
  });

  describe('identity', () => {
    it('forwards the verified token identity as x-user-id and x-user-role', async () => {
      const token = await tokenFor({ id: 7, role: 'admin' });
      expectIdentity(await call('/api/users', { token }), '7', 'admin');
    });

    it("replaces a client's spoofed x-user-id and x-user-role with the token's", async () => {
      const token = await tokenFor({ id: 7, role: 'user' });
      expectIdentity(await call('/api/users', { token, headers: spoofed }), '7', 'user');
    });

    it('forwards the other request headers unchanged', async () => {
      const token = await tokenFor({ id: 7, role: 'user' });
      const response = await call('/api/users', { token, headers: { accept: 'application/json' } });
      expect(forwarded(response, 'accept')).toBe('application/json');
    });

    it('drops spoofed identity headers on public paths too', async () => {
      const response = await call('/api/hello', { headers: spoofed });
      expectPassed(response);
      expectNoIdentity(response);
    });

    it('drops spoofed identity headers on /login too', async () => {
      const response = await call('/login', { headers: spoofed });
      expectPassed(response);
      expectNoIdentity(response);
    });
  });

  describe('without a token', () => {
    it.each(['/api/users', '/api/users/1', '/api/auth/me'])(
      'refuses %s with 401 and a bare Bearer challenge',
      async (path) => {
        const response = await call(path);
        const problem = await expectProblem(response, 401);
        expect(response.headers.get('www-authenticate')).toBe('Bearer');
        expect(problem.detail).toMatch(/Sign in/);
      },
    );

    /** Every method the declaration calls public, and every public page. */
    const publicRequests = [
      ...(Object.keys(API_ROUTES) as ApiPath[]).flatMap((path) =>
        METHODS.filter((method) => accessOf(path, method) === 'public').map((method) => [method, path]),
      ),
      ...PUBLIC_PAGES.flatMap((page) => [
        ['GET', page],
        ['POST', page],
      ]),
    ];

    it('has public API methods and pages to let through', () => {
      expect(publicRequests.length).toBeGreaterThanOrEqual(9);
    });

    it.each(publicRequests)('lets %s %s through', async (method, path) => {
      const response = await call(path, { method, headers: { origin: SITE } });
      expectPassed(response);
      expectNoIdentity(response);
    });

    /** Every method the declaration does not call public, at a concrete path. */
    const guardedRequests = (Object.keys(API_ROUTES) as ApiPath[]).flatMap((path) =>
      METHODS.filter((method) => {
        const access = accessOf(path, method);
        return access && access !== 'public';
      }).map((method) => [method, path.replace(/\[\[\.\.\.\w+\]\]/, 'elsewhere').replace(/\[\w+\]/g, '2')]),
    );

    it.each(guardedRequests)('refuses %s %s with 401 missing_token', async (method, path) => {
      const problem = await expectProblem(await call(path, { method, headers: { origin: SITE } }), 401);
      expect(problem.code).toBe('missing_token');
    });

    it('lets sign-in through even with a stale token, so a user can sign in again', async () => {
      const stale = await signed(claims({ iat: 1, exp: 2 }, 1), SECRET);
      expectPassed(await call('/api/auth/login', { method: 'POST', token: stale }));
      expectPassed(
        await call('/api/auth/login', { method: 'POST', cookie: `token=${stale}`, headers: { origin: SITE } }),
      );
    });

    it('does not treat a look-alike of a public path as that path: it is an unknown path', async () => {
      await expectProblem(await call('/api/hello/../users'), 401);
      for (const path of ['/api/healthz', '/api/auth/login-as-admin']) {
        expect(apiRouteOf(path)).toBe('/api/[[...path]]');
      }
    });

    it.each(['/api', '/api/nope', '/api/users/2/extra', '/api/auth/login-as-admin'])(
      'lets the unknown path %s through to its 404, signed out as signed in (the OpenAPI document lists every route anyway)',
      async (path) => {
        for (const method of ['GET', 'POST', 'DELETE']) {
          const response = await call(path, { method, headers: { origin: SITE } });
          expectPassed(response);
          expectNoIdentity(response);
        }
      },
    );
  });

  describe('pages', () => {
    const loginUrl = `${SITE}/login?next=%2Fusers%3Fpage%3D2`;

    it('redirects a page request without a session to /login with 303, remembering where it was going', async () => {
      const response = await call('/users?page=2');
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(loginUrl);
    });

    it('redirects a page request with a bad cookie to /login with 303', async () => {
      const response = await call('/users?page=2', { cookie: 'token=not-a-token' });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(loginUrl);
    });

    it('redirects a page request with an expired cookie to /login with 303', async () => {
      const expired = await signed(claims({ iat: 1, exp: 2 }, 1), SECRET);
      const response = await call('/users?page=2', { cookie: `token=${expired}` });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(loginUrl);
    });

    it('does not redirect /login itself when the cookie is invalid (no redirect loop)', async () => {
      const response = await call('/login?next=%2Fusers', { cookie: 'token=not-a-token' });
      expectPassed(response);
      expect(response.headers.get('location')).toBeNull();
    });

    it('lets a page through with a valid session cookie, forwarding the identity', async () => {
      const token = await tokenFor({ id: 9, role: 'user' });
      expectIdentity(await call('/users?page=2', { cookie: `token=${token}` }), '9', 'user');
    });
  });

  describe('session cookie', () => {
    it('accepts the `token` cookie over http', async () => {
      const token = await tokenFor({ id: 9, role: 'user' });
      expectIdentity(await call('/api/users', { cookie: `theme=dark; token=${token}; lang=en` }), '9', 'user');
    });

    it('accepts the `__Host-token` cookie over https', async () => {
      const token = await tokenFor({ id: 9, role: 'user' });
      expectIdentity(await call('/api/users', { site: SECURE_SITE, cookie: `__Host-token=${token}` }), '9', 'user');
    });

    it('ignores the plain `token` cookie over https', async () => {
      const token = await tokenFor({ id: 9, role: 'user' });
      const response = await call('/api/users', { site: SECURE_SITE, cookie: `token=${token}` });
      await expectProblem(response, 401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
    });

    it('ignores the `__Host-token` cookie over http', async () => {
      const token = await tokenFor({ id: 9, role: 'user' });
      const response = await call('/api/users', { cookie: `__Host-token=${token}` });
      await expectProblem(response, 401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
    });

    it('rejects an invalid cookie on the API with 401 invalid_token', async () => {
      await expectInvalidToken(await call('/api/users', { cookie: 'token=abc' }));
    });
  });

  describe('cross-site request forgery', () => {
    const cookie = async () => `token=${await tokenFor({ id: 9, role: 'admin' })}`;

    it.each([
      ['Origin', { origin: EVIL_ORIGIN }],
      ['Sec-Fetch-Site', { 'sec-fetch-site': 'cross-site' }],
    ])(
      'refuses a Server Action post from another site (by %s) with a 403 problem, signed in or not',
      async (_by, site) => {
        for (const withCookie of [true, false]) {
          const response = await call('/login', {
            method: 'POST',
            headers: { 'next-action': '7f00', ...site },
            ...(withCookie ? { cookie: await cookie() } : {}),
          });
          const problem = await expectProblem(response, 403);
          expect(problem.detail).toBe('Server Actions accept posts from this site only.');
          expect(response.headers.get('x-middleware-next')).toBeNull();
        }
      },
    );

    it.each(['/login', '/signup', '/invite/some-token', '/users', '/account'])(
      'refuses a form posted to %s from another site without JavaScript (the action id in the body) with a 403 problem',
      async (path) => {
        const bodies = [
          [
            'multipart/form-data; boundary=x',
            '--x\r\nContent-Disposition: form-data; name="$ACTION_ID_7f00"\r\n\r\n\r\n--x--',
          ],
          ['application/x-www-form-urlencoded', '%24ACTION_ID_7f00=&email=a%40b.c'],
        ];
        for (const [type, body] of bodies) {
          const sites: Record<string, string>[] = [
            { origin: EVIL_ORIGIN, 'sec-fetch-site': 'cross-site' },
            { 'sec-fetch-site': 'same-site' },
          ];
          for (const site of sites) {
            for (const withCookie of [true, false]) {
              const response = await gate(
                new NextRequest(new URL(path, SITE), {
                  method: 'POST',
                  headers: { 'content-type': type!, ...site, ...(withCookie ? { cookie: await cookie() } : {}) },
                  body,
                }),
              );
              const problem = await expectProblem(response, 403);
              expect(problem.code).toBe('cross_origin');
              expect(problem.detail).toBe('Server Actions accept posts from this site only.');
              expect(response.headers.get('x-middleware-next')).toBeNull();
            }
          }
        }
      },
    );

    it('lets a form posted to /login from this site without JavaScript through', async () => {
      const response = await gate(
        new NextRequest(new URL('/login', SITE), {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            origin: SITE,
            'sec-fetch-site': 'same-origin',
          },
          body: '%24ACTION_ID_7f00=',
        }),
      );
      expect(response.headers.get('x-middleware-next')).toBe('1');
    });

    it('lets a same-origin Server Action post through', async () => {
      const response = await call('/login', { method: 'POST', headers: { 'next-action': '7f00', origin: SITE } });
      expect(response.headers.get('x-middleware-next')).toBe('1');
    });

    it.each([
      ['POST', '/api/users'],
      ['PATCH', '/api/users/1'],
      ['DELETE', '/api/users/1'],
    ])('refuses a cookie-authenticated %s from another Origin with 403', async (method, path) => {
      const response = await call(path, { method, cookie: await cookie(), headers: { origin: EVIL_ORIGIN } });
      const problem = await expectProblem(response, 403);
      expect(problem.detail).toMatch(/Bearer/);
      expect(response.headers.get('x-middleware-next')).toBeNull();
    });

    it.each(['cross-site', 'same-site'])(
      'refuses a cookie-authenticated POST with Sec-Fetch-Site: %s with 403',
      async (site) => {
        const response = await call('/api/users', {
          method: 'POST',
          cookie: await cookie(),
          headers: { 'sec-fetch-site': site },
        });
        await expectProblem(response, 403);
      },
    );

    it('refuses a cookie-authenticated POST with Origin: null (sandboxed frame) with 403', async () => {
      await expectProblem(
        await call('/api/users', { method: 'POST', cookie: await cookie(), headers: { origin: 'null' } }),
        403,
      );
    });

    it('refuses a cross-site cookie write even when its Origin is allowed for CORS', async () => {
      await expectProblem(
        await call('/api/users', { method: 'POST', cookie: await cookie(), headers: { origin: ALLOWED_ORIGIN } }),
        403,
      );
    });

    it('lets a cookie-authenticated POST with this site as Origin through', async () => {
      expectIdentity(
        await call('/api/users', { method: 'POST', cookie: await cookie(), headers: { origin: SITE } }),
        '9',
        'admin',
      );
    });

    it('lets a cookie-authenticated DELETE with Sec-Fetch-Site: same-origin through', async () => {
      const response = await call('/api/users/1', {
        method: 'DELETE',
        cookie: await cookie(),
        headers: { 'sec-fetch-site': 'same-origin', origin: SITE },
      });
      expectIdentity(response, '9', 'admin');
    });

    it('lets the same cross-origin write through when it carries a Bearer token', async () => {
      const token = await tokenFor({ id: 9, role: 'admin' });
      const response = await call('/api/users', {
        method: 'POST',
        token,
        headers: { origin: EVIL_ORIGIN, 'sec-fetch-site': 'cross-site' },
      });
      expectIdentity(response, '9', 'admin');
    });

    it('lets a cookie-authenticated GET from another Origin through (reads change nothing)', async () => {
      const response = await call('/api/users', {
        cookie: await cookie(),
        headers: { origin: EVIL_ORIGIN, 'sec-fetch-site': 'cross-site' },
      });
      expectIdentity(response, '9', 'admin');
    });
  });

  describe('CORS', () => {
    const preflight = (origin: string) =>
      call('/api/users', {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });

    it('answers a preflight from the allowed origin with 204 and the CORS headers', async () => {
      const response = await preflight(ALLOWED_ORIGIN);
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST, PATCH, DELETE, OPTIONS');
      expect(response.headers.get('access-control-allow-headers')).toBe('authorization, content-type');
      expect(response.headers.get('access-control-max-age')).toBe('600');
      expect(response.headers.get('vary')).toMatch(/\bOrigin\b/);
      expect(await response.text()).toBe('');
    });

    it('refuses a preflight from another origin with 403', async () => {
      const response = await preflight(EVIL_ORIGIN);
      await expectProblem(response, 403);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('vary')).toMatch(/\bOrigin\b/);
    });

    it('treats an OPTIONS request that is not a preflight like any other request', async () => {
      await expectProblem(await call('/api/users', { method: 'OPTIONS', headers: { origin: ALLOWED_ORIGIN } }), 401);
    });

    it('lets the allowed origin read an API response', async () => {
      const token = await tokenFor({ id: 9, role: 'user' });
      const response = await call('/api/users', { token, headers: { origin: ALLOWED_ORIGIN } });
      expectIdentity(response, '9', 'user');
      expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      expect(response.headers.get('access-control-expose-headers')).toBe(
        'link, location, retry-after, www-authenticate, x-request-id',
      );
      expect(response.headers.get('vary')).toMatch(/\bOrigin\b/);
    });

    it('lets the allowed origin read a 401, challenge included', async () => {
      const response = await call('/api/users', { token: 'abc', headers: { origin: ALLOWED_ORIGIN } });
      await expectInvalidToken(response);
      expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      expect(response.headers.get('access-control-expose-headers')).toMatch(/www-authenticate/);
    });

    it('does not let another origin read an API response', async () => {
      const token = await tokenFor({ id: 9, role: 'user' });
      const response = await call('/api/users', { token, headers: { origin: EVIL_ORIGIN } });
      expectPassed(response);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('access-control-expose-headers')).toBeNull();
      expect(response.headers.get('vary')).toMatch(/\bOrigin\b/);
    });

    it('adds no CORS headers to pages', async () => {
      const response = await call('/login', { headers: { origin: ALLOWED_ORIGIN } });
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    });
  });
});
