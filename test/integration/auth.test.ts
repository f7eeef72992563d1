// Sign-up, sign-in, who-am-I and sign-out over HTTP against the production build, with the cookie kept
// as a browser keeps it and with Bearer as curl sends it; and every authorization rule of the users API.
import { request as httpRequest } from 'node:http';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import type { PublicUser } from '@/src/users/schema.ts';
import { api, baseUrl, countServerRoundTrips } from '@/test/support/over-http/http.ts';
import { expectProblem } from '@/test/support/problems.ts';
import { uniqueEmail } from '@/test/support/requests.ts';
import { sharedAdmin } from '@/test/support/over-http/server-admin.ts';
import { expiredAccessToken } from '@/test/support/over-http/server-settings.ts';
import { listenElsewhere } from '@/test/support/over-http/elsewhere.ts';

interface Session {
  user: PublicUser;
  token: string;
  expiresAt: string;
}

const PASSWORD = 'correct horse battery staple';
const json = (body: unknown) => ({ method: 'POST', json: body });

/** The first cookie a response sets (the access token's), split into its name, value and attributes. */
function setCookie(response: Response, index = 0) {
  const header = response.headers.getSetCookie()[index];
  expect(header).toBeDefined();
  const [pair, ...attributes] = header!.split(';').map((part) => part.trim());
  const [name, value] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)];
  return { name, value, attributes: attributes.map((attribute) => attribute.toLowerCase()) };
}

async function register(name = 'Grace'): Promise<Session & { email: string; cookie: string }> {
  const email = uniqueEmail('auth');
  const response = await api('/api/auth/register', json({ name, email, password: PASSWORD }));
  expect(response.status).toBe(201);
  const { name: cookieName, value } = setCookie(response);
  return { ...((await response.json()) as Session), email, cookie: `${cookieName}=${value}` };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const adminHeaders = async () => bearer((await sharedAdmin()).token);

describe('as a browser, with the session cookie', () => {
  it('signs up, and the cookie it sets is HttpOnly, SameSite=Lax, Path=/, for the token lifetime', async () => {
    const email = uniqueEmail('browser');
    const response = await api('/api/auth/register', json({ name: 'Ada', email, password: PASSWORD }));
    expect(response.status).toBe(201);
    const session = (await response.json()) as Session;
    expect(session.user).toMatchObject({ email, role: 'user' });
    expect(response.headers.get('location')).toBe(`${baseUrl}/api/users/${session.user.id}`);
    const cookie = setCookie(response);
    expect(cookie.name).toBe('token');
    expect(cookie.value).toBe(session.token);
    expect(cookie.attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'path=/']));
    // The token's remaining lifetime in whole seconds: 3600 less the time since it was issued.
    const maxAge = Number(cookie.attributes.find((attribute) => attribute.startsWith('max-age='))?.slice(8));
    expect(maxAge).toBeGreaterThan(3590);
    expect(maxAge).toBeLessThanOrEqual(3600);
    expect(cookie.attributes).not.toContain('secure');
  });

  it('signs in, asks who it is, signs out, and is then refused', async () => {
    const { email, user } = await register('Katherine');
    const login = await api('/api/auth/login', json({ email: email.toUpperCase(), password: PASSWORD }));
    expect(login.status).toBe(200);
    const { name, value } = setCookie(login);
    const cookie = `${name}=${value}`;

    const me = await api('/api/auth/me', { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual(user);

    const logout = await api('/api/auth/logout', { method: 'POST', headers: { cookie, origin: baseUrl } });
    expect(logout.status).toBe(204);
    const cleared = setCookie(logout);
    expect(cleared).toMatchObject({ name: 'token', value: '' });
    expect(cleared.attributes).toContain('max-age=0');
    expect(setCookie(logout, 1)).toMatchObject({ name: 'refresh', value: '' });

    // The browser drops the cookie; without it the API refuses.
    const after = await api('/api/auth/me');
    await expectProblem(after, 401);
    expect(after.headers.get('www-authenticate')).toBe('Bearer');
  });

  it("ignores a client's X-Forwarded-Proto and X-Forwarded-Host without TRUST_PROXY", async () => {
    const { email } = await register();
    const login = await api('/api/auth/login', {
      ...json({ email, password: PASSWORD }),
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' },
    });
    expect(setCookie(login).name).toBe('token');
    const signUp = await api('/api/auth/register', {
      ...json({ name: 'X', email: uniqueEmail(), password: PASSWORD }),
      headers: { 'x-forwarded-host': 'evil.example' },
    });
    expect(signUp.headers.get('location')).toMatch(new RegExp(`^${baseUrl}/api/users/\\d+$`));
  });

  it.each([
    ['a Host header naming another server (no SSRF)', {}],
    ['X-Forwarded-Proto: https from a TLS-terminating proxy', { 'x-forwarded-proto': 'https' }],
  ])('renews an expired access cookie on its own address, whatever the request says: %s', async (_label, extra) => {
    const signup = await api(
      '/api/auth/register',
      json({ name: 'Host', email: uniqueEmail('host'), password: PASSWORD }),
    );
    expect(signup.status).toBe(201);
    const { token } = (await signup.json()) as Session;
    const refresh = setCookie(signup, 1);
    expect(refresh.name).toBe('refresh');
    const { sub } = decodeJwt(token);
    const expired = await expiredAccessToken(token);
    // Where the middleware would post the refresh cookie if it followed Host.
    const elsewhere = await listenElsewhere();
    try {
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const target = new URL('/api/auth/me', baseUrl);
        const req = httpRequest(
          target,
          { headers: { ...extra, host: elsewhere.host, cookie: `token=${expired}; refresh=${refresh.value}` } },
          (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk));
            res.on('end', () => resolve({ status: res.statusCode!, body }));
          },
        );
        req.on('error', reject);
        req.end();
      });
      expect(elsewhere.received).toEqual([]);
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toMatchObject({ id: Number(sub) });
    } finally {
      await elsewhere.close();
    }
  });

  it('refuses a cookie-authenticated write from another origin, and accepts the same write from this one', async () => {
    const { cookie, user } = await register();
    const change = (origin: string) =>
      api(`/api/users/${user.id}`, { method: 'PATCH', json: { name: 'Changed' }, headers: { cookie, origin } });
    await expectProblem(await change('https://evil.example'), 403);
    expect((await change(baseUrl)).status).toBe(200);
  });
});

