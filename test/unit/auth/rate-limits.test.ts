// Sign-in and sign-up limits through the routes: reserved before any hashing, so parallel guesses cannot overtake
// the count; counted per account and address, and per known device, so a stranger cannot lock the owner out;
// hashing bounded per isolate.
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import '@/test/support/in-process/database.ts';
import { expectProblem } from '@/test/support/problems.ts';
import { request, uniqueEmail } from '@/test/support/requests.ts';

const PASSWORD = 'the right password';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

/** The auth routes under these settings (read once per module instance). */
async function routes(settings: Record<string, string>) {
  for (const [name, value] of Object.entries(settings)) vi.stubEnv(name, value);
  vi.resetModules();
  const [{ POST: login }, { POST: register }] = await Promise.all([
    import('@/app/api/auth/login/route.ts'),
    import('@/app/api/auth/register/route.ts'),
  ]);
  const from = (address?: string): Record<string, string> => (address ? { 'x-real-ip': address } : {});
  return {
    signIn: (email: string, password: string, address?: string) =>
      login(request('POST', '/api/auth/login', { body: { email, password }, headers: from(address) })),
    /** A sign-in from a client that presents a device token (in the body, as API clients do) or a cookie header. */
    signInAs: (email: string, password: string, { deviceToken, cookie }: { deviceToken?: string; cookie?: string }) =>
      login(
        request('POST', '/api/auth/login', {
          body: { email, password, ...(deviceToken === undefined ? {} : { deviceToken }) },
          headers: cookie ? { cookie } : {},
        }),
      ),
    device: import('@/src/auth/device.ts'),
    signUp: (address?: string, email = uniqueEmail('limits')) =>
      register(
        request('POST', '/api/auth/register', {
          body: { name: 'Lim', email, password: PASSWORD },
          headers: from(address),
        }),
      ),
  };
}

const address = () => `198.51.100.${Math.floor(Math.random() * 250) + 1}`;

describe('sign-in throttling', () => {
  it('checks no more than the limit of 30 parallel wrong guesses for one email: 10 answers 401, 20 answer 429', async () => {
    const { signIn, signUp } = await routes({ PASSWORD_HASH_CONCURRENCY: '64' });
    const email = uniqueEmail('parallel');
    expect((await signUp(undefined, email)).status).toBe(201);
    const answers = await Promise.all(Array.from({ length: 30 }, () => signIn(email, 'wrong guess')));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(20);
    // Refused before hashing: even the right password waits out the window.
    await expectProblem(await signIn(email, PASSWORD), 429);
  });

  it("cannot be turned against the owner: a stranger's failures from one address do not lock out another", async () => {
    const { signIn, signUp } = await routes({ TRUST_PROXY: 'true' });
    const email = uniqueEmail('owner');
    expect((await signUp(address(), email)).status).toBe(201);
    const stranger = '203.0.113.66';
    for (let attempt = 0; attempt < 10; attempt++) await expectProblem(await signIn(email, 'guess', stranger), 401);
    const locked = await signIn(email, PASSWORD, stranger);
    await expectProblem(locked, 429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await signIn(email, PASSWORD, '192.0.2.10')).status).toBe(200);
  });

  it('limits one address across many accounts (LOGIN_MAX_ATTEMPTS_PER_ADDRESS)', async () => {
    const { signIn } = await routes({ TRUST_PROXY: 'true', LOGIN_MAX_ATTEMPTS_PER_ADDRESS: '5' });
    const sprayer = `203.0.113.${Math.floor(Math.random() * 250) + 1}`;
    for (let attempt = 0; attempt < 5; attempt++) {
      await expectProblem(await signIn(uniqueEmail('spray'), 'guess', sprayer), 401);
    }
    const refused = await expectProblem(await signIn(uniqueEmail('spray'), 'guess', sprayer), 429);
    expect(refused.detail).toMatch(/from this address/);
  });

  it('ignores X-Real-IP and X-Forwarded-For without TRUST_PROXY: changing them does not reset the count', async () => {
    const { signIn, signUp } = await routes({});
    const email = uniqueEmail('spoof');
    expect((await signUp(undefined, email)).status).toBe(201);
    for (let attempt = 0; attempt < 10; attempt++) await expectProblem(await signIn(email, 'guess', address()), 401);
    await expectProblem(await signIn(email, PASSWORD, '192.0.2.99'), 429);
  });

  it('forgets the failures from an address after a successful sign-in from it', async () => {
    const { signIn, signUp } = await routes({});
    const email = uniqueEmail('forget');
    expect((await signUp(undefined, email)).status).toBe(201);
    for (let attempt = 0; attempt < 9; attempt++) await signIn(email, 'wrong password');
    expect((await signIn(email, PASSWORD)).status).toBe(200);
    for (let attempt = 0; attempt < 9; attempt++) await signIn(email, 'wrong password');
    expect((await signIn(email, PASSWORD)).status).toBe(200);
  });
});

/** The device token a successful sign-in (or sign-up) answered with, in its body and as its cookie. */
async function deviceOf(response: Response): Promise<{ deviceToken: string; cookie: string }> {
  expect(response.status).toBeLessThan(300);
  const { deviceToken } = (await response.json()) as { deviceToken: string };
  const setCookie = response.headers.getSetCookie().find((cookie) => cookie.startsWith('device='));
  expect(setCookie).toMatch(new RegExp(`^device=${deviceToken}; Path=/; Max-Age=\\d+; HttpOnly; SameSite=Lax$`));
  // 90 days, less the moment since the token was issued.
  expect(Number(/Max-Age=(\d+)/.exec(setCookie!)![1])).toBeGreaterThan(89 * 24 * 3600);
  return { deviceToken, cookie: `device=${deviceToken}` };
}

