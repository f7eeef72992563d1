// One public origin: with PUBLIC_ORIGIN set (or derived on Vercel), a client's Host, X-Forwarded-Host or Forwarded
// header steers neither the middleware's renewal call, nor any link, redirect or cookie name, nor the same-origin
// check; and a browser behind a TLS-terminating proxy gets the HTTPS cookies and is not refused.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { NextRequest } from 'next/server';
import '@/test/support/in-process/database.ts';
import { signedInUser } from '@/test/support/in-process/identities.ts';
import { claims, epochSeconds, signed } from '@/test/support/forged-tokens.ts';
import { expectProblem } from '@/test/support/problems.ts';
import { routeParams, uniqueEmail } from '@/test/support/requests.ts';

/** What a client may put in a request to steer us elsewhere; OpenNext even builds the request URL from it. */
const CLIENT_CHOSEN = {
  host: 'evil.example',
  'x-forwarded-host': 'evil.example',
  'x-forwarded-proto': 'http',
  forwarded: 'for=203.0.113.9;host=evil.example;proto=http',
};
const EVIL = 'http://evil.example';

const DEPLOYMENT_URL = 'app-abc123-team.vercel.app';
const BRANCH_URL = 'app-git-feature-team.vercel.app';
const VERCEL = {
  PUBLIC_ORIGIN: '',
  VERCEL: '1',
  VERCEL_URL: DEPLOYMENT_URL,
  VERCEL_BRANCH_URL: BRANCH_URL,
  VERCEL_PROJECT_PRODUCTION_URL: 'api.example.com',
  VERCEL_AUTOMATION_BYPASS_SECRET: 'bypass-secret',
};

const CASES = [
  {
    name: 'PUBLIC_ORIGIN=https://api.example.com behind a proxy, even with TRUST_PROXY=true',
    settings: { PUBLIC_ORIGIN: 'https://api.example.com', TRUST_PROXY: 'true' },
    origin: 'https://api.example.com',
    alsoThisSite: [] as string[],
    renewalHeaders: {},
  },
  {
    name: 'on Vercel, a preview (VERCEL_ENV=preview): the deployment URL',
    settings: { ...VERCEL, VERCEL_ENV: 'preview' },
    origin: `https://${DEPLOYMENT_URL}`,
    alsoThisSite: [`https://${BRANCH_URL}`],
    renewalHeaders: { 'x-vercel-protection-bypass': 'bypass-secret' },
  },
  {
    name: "on Vercel, Production (VERCEL_ENV=production): the project's production domain",
    settings: { ...VERCEL, VERCEL_ENV: 'production' },
    origin: 'https://api.example.com',
    alsoThisSite: [`https://${DEPLOYMENT_URL}`, `https://${BRANCH_URL}`],
    renewalHeaders: { 'x-vercel-protection-bypass': 'bypass-secret' },
  },
];

/** The app's modules, loaded afresh under the case's settings (each reads them once). */
async function loadApp() {
  vi.resetModules();
  return {
    gate: (await import('@/src/auth/gate.ts')).gate,
    refresh: (await import('@/app/api/auth/refresh/route.ts')).POST,
    logout: (await import('@/app/api/auth/logout/route.ts')).POST,
    register: (await import('@/app/api/auth/register/route.ts')).POST,
    users: await import('@/app/api/users/route.ts'),
    issueLink: (await import('@/app/api/users/[id]/invitation/route.ts')).POST,
  };
}

const realFetch = globalThis.fetch;
const databaseOrigin = new URL(process.env.NEON_FETCH_ENDPOINT!).origin;