describe('as curl, with a Bearer token', () => {
  it('signs in and uses the returned token', async () => {
    const { email, user } = await register();
    const login = await api('/api/auth/login', json({ email, password: PASSWORD }));
    const session = (await login.json()) as Session;
    expect(Date.parse(session.expiresAt) - Date.now()).toBeGreaterThan(3500_000);
    const me = await api('/api/auth/me', { headers: bearer(session.token) });
    expect(await me.json()).toEqual(user);
  });

  it('is not subject to the same-origin rule', async () => {
    const { token, user } = await register();
    const response = await api(`/api/users/${user.id}`, {
      method: 'PATCH',
      json: { name: 'From a service' },
      headers: { ...bearer(token), origin: 'https://elsewhere.example' },
    });
    expect(response.status).toBe(200);
  });

  it('gets the same 401 for an unknown email as for a wrong password', async () => {
    const { email } = await register();
    const wrongPassword = await api('/api/auth/login', json({ email, password: 'not the password' }));
    const unknownEmail = await api('/api/auth/login', json({ email: uniqueEmail('nobody'), password: PASSWORD }));
    const [a, b] = [await expectProblem(wrongPassword, 401), await expectProblem(unknownEmail, 401)];
    expect(a).toEqual(b);
  });
});

describe('authorization on the users API', () => {
  it('lets any signed-in user list and read users', async () => {
    const { token, user } = await register();
    expect((await api('/api/users', { headers: bearer(token) })).status).toBe(200);
    expect((await api(`/api/users/${user.id}`, { headers: bearer(token) })).status).toBe(200);
  });

  it("refuses a non-admin creating a user with 403 and no round trip (the token's role says no)", async () => {
    const { token } = await register();
    const { result, roundTrips } = await countServerRoundTrips(() =>
      api('/api/users', { ...json({ name: 'X', email: uniqueEmail() }), headers: bearer(token) }),
    );
    await expectProblem(result, 403);
    expect(roundTrips).toBe(0);
  });

  it("refuses changing or deleting someone else's record with 403 and no round trip, leaving it unchanged", async () => {
    const [mallory, victim] = [await register('Mallory'), await register('Victim')];
    const path = `/api/users/${victim.user.id}`;
    for (const init of [{ method: 'PATCH', json: { name: 'Owned' } }, { method: 'DELETE' }]) {
      const { result, roundTrips } = await countServerRoundTrips(() =>
        api(path, { ...init, headers: bearer(mallory.token) }),
      );
      await expectProblem(result, 403);
      expect(roundTrips).toBe(0);
    }
    expect(await (await api(path, { headers: bearer(victim.token) })).json()).toEqual(victim.user);
  });

  it('lets a user change their own name and email, but not their role', async () => {
    const { token, user } = await register();
    const path = `/api/users/${user.id}`;
    const email = uniqueEmail('renamed');
    const renamed = await api(path, { method: 'PATCH', json: { name: 'Renamed', email }, headers: bearer(token) });
    expect(await renamed.json()).toMatchObject({ id: user.id, name: 'Renamed', email });
    const promoted = await api(path, { method: 'PATCH', json: { role: 'admin' }, headers: bearer(token) });
    await expectProblem(promoted, 403);
  });

  it("lets an admin change anyone's role and delete anyone", async () => {
    const { user } = await register();
    const path = `/api/users/${user.id}`;
    const headers = await adminHeaders();
    const promoted = await api(path, { method: 'PATCH', json: { role: 'admin' }, headers });
    expect(await promoted.json()).toMatchObject({ id: user.id, role: 'admin' });
    expect((await api(path, { method: 'DELETE', headers })).status).toBe(204);
  });

  it('lets a user delete their own record', async () => {
    const { token, user } = await register();
    expect((await api(`/api/users/${user.id}`, { method: 'DELETE', headers: bearer(token) })).status).toBe(204);
    // Reads trust the token for its short life; the account is gone, so there is nothing to read.
    await expectProblem(await api('/api/auth/me', { headers: bearer(token) }), 404);
  });

  it('refuses every users route without a token with 401 and no round trip', async () => {
    for (const [method, path] of [
      ['GET', '/api/users'],
      ['POST', '/api/users'],
      ['GET', '/api/users/1'],
      ['PATCH', '/api/users/1'],
      ['DELETE', '/api/users/1'],
      ['GET', '/api/auth/me'],
    ] as const) {
      const { result, roundTrips } = await countServerRoundTrips(() => api(path, { method }));
      await expectProblem(result, 401);
      expect(roundTrips).toBe(0);
    }
  });
});