/** A stranger's `count` wrong passwords: the first LOGIN_MAX_FAILURES (10) are 401, the rest 429. */
async function strangerFails(
  signIn: (email: string, password: string) => Promise<Response>,
  email: string,
  count = 15,
) {
  const statuses: number[] = [];
  for (let attempt = 0; attempt < count; attempt++) statuses.push((await signIn(email, 'a wrong guess')).status);
  expect(statuses).toEqual([...Array(10).fill(401), ...Array(count - 10).fill(429)]);
}

describe('known devices, without TRUST_PROXY (no client address)', () => {
  it("lets the person's own device sign in after a stranger's 15 wrong passwords, while a stranger with the right password is still refused", async () => {
    const { signIn, signInAs, signUp } = await routes({});
    const email = uniqueEmail('device');
    expect((await signUp(undefined, email)).status).toBe(201);
    const { deviceToken } = await deviceOf(await signIn(email, PASSWORD));
    await strangerFails(signIn, email);
    expect((await signInAs(email, PASSWORD, { deviceToken })).status).toBe(200);
    const refused = await signIn(email, PASSWORD);
    await expectProblem(refused, 429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it("does the same for a browser's device cookie, which signing up sets too", async () => {
    const { signIn, signInAs, signUp } = await routes({});
    const email = uniqueEmail('browser');
    const { cookie } = await deviceOf(await signUp(undefined, email));
    await strangerFails(signIn, email);
    expect((await signInAs(email, PASSWORD, { cookie })).status).toBe(200);
  });

  it("gives a device token for one account nothing for another: there it counts as a stranger's", async () => {
    const { signIn, signInAs, signUp } = await routes({});
    const [mine, theirs] = [uniqueEmail('mine'), uniqueEmail('theirs')];
    expect((await signUp(undefined, mine)).status).toBe(201);
    expect((await signUp(undefined, theirs)).status).toBe(201);
    const { deviceToken } = await deviceOf(await signIn(mine, PASSWORD));
    await strangerFails(signIn, theirs, 10);
    await expectProblem(await signInAs(theirs, PASSWORD, { deviceToken }), 429);
  });

  it("counts an expired, forged or malformed device token, or an access token, as a stranger's", async () => {
    const { signIn, signInAs, signUp, device } = await routes({});
    const email = uniqueEmail('forged');
    const signedUp = (await (await signUp(undefined, email)).json()) as { token: string };
    const { issueDeviceToken, DEVICE_TTL_SECONDS } = await device;
    const expired = await issueDeviceToken(email, new Date(Date.now() - (DEVICE_TTL_SECONDS + 60) * 1000));
    // The right claims and type, signed with JWT_SECRET itself rather than the device tokens' own derived key.
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'device+jwt' })
      .setSubject(email)
      .setJti(crypto.randomUUID())
      .setIssuer('edge-users-api')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(process.env.JWT_SECRET));
    await strangerFails(signIn, email, 10);
    for (const deviceToken of [expired.token, forged, signedUp.token, 'not.a.token', '']) {
      await expectProblem(await signInAs(email, PASSWORD, { deviceToken }), 429);
    }
    await expectProblem(await signInAs(email, PASSWORD, { cookie: `device=${forged}` }), 429);
  });

  it("does not let a device past its own limit: its 10 wrong passwords lock that device, and strangers' count is untouched", async () => {
    const { signIn, signInAs, signUp } = await routes({});
    const email = uniqueEmail('own-limit');
    expect((await signUp(undefined, email)).status).toBe(201);
    const { deviceToken } = await deviceOf(await signIn(email, PASSWORD));
    await strangerFails((address, password) => signInAs(address, password, { deviceToken }), email, 12);
    await expectProblem(await signInAs(email, PASSWORD, { deviceToken }), 429);
    expect((await signIn(email, PASSWORD)).status).toBe(200);
  });
});

describe('sign-up throttling', () => {
  it('refuses the sign-up over REGISTER_MAX_PER_ADDRESS from one address with 429, not from another', async () => {
    const { signUp } = await routes({ TRUST_PROXY: 'true', REGISTER_MAX_PER_ADDRESS: '3' });
    const crowd = `203.0.113.${Math.floor(Math.random() * 250) + 1}`;
    for (let attempt = 0; attempt < 3; attempt++) expect((await signUp(crowd)).status).toBe(201);
    const refused = await signUp(crowd);
    await expectProblem(refused, 429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await signUp(address())).status).toBe(201);
  });
});

describe('bounded hashing', () => {
  it('answers 503 with Retry-After beyond PASSWORD_HASH_CONCURRENCY, instead of queueing', async () => {
    const { signIn } = await routes({ PASSWORD_HASH_CONCURRENCY: '1', PASSWORD_ITERATIONS: '200000' });
    const answers = await Promise.all(Array.from({ length: 8 }, () => signIn(uniqueEmail('flood'), 'guess')));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses).toContain(401);
    const busy = answers.filter((answer) => answer.status === 503);
    expect(busy.length).toBeGreaterThan(0);
    expect(statuses.every((status) => status === 401 || status === 503)).toBe(true);
    await expectProblem(busy[0]!, 503);
    expect(busy[0]!.headers.get('retry-after')).toBe('1');
  });
});