afterAll(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe.each(CASES)('$name', ({ settings, origin, alsoThisSite, renewalHeaders }) => {
  let app: Awaited<ReturnType<typeof loadApp>>;
  /** Every request the app made other than to the database. */
  const calls: Request[] = [];

  beforeAll(async () => {
    vi.unstubAllEnvs();
    // Not a Node server here: nothing listens, so the renewal call has only the settings to go by.
    vi.stubEnv('__NEXT_PRIVATE_ORIGIN', '');
    vi.stubEnv('INTERNAL_ORIGIN', '');
    for (const [name, value] of Object.entries(settings)) vi.stubEnv(name, value);
    app = await loadApp();
  });

  beforeEach(() => {
    calls.length = 0;
    vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input instanceof Request ? input.url : input);
      if (url.startsWith(databaseOrigin)) return realFetch(input, init);
      const request = new Request(input, init);
      calls.push(request.clone());
      if (url === `${origin}/api/auth/refresh`) return app.refresh(request);
      return new Response('not this app', { status: 500 });
    });
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  /** A request as it reaches the app with the client's own Host and forwarded headers. */
  const steered = (path: string, init: { method?: string; headers?: Record<string, string> } = {}) =>
    new NextRequest(new URL(path, EVIL), { method: init.method, headers: { ...CLIENT_CHOSEN, ...init.headers } });

  /** A browser's request as a TLS-terminating proxy forwards it: plain HTTP to the app, HTTPS said in a header. */
  const proxied = (path: string, init: { method?: string; headers?: Record<string, string> } = {}) =>
    new NextRequest(new URL(path, 'http://internal:3000'), {
      method: init.method,
      headers: { host: 'internal:3000', 'x-forwarded-proto': 'https', origin, ...init.headers },
    });

  async function expiredAccessCookie(user: Awaited<ReturnType<typeof signedInUser>>) {
    const now = epochSeconds();
    const payload = claims({
      sub: String(user.id),
      role: user.role,
      sid: user.sessionId,
      iat: now - 400,
      exp: now - 60,
    });
    return `__Host-token=${await signed(payload, process.env.JWT_SECRET!)}; __Host-refresh=${user.refreshToken}`;
  }

  it("renews on the public origin, never on the host the client's headers name", async () => {
    const user = await signedInUser();
    const response = await app.gate(steered('/api/users', { headers: { cookie: await expiredAccessCookie(user) } }));
    expect(calls.map((call) => `${call.method} ${call.url}`)).toEqual([`POST ${origin}/api/auth/refresh`]);
    expect(Object.fromEntries(calls[0]!.headers)).toMatchObject(renewalHeaders);
    expect(response.headers.get('x-middleware-request-x-user-id')).toBe(String(user.id));
    expect(response.headers.getSetCookie()).toEqual([
      expect.stringMatching(/^__Host-token=[^;]+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax; Secure$/),
      expect.stringMatching(/^__Host-refresh=[^;]+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax; Secure$/),
    ]);
  });

  it('sends a signed-out page to sign in on the public origin', async () => {
    const response = await app.gate(steered('/users?tab=all'));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${origin}/login?next=%2Fusers%3Ftab%3Dall`);
  });

  it("builds Location, the invitation link and the Link header on the public origin, whatever the client's headers", async () => {
    const admin = await signedInUser('admin');
    const bearer = { authorization: `Bearer ${admin.token}` };
    const created = await app.users.POST(
      new Request(new URL('/api/users', EVIL), {
        method: 'POST',
        headers: { ...CLIENT_CHOSEN, ...bearer, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Ada', email: uniqueEmail('origin') }),
      }),
    );
    expect(created.status).toBe(201);
    const user = (await created.json()) as { id: number; invitation: { url: string } };
    expect(created.headers.get('location')).toBe(`${origin}/api/users/${user.id}`);
    expect(user.invitation.url).toMatch(new RegExp(`^${origin}/invite/[\\w-]+$`));

    const link = await app.issueLink(
      new Request(new URL(`/api/users/${user.id}/invitation`, EVIL), {
        method: 'POST',
        headers: { ...CLIENT_CHOSEN, ...bearer },
      }),
      routeParams({ id: String(user.id) }),
    );
    expect(((await link.json()) as { url: string }).url).toMatch(new RegExp(`^${origin}/invite/`));

    const page = await app.users.GET(
      new Request(new URL('/api/users?limit=1', EVIL), { headers: { ...CLIENT_CHOSEN, ...bearer } }),
    );
    expect(page.headers.get('link')).toMatch(new RegExp(`^<${origin}/api/users\\?limit=1&cursor=\\d+>; rel="next"$`));
  });

  it("names and secures the cookies by the public origin's https, not by how the request arrived", async () => {
    const response = await app.register(
      new Request(new URL('/api/auth/register', EVIL), {
        method: 'POST',
        headers: { ...CLIENT_CHOSEN, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Grace', email: uniqueEmail('origin'), password: 'correct horse battery' }),
      }),
    );
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toMatch(new RegExp(`^${origin}/api/users/\\d+$`));
    expect(response.headers.getSetCookie()).toEqual([
      expect.stringMatching(/^__Host-token=[^;]+; .*; Secure$/),
      expect.stringMatching(/^__Host-refresh=[^;]+; .*; Secure$/),
      expect.stringMatching(/^__Host-device=[^;]+; .*; Secure$/),
    ]);
  });

  it('lets a Server Action posted from the public origin through a TLS-terminating proxy (not 403)', async () => {
    for (const from of [origin, ...alsoThisSite]) {
      const response = await app.gate(
        proxied('/login', { method: 'POST', headers: { 'next-action': '7f00', origin: from } }),
      );
      expect(response.headers.get('x-middleware-next'), from).toBe('1');
    }
  });

  it('refuses a Server Action from any other origin with 403, the one its own headers name included', async () => {
    for (const from of [EVIL, 'https://evil.example', origin.replace('https:', 'http:')]) {
      const headers = { 'next-action': '7f00', origin: from };
      await expectProblem(await app.gate(steered('/login', { method: 'POST', headers })), 403);
      await expectProblem(await app.gate(proxied('/login', { method: 'POST', headers })), 403);
    }
  });

  it('signs out a browser posting from the public origin through the proxy (204), and refuses another origin (403)', async () => {
    const user = await signedInUser();
    const cookie = `__Host-token=${user.token}; __Host-refresh=${user.refreshToken}`;
    const foreign = await app.logout(
      steered('/api/auth/logout', { method: 'POST', headers: { cookie, origin: 'https://evil.example' } }),
    );
    await expectProblem(foreign, 403);
    const response = await app.logout(proxied('/api/auth/logout', { method: 'POST', headers: { cookie } }));
    expect(response.status).toBe(204);
    expect(response.headers.getSetCookie()).toEqual([
      expect.stringMatching(/^__Host-token=; Path=\/; Max-Age=0; HttpOnly; SameSite=Lax; Secure$/),
      expect.stringMatching(/^__Host-refresh=; Path=\/; Max-Age=0; HttpOnly; SameSite=Lax; Secure$/),
    ]);
  });
});
