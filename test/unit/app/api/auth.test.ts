import { describe, expect, it, vi } from 'vitest';
import { countRoundTrips } from '@/test/support/in-process/database.ts';
import { expectProblem } from '@/test/support/problems.ts';
import { request, uniqueEmail } from '@/test/support/requests.ts';
import { POST as login } from '@/app/api/auth/login/route.ts';
import { POST as logout } from '@/app/api/auth/logout/route.ts';
import { GET as me } from '@/app/api/auth/me/route.ts';
import { POST as register } from '@/app/api/auth/register/route.ts';
import { GET as health } from '@/app/api/health/route.ts';
import { verifyToken } from '@/src/auth/tokens.ts';

const PASSWORD = 'a long enough password';

async function signUp(email = uniqueEmail('auth')) {
  const response = await register(
    request('POST', '/api/auth/register', { body: { name: 'Ada', email, password: PASSWORD } }),
  );
  expect(response.status).toBe(201);
  return { email, ...((await response.json()) as { user: { id: number }; token: string }) };
}

const signIn = (email: string, password = PASSWORD) =>
  login(request('POST', '/api/auth/login', { body: { email, password } }));

describe('GET /api/health', () => {
  it('answers ok after one database round trip', async () => {
    const { result, roundTrips } = await countRoundTrips(() => health(request('GET', '/api/health')));
    expect(result.status).toBe(200);
    expect(await result.json()).toEqual({ status: 'ok', database: 'ok' });
    expect(roundTrips).toBe(1);
  });
});

