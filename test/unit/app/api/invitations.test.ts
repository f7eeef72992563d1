// One-time links through the route handlers and PrismaNeonHttp: the invitation a new user's answer carries,
// re-issuing (an invitation, or a password reset), and using one: once, before it expires, and only the newest.
import { describe, expect, it } from 'vitest';
import { countRoundTrips } from '@/test/support/in-process/database.ts';
import { signedInUser } from '@/test/support/in-process/identities.ts';
import { expectProblem } from '@/test/support/problems.ts';
import { idParams, request, uniqueEmail } from '@/test/support/requests.ts';
import { POST as accept } from '@/app/api/auth/invitation/route.ts';
import { POST as login } from '@/app/api/auth/login/route.ts';
import { POST as changePassword } from '@/app/api/auth/password/route.ts';
import { POST as refresh } from '@/app/api/auth/refresh/route.ts';
import { POST as register } from '@/app/api/auth/register/route.ts';
import { POST as issue } from '@/app/api/users/[id]/invitation/route.ts';
import { POST as createUser } from '@/app/api/users/route.ts';
import { hashSecret } from '@/src/auth/refresh-token.ts';
import { verifyToken } from '@/src/auth/tokens.ts';
import { db } from '@/src/db/client.ts';

const PASSWORD = 'a long enough password';
const admin = await signedInUser('admin');

interface Link {
  url: string;
  purpose: 'invitation' | 'password_reset';
  expiresAt: string;
}

const tokenOf = (link: Link) => new URL(link.url).pathname.split('/').at(-1)!;

async function invite(email = uniqueEmail('invited')) {
  const response = await createUser(
    request('POST', '/api/users', { token: admin.token, body: { name: 'Ada', email } }),
  );
  expect(response.status).toBe(201);
  const body = (await response.json()) as { id: number; email: string; invitation: Link };
  return { id: body.id, email: body.email, link: body.invitation, token: tokenOf(body.invitation) };
}

const use = (token: string, password = PASSWORD) =>
  accept(request('POST', '/api/auth/invitation', { body: { token, password } }));

const reissue = (id: number | string, token = admin.token) =>
  issue(request('POST', `/api/users/${id}/invitation`, { token }), idParams(id));

const signIn = (email: string, password = PASSWORD) =>
  login(request('POST', '/api/auth/login', { body: { email, password } }));

describe('POST /api/users', () => {
  it('answers with a one-time invitation link on this site, valid 7 days, stored only as its SHA-256', async () => {
    const { id, link, token } = await invite();
    expect(link.url).toMatch(/^http:\/\/localhost:3000\/invite\/[A-Za-z0-9_-]{43}$/);
    expect(link.purpose).toBe('invitation');
    const lifetime = Date.parse(link.expiresAt) - Date.now();
    expect(lifetime).toBeGreaterThan(7 * 24 * 3600 * 1000 - 60_000);
    expect(lifetime).toBeLessThanOrEqual(7 * 24 * 3600 * 1000);
    const row = await db().invitation.findUnique({ where: { userId: id } });
    expect(row).toMatchObject({ tokenHash: await hashSecret(token), purpose: 'invitation', usedAt: null });
    expect(JSON.stringify(row)).not.toContain(token);
  });
});

