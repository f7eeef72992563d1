// Transparent renewal in the edge gate: an expired or missing access cookie with a live refresh cookie is renewed
// through POST /api/auth/refresh (here the real route, in process) before the request goes on.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NextRequest } from 'next/server';
import '@/test/support/in-process/database.ts';
import { POST as refreshRoute } from '@/app/api/auth/refresh/route.ts';
import { gate, IDENTITY_HEADERS } from '@/src/auth/gate.ts';
import { revokeSession } from '@/src/auth/sessions.ts';
import { claims, epochSeconds, signed } from '@/test/support/forged-tokens.ts';
import { signedInUser, type SignedInUser } from '@/test/support/in-process/identities.ts';
import { expectProblem } from '@/test/support/problems.ts';

const SITE = 'http://localhost:3000';
const refreshCalls: Request[] = [];
const realFetch = globalThis.fetch;

beforeEach(() => {
  refreshCalls.length = 0;
  // What `next start` and the standalone server record once listening: where the middleware reaches the app.
  vi.stubEnv('__NEXT_PRIVATE_ORIGIN', SITE);
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    // The database driver's own requests go through.
    if (!String(input instanceof Request ? input.url : input).startsWith(SITE)) return realFetch(input, init);
    const request = new Request(input, init);
    refreshCalls.push(request.clone());
    return refreshRoute(request);
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
});

/** The user's access token, expired a minute ago but otherwise valid. */
async function expiredToken(user: SignedInUser): Promise<string> {
  const now = epochSeconds();
  const expired = claims({ sub: String(user.id), role: user.role, sid: user.sessionId, iat: now - 400, exp: now - 60 });
  return signed(expired, process.env.JWT_SECRET!);
}

const call = (path: string, cookie: string, method = 'GET') =>
  gate(new NextRequest(new URL(path, SITE), { method, headers: { cookie, origin: SITE } }));

/** The cookie header the route will see, as middleware rewrote it. */
const forwardedCookie = (response: Response) => response.headers.get('x-middleware-request-cookie');