describe('POST /api/auth/register', () => {
  it('creates a user with the user role and returns a token for it', async () => {
    const { token, user } = await signUp();
    expect(await verifyToken(token)).toEqual({ id: user.id, role: 'user', sessionId: expect.any(String) });
  });

  it('refuses a role in the body as an unknown field, so nobody signs up as admin', async () => {
    const body = { name: 'Eve', email: uniqueEmail(), password: PASSWORD, role: 'admin' };
    const problem = await expectProblem(await register(request('POST', '/api/auth/register', { body })), 400);
    expect(problem.errors).toEqual([{ field: 'role', message: 'Unknown field' }]);
  });

  it.each([
    ['7 characters', 'x'.repeat(7)],
    ['129 characters', 'x'.repeat(129)],
  ])('refuses a password of %s with 400', async (_label, password) => {
    const body = { name: 'Eve', email: uniqueEmail(), password };
    const problem = await expectProblem(await register(request('POST', '/api/auth/register', { body })), 400);
    expect(problem.errors).toEqual([
      { field: 'password', message: expect.stringMatching(/^Must be at (least 8|most 128) characters$/) },
    ]);
  });

  it('says what each missing or mistyped field needs', async () => {
    const body = { name: 'Eve', email: 7 };
    const problem = await expectProblem(await register(request('POST', '/api/auth/register', { body })), 400);
    expect(problem.errors).toEqual([
      { field: 'email', message: 'Must be a string' },
      { field: 'password', message: 'Required' },
    ]);
  });

  it('refuses a taken email with 409', async () => {
    const { email } = await signUp();
    const body = { name: 'Twin', email: email.toUpperCase(), password: PASSWORD };
    await expectProblem(await register(request('POST', '/api/auth/register', { body })), 409);
  });

  it('answers 403 when registration is switched off', async () => {
    vi.stubEnv('REGISTRATION_ENABLED', 'false');
    vi.resetModules();
    try {
      const { POST } = await import('@/app/api/auth/register/route.ts');
      const body = { name: 'Late', email: uniqueEmail(), password: PASSWORD };
      await expectProblem(await POST(request('POST', '/api/auth/register', { body })), 403);
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });
});

describe('POST /api/auth/login', () => {
  it('returns the user, both tokens and their expiries and a device token, and sets their cookies, uncached', async () => {
    const { email, user } = await signUp();
    const response = await signIn(` ${email.toUpperCase()} `);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as {
      user: { id: number };
      token: string;
      expiresAt: string;
      refreshToken: string;
      refreshExpiresAt: string;
      deviceToken: string;
    };
    expect(body.user).toMatchObject({ id: user.id, email });
    expect(JSON.stringify(body)).not.toContain('pbkdf2');
    const accessLifetime = Date.parse(body.expiresAt) - Date.now();
    expect(accessLifetime).toBeGreaterThan(290_000);
    expect(accessLifetime).toBeLessThanOrEqual(300_000);
    expect(Date.parse(body.refreshExpiresAt) - Date.now()).toBeGreaterThan(29 * 24 * 3600 * 1000);
    expect(response.headers.getSetCookie()).toEqual([
      expect.stringMatching(new RegExp(`^token=${body.token}; Path=/; Max-Age=(29\\d|300); HttpOnly; SameSite=Lax$`)),
      expect.stringMatching(new RegExp(`^refresh=${body.refreshToken}; Path=/; Max-Age=\\d+; HttpOnly; SameSite=Lax$`)),
      expect.stringMatching(new RegExp(`^device=${body.deviceToken}; Path=/; Max-Age=\\d+; HttpOnly; SameSite=Lax$`)),
    ]);
  });

  it('answers a wrong password and an unknown email alike, with 401', async () => {
    const { email } = await signUp();
    const wrong = await expectProblem(await signIn(email, 'not the password'), 401);
    const unknown = await expectProblem(await signIn(uniqueEmail('nobody')), 401);
    expect(wrong).toEqual(unknown);
  });

  it('answers 429 with Retry-After once 10 sign-ins have failed, even with the right password', async () => {
    const { email } = await signUp();
    for (let attempt = 0; attempt < 10; attempt++) await expectProblem(await signIn(email, 'wrong password'), 401);
    const refused = await signIn(email);
    await expectProblem(refused, 429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('forgets earlier failures after a successful sign-in', async () => {
    const { email } = await signUp();
    for (let attempt = 0; attempt < 9; attempt++) await signIn(email, 'wrong password');
    expect((await signIn(email)).status).toBe(200);
    for (let attempt = 0; attempt < 9; attempt++) await signIn(email, 'wrong password');
    expect((await signIn(email)).status).toBe(200);
  });
});

describe('GET /api/auth/me', () => {
  it('returns the signed-in user in one round trip', async () => {
    const { token, user } = await signUp();
    const { result, roundTrips } = await countRoundTrips(() => me(request('GET', '/api/auth/me', { token })));
    expect(await result.json()).toMatchObject({ id: user.id });
    expect(roundTrips).toBe(1);
  });

  it('answers 401 with a Bearer challenge and no round trip without a token', async () => {
    const { result, roundTrips } = await countRoundTrips(() => me(request('GET', '/api/auth/me')));
    await expectProblem(result, 401);
    expect(result.headers.get('www-authenticate')).toBe('Bearer');
    expect(roundTrips).toBe(0);
  });
});

describe('POST /api/auth/logout', () => {
  it('clears both cookies, without needing a valid session', async () => {
    const response = await logout(request('POST', '/api/auth/logout', { headers: { cookie: 'token=expired' } }));
    expect(response.status).toBe(204);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.getSetCookie()).toEqual([
      'token=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax',
      'refresh=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax',
    ]);
  });
});

describe('database round trips of the auth endpoints', () => {
  it('counts 2 for a refused sign-in, 4 for a sign-in (two steps of two, in parallel), 3 for a sign-up', async () => {
    const email = uniqueEmail('trips');
    const signUp = await countRoundTrips(() =>
      register(request('POST', '/api/auth/register', { body: { name: 'Trips', email, password: PASSWORD } })),
    );
    expect(signUp.result.status).toBe(201);
    expect(signUp.roundTrips).toBe(3);
    const refused = await countRoundTrips(() => signIn(email, 'wrong password'));
    expect(refused.result.status).toBe(401);
    expect(refused.roundTrips).toBe(2);
    const signedIn = await countRoundTrips(() => signIn(email));
    expect(signedIn.result.status).toBe(200);
    expect(signedIn.roundTrips).toBe(4);
  });
});