describe('POST /api/auth/invitation', () => {
  it('sets the password and signs the person in, as signing in does, in 3 round trips', async () => {
    const { id, email, token } = await invite();
    const { result, roundTrips } = await countRoundTrips(() => use(token));
    expect(result.status).toBe(200);
    expect(result.headers.get('cache-control')).toBe('no-store');
    const body = (await result.json()) as { user: { id: number }; token: string; refreshToken: string };
    expect(body.user).toMatchObject({ id, email, role: 'user' });
    expect(await verifyToken(body.token)).toMatchObject({ id, role: 'user' });
    expect(body.refreshToken).toEqual(expect.any(String));
    expect(result.headers.getSetCookie().map((cookie) => cookie.split('=')[0])).toEqual(['token', 'refresh']);
    expect(roundTrips).toBe(3);
    expect((await signIn(email)).status).toBe(200);
  });

  it('refuses the same link a second time with 410, and the password stays the first one', async () => {
    const { email, token } = await invite();
    expect((await use(token)).status).toBe(200);
    const again = await expectProblem(await use(token, 'another long password'), 410);
    expect(again.detail).toBe(
      'This link has already been used. Sign in with your password, or ask an admin for a new link.',
    );
    await expectProblem(await signIn(email, 'another long password'), 401);
    expect((await signIn(email)).status).toBe(200);
  });

  it('lets exactly one of two simultaneous uses of a link through', async () => {
    const { email, token } = await invite();
    const answers = await Promise.all([use(token, 'first racer password'), use(token, 'second racer password')]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 410]);
    const winner = answers.findIndex((answer) => answer.status === 200);
    const password = winner === 0 ? 'first racer password' : 'second racer password';
    const loser = winner === 0 ? 'second racer password' : 'first racer password';
    expect((await signIn(email, password)).status).toBe(200);
    await expectProblem(await signIn(email, loser), 401);
  });

  it('refuses an expired link with 410 and sets no password', async () => {
    const { id, email, token } = await invite();
    await db().invitation.update({ where: { userId: id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const problem = await expectProblem(await use(token), 410);
    expect(problem.detail).toBe('This link has expired. Ask an admin for a new one.');
    await expectProblem(await signIn(email), 401);
  });

  it('refuses an unknown token with 404 after one round trip, without hashing a password', async () => {
    const { result, roundTrips } = await countRoundTrips(() => use('no-such-token'));
    const problem = await expectProblem(result, 404);
    expect(roundTrips).toBe(1);
    expect(problem.detail).toMatch(/^This link is not valid/);
    await expectProblem(await use('x'.repeat(201)), 400);
  });

  it('refuses the link of a user deleted since with 404: the link went with the user', async () => {
    const { id, token } = await invite();
    await db().user.delete({ where: { id } });
    await expectProblem(await use(token), 404);
  });

  it('says what the password needs, and leaves the link usable', async () => {
    const { token } = await invite();
    const problem = await expectProblem(await use(token, 'short'), 400);
    expect(problem.errors).toEqual([{ field: 'password', message: 'Must be at least 8 characters' }]);
    const missing = await expectProblem(
      await accept(request('POST', '/api/auth/invitation', { body: { password: PASSWORD } })),
      400,
    );
    expect(missing.errors).toEqual([{ field: 'token', message: 'Required' }]);
    expect((await use(token)).status).toBe(200);
  });
});

describe('POST /api/users/{id}/invitation', () => {
  it('issues a new invitation in one round trip; the earlier link stops working', async () => {
    const { id, email, token } = await invite();
    const { result, roundTrips } = await countRoundTrips(() => reissue(id));
    expect(result.status).toBe(201);
    expect(result.headers.get('cache-control')).toBe('no-store');
    const link = (await result.json()) as Link;
    expect(Object.keys(link).sort()).toEqual(['expiresAt', 'purpose', 'url']);
    expect(link.purpose).toBe('invitation');
    expect(roundTrips).toBe(1);
    await expectProblem(await use(token), 404);
    expect((await use(tokenOf(link))).status).toBe(200);
    expect((await signIn(email)).status).toBe(200);
  });

  it('is a password reset for a user who has a password: using it signs them out everywhere', async () => {
    const email = uniqueEmail('reset');
    const signedUp = await register(
      request('POST', '/api/auth/register', { body: { name: 'Forgetful', email, password: 'the old password' } }),
    );
    const { user, refreshToken } = (await signedUp.json()) as { user: { id: number }; refreshToken: string };
    const link = (await (await reissue(user.id)).json()) as Link;
    expect(link.purpose).toBe('password_reset');
    expect((await use(tokenOf(link), 'the new password')).status).toBe(200);
    await expectProblem(await refresh(request('POST', '/api/auth/refresh', { body: { refreshToken } })), 401);
    await expectProblem(await signIn(email, 'the old password'), 401);
    expect((await signIn(email, 'the new password')).status).toBe(200);
  });

  it('refuses a non-admin with 403 before any round trip, and nobody signed in with 401', async () => {
    const { id } = await invite();
    const member = await signedInUser('user');
    const { result, roundTrips } = await countRoundTrips(() => reissue(id, member.token));
    await expectProblem(result, 403);
    expect(roundTrips).toBe(0);
    await expectProblem(await issue(request('POST', `/api/users/${id}/invitation`), idParams(id)), 401);
  });

  it('refuses an admin demoted since their token was issued, in the write itself (403)', async () => {
    const { id } = await invite();
    const demoted = await signedInUser('admin');
    await db().user.update({ where: { id: demoted.id }, data: { role: 'user' } });
    const problem = await expectProblem(await reissue(id, demoted.token), 403);
    expect(problem.detail).toBe('Only an admin may issue sign-in links.');
  });

  it('answers 404 for a user that does not exist and 400 for an id that is not one', async () => {
    await expectProblem(await reissue(2_000_000_000), 404);
    await expectProblem(await reissue('abc'), 400);
  });
});

describe('POST /api/auth/password', () => {
  it('voids an unused reset link: a password changed by its owner is not reset by an older link', async () => {
    const email = uniqueEmail('changer');
    const signedUp = await register(
      request('POST', '/api/auth/register', { body: { name: 'Changer', email, password: 'the first password' } }),
    );
    const { user, token } = (await signedUp.json()) as { user: { id: number }; token: string };
    const link = (await (await reissue(user.id)).json()) as Link;
    const changed = await changePassword(
      request('POST', '/api/auth/password', {
        token,
        body: { currentPassword: 'the first password', newPassword: 'the second password' },
      }),
    );
    expect(changed.status).toBe(200);
    await expectProblem(await use(tokenOf(link)), 404);
    expect((await signIn(email, 'the second password')).status).toBe(200);
  });
});