describe('renewal in the middleware', () => {
  it.each([
    ['an expired access cookie', true],
    ['no access cookie (the browser dropped it)', false],
  ])('renews %s from the refresh cookie, for the API and pages alike', async (_label, withAccess) => {
    for (const path of ['/api/users', '/users']) {
      const user = await signedInUser();
      const access = withAccess ? `token=${await expiredToken(user)}; ` : '';
      const response = await call(path, `theme=dark; ${access}refresh=${user.refreshToken}`);
      expect(response.headers.get('x-middleware-next')).toBe('1');
      expect(response.headers.get(`x-middleware-request-${IDENTITY_HEADERS.id}`)).toBe(String(user.id));
      const cookies = response.headers.getSetCookie();
      expect(cookies).toEqual([
        expect.stringMatching(/^token=[^;]+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax$/),
        expect.stringMatching(/^refresh=[^;]+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax$/),
      ]);
      const newAccess = /^token=([^;]+)/.exec(cookies[0]!)![1];
      expect(forwardedCookie(response)).toContain(`token=${newAccess}`);
      expect(forwardedCookie(response)).toContain('theme=dark');
      expect(refreshCalls).toHaveLength(1);
      refreshCalls.length = 0;
    }
  });

  it('sends the refresh endpoint only the refresh cookie, never the others', async () => {
    const user = await signedInUser();
    await call('/api/users', `token=${await expiredToken(user)}; other=secret; refresh=${user.refreshToken}`);
    expect(refreshCalls[0]!.headers.get('cookie')).toBe(`refresh=${user.refreshToken}`);
    expect(refreshCalls[0]!.method).toBe('POST');
  });

  it("renews on the server's own address, whatever origin the request carries (no request to another host)", async () => {
    const user = await signedInUser();
    const elsewhere: string[] = [];
    vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input instanceof Request ? input.url : input);
      if (url.startsWith(SITE)) return refreshRoute(new Request(input, init));
      if (url.startsWith('http://attacker.example')) elsewhere.push(url);
      return realFetch(input, init);
    });
    const request = new NextRequest('http://attacker.example/api/users', {
      headers: { cookie: `token=${await expiredToken(user)}; refresh=${user.refreshToken}` },
    });
    const response = await gate(request);
    expect(elsewhere).toEqual([]);
    expect(response.headers.get(`x-middleware-request-${IDENTITY_HEADERS.id}`)).toBe(String(user.id));
  });

  it.each([
    ['a same-site, other-origin POST', { origin: 'http://blog.localhost:3000', 'sec-fetch-site': 'same-site' }],
    ['a cross-site DELETE', { origin: 'https://attacker.example', 'sec-fetch-site': 'cross-site' }],
  ])(
    'does not spend the refresh cookie on %s it would refuse once renewed (reuse would revoke the session)',
    async (_label, site) => {
      const user = await signedInUser();
      const method = 'sec-fetch-site' in site && site['sec-fetch-site'] === 'cross-site' ? 'DELETE' : 'POST';
      for (const access of ['', `token=${await expiredToken(user)}; `]) {
        const response = await gate(
          new NextRequest(new URL('/api/users/1', SITE), {
            method,
            headers: { cookie: `${access}refresh=${user.refreshToken}`, ...site },
          }),
        );
        expect(response.headers.get('x-middleware-next')).toBeNull();
        expect([401, 403]).toContain(response.status);
        expect(response.headers.getSetCookie()).toEqual([]);
      }
      expect(refreshCalls).toHaveLength(0);
      // The refresh token is unspent: the person's own next request renews with it, and the session lives.
      const own = await call('/users', `refresh=${user.refreshToken}`);
      expect(own.headers.get(`x-middleware-request-${IDENTITY_HEADERS.id}`)).toBe(String(user.id));
      expect(own.headers.getSetCookie()).toHaveLength(2);
    },
  );

  it('renews a same-origin write, which the renewed cookie may make', async () => {
    const user = await signedInUser();
    const response = await call('/api/users/1', `refresh=${user.refreshToken}`, 'POST');
    expect(response.headers.get(`x-middleware-request-${IDENTITY_HEADERS.id}`)).toBe(String(user.id));
    expect(refreshCalls).toHaveLength(1);
  });

  it('does not renew a valid access cookie', async () => {
    const user = await signedInUser();
    const response = await call('/api/users', `token=${user.token}; refresh=${user.refreshToken}`);
    expect(response.headers.get('x-middleware-next')).toBe('1');
    expect(refreshCalls).toHaveLength(0);
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it('does not renew for a Bearer token, nor a forged access cookie', async () => {
    const user = await signedInUser();
    const bearer = await gate(
      new NextRequest(new URL('/api/users', SITE), {
        headers: { authorization: `Bearer ${await expiredToken(user)}`, cookie: `refresh=${user.refreshToken}` },
      }),
    );
    await expectProblem(bearer, 401);
    await expectProblem(await call('/api/users', `token=forged; refresh=${user.refreshToken}`), 401);
    expect(refreshCalls).toHaveLength(0);
  });

  it('sends a revoked session to sign in (pages) or answers 401 (API), clearing its cookies', async () => {
    const user = await signedInUser();
    await revokeSession(user.id, user.sessionId);
    const cookie = `token=${await expiredToken(user)}; refresh=${user.refreshToken}`;
    const page = await call('/users', cookie);
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe(`${SITE}/login?next=%2Fusers`);
    expect(page.headers.getSetCookie()).toEqual([
      expect.stringMatching(/^token=;/),
      expect.stringMatching(/^refresh=;/),
    ]);
    const api = await call('/api/users', cookie);
    await expectProblem(api, 401);
    expect(api.headers.get('cache-control')).toBe('no-store');
    expect(api.headers.getSetCookie()).toHaveLength(2);
  });

  it('answers 401 rather than 500 when the refresh endpoint cannot be reached', async () => {
    const user = await signedInUser();
    vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) =>
      String(input).startsWith(SITE) ? Promise.reject(new TypeError('fetch failed')) : realFetch(input, init),
    );
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    await expectProblem(
      await call('/api/users', `token=${await expiredToken(user)}; refresh=${user.refreshToken}`),
      401,
    );
    expect(errors).toHaveBeenCalled();
    errors.mockRestore();
  });
});
