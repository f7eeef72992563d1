// Server-side sessions through the route handlers and PrismaNeonHttp: renewal with rotating refresh tokens and
// reuse detection, sign-out that revokes, and writes authorised by the database rather than by the token.
import { describe, expect, it } from 'vitest';
import { countRoundTrips } from '@/test/support/in-process/database.ts';
import { signedInUser } from '@/test/support/in-process/identities.ts';
import { expectProblem } from '@/test/support/problems.ts';
import { deleteUser as remove, patchUser as patch } from '@/test/support/in-process/user-by-id.ts';
import { idParams as at, request, uniqueEmail } from '@/test/support/requests.ts';
import { POST as logout } from '@/app/api/auth/logout/route.ts';
import { POST as changePassword } from '@/app/api/auth/password/route.ts';
import { POST as refresh } from '@/app/api/auth/refresh/route.ts';
import { POST as register } from '@/app/api/auth/register/route.ts';
import { DELETE as revokeOne } from '@/app/api/auth/sessions/[id]/route.ts';
import { DELETE as revokeAll, GET as listSessions } from '@/app/api/auth/sessions/route.ts';
import { POST as createUser } from '@/app/api/users/route.ts';
import { ROTATION_GRACE_SECONDS } from '@/src/auth/sessions.ts';
import { db } from '@/src/db/client.ts';

interface Tokens {
  token: string;
  expiresAt: string;
  refreshToken?: string;
}

const renew = (refreshToken: string) => refresh(request('POST', '/api/auth/refresh', { body: { refreshToken } }));
const create = (token: string) =>
  createUser(request('POST', '/api/users', { token, body: { name: 'New', email: uniqueEmail('created') } }));

describe('POST /api/auth/refresh', () => {
  it('rotates: a new access token and the next refresh token, in one round trip', async () => {
    const user = await signedInUser();
    const { result, roundTrips } = await countRoundTrips(() => renew(user.refreshToken));
    expect(result.status).toBe(200);
    expect(result.headers.get('cache-control')).toBe('no-store');
    const body = (await result.json()) as Tokens;
    expect(body.refreshToken).toBeDefined();
    expect(body.refreshToken).not.toBe(user.refreshToken);
    expect(roundTrips).toBe(1);
    expect((await renew(body.refreshToken!)).status).toBe(200);
  });

  it('treats a spent refresh token as stolen: 401, and the whole session is revoked', async () => {
    const user = await signedInUser();
    const next = (await (await renew(user.refreshToken)).json()) as Tokens;
    // This session's grace passes; other files' sessions on the shared database keep theirs.
    await db()
      .$executeRaw`UPDATE sessions SET "rotatedAt" = "rotatedAt" - make_interval(secs => ${ROTATION_GRACE_SECONDS + 1})
      WHERE id = ${user.sessionId}::uuid`;
    const replay = await expectProblem(await renew(user.refreshToken), 401);
    expect(replay.detail).toMatch(/already used; the session has been revoked/);
    // The legitimate holder's newer token is dead too, and so is the session's access token for writes.
    await expectProblem(await renew(next.refreshToken!), 401);
    await expectProblem(await patch(next.token, user.id, { name: 'After theft' }), 401);
  });

  it('gives a request that lost a concurrent renewal an access token, without revoking the session', async () => {
    const user = await signedInUser();
    const answers = await Promise.all([renew(user.refreshToken), renew(user.refreshToken), renew(user.refreshToken)]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    const bodies = (await Promise.all(answers.map((answer) => answer.json()))) as Tokens[];
    const rotated = bodies.filter((body) => body.refreshToken);
    expect(rotated).toHaveLength(1);
    expect((await renew(rotated[0]!.refreshToken!)).status).toBe(200);
  });

  it('refuses a forged, truncated or foreign refresh token with 401 and revokes nothing', async () => {
    const user = await signedInUser();
    const [sessionId, generation, secret] = user.refreshToken.split('.');
    for (const forged of [
      `${sessionId}.${generation}.${secret}.AAAAAAAAAAAAAAAAAAAAAA`,
      `${sessionId}.${Number(generation) + 5}.${secret}.${user.refreshToken.split('.')[3]}`,
      user.refreshToken.slice(0, -1),
      'not-a-token',
    ]) {
      await expectProblem(await renew(forged), 401);
    }
    expect((await renew(user.refreshToken)).status).toBe(200);
  });

  it('carries the role the database holds now, not the one at sign-in', async () => {
    const user = await signedInUser('admin');
    await db().$executeRaw`UPDATE users SET role = 'user' WHERE id = ${user.id}`;
    const { token } = (await (await renew(user.refreshToken)).json()) as Tokens;
    const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { role: string };
    expect(payload.role).toBe('user');
  });

  it('renews from the refresh cookie, keeping the refresh token out of the body', async () => {
    const user = await signedInUser();
    const response = await refresh(
      request('POST', '/api/auth/refresh', { headers: { cookie: `refresh=${user.refreshToken}` } }),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as Tokens;
    expect(body.refreshToken).toBeUndefined();
    expect(response.headers.getSetCookie()).toEqual([
      expect.stringMatching(new RegExp(`^token=${body.token};`)),
      expect.stringMatching(/^refresh=[^;]+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax$/),
    ]);
  });

  it('refuses the refresh cookie from another site with 403', async () => {
    const user = await signedInUser();
    const response = await refresh(
      request('POST', '/api/auth/refresh', {
        headers: {
          cookie: `refresh=${user.refreshToken}`,
          origin: 'https://evil.example',
          'sec-fetch-site': 'cross-site',
        },
      }),
    );
    await expectProblem(response, 403);
  });
});

describe('POST /api/auth/logout', () => {
  it('revokes the session: its refresh token stops at once, and writes with its access token are refused', async () => {
    const user = await signedInUser();
    const { result, roundTrips } = await countRoundTrips(() =>
      logout(request('POST', '/api/auth/logout', { token: user.token })),
    );
    expect(result.status).toBe(204);
    expect(roundTrips).toBe(1);
    await expectProblem(await renew(user.refreshToken), 401);
    const refused = await expectProblem(await patch(user.token, user.id, { name: 'Still here?' }), 401);
    expect(refused.detail).toMatch(/signed out/);
  });

  it('revokes by the refresh cookie when the access token is gone', async () => {
    const user = await signedInUser();
    const response = await logout(
      request('POST', '/api/auth/logout', { headers: { cookie: `refresh=${user.refreshToken}` } }),
    );
    expect(response.status).toBe(204);
    await expectProblem(await renew(user.refreshToken), 401);
  });

  it('refuses a cross-site sign-out by cookie with 403, leaving the session alive', async () => {
    const user = await signedInUser();
    const response = await logout(
      request('POST', '/api/auth/logout', {
        headers: { cookie: `token=${user.token}; refresh=${user.refreshToken}`, origin: 'https://evil.example' },
      }),
    );
    await expectProblem(response, 403);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect((await renew(user.refreshToken)).status).toBe(200);
  });
});

describe('GET and DELETE /api/auth/sessions', () => {
  it('lists your live sessions, marking this one, and revokes one or all', async () => {
    const user = await signedInUser();
    const second = (await (await renew(user.refreshToken)).json()) as Tokens;
    const listed = (await (
      await listSessions(request('GET', '/api/auth/sessions', { token: second.token }))
    ).json()) as {
      id: string;
      current: boolean;
    }[];
    expect(listed).toEqual([expect.objectContaining({ id: user.sessionId, current: true })]);
    const { result, roundTrips } = await countRoundTrips(() =>
      revokeOne(request('DELETE', `/api/auth/sessions/${user.sessionId}`, { token: user.token }), at(user.sessionId)),
    );
    expect(result.status).toBe(204);
    expect(roundTrips).toBe(1);
    await expectProblem(await revokeAll(request('DELETE', '/api/auth/sessions', { token: user.token })), 401);
  });

  it("answers 404 for someone else's session and leaves it alive", async () => {
    const [mallory, victim] = [await signedInUser(), await signedInUser()];
    await expectProblem(
      await revokeOne(
        request('DELETE', `/api/auth/sessions/${victim.sessionId}`, { token: mallory.token }),
        at(victim.sessionId),
      ),
      404,
    );
    expect((await renew(victim.refreshToken)).status).toBe(200);
  });

  it('signs out everywhere', async () => {
    const user = await signedInUser();
    const other = (await (await renew(user.refreshToken)).json()) as Tokens;
    expect((await revokeAll(request('DELETE', '/api/auth/sessions', { token: user.token }))).status).toBe(204);
    await expectProblem(await renew(other.refreshToken!), 401);
  });
});

describe('authority on writes comes from the database', () => {
  it('refuses a demoted admin with an unexpired admin token: 403, and no way back to admin', async () => {
    const admin = await signedInUser('admin');
    const helper = await signedInUser('admin');
    expect((await patch(helper.token, admin.id, { role: 'user' })).status).toBe(200);
    await expectProblem(await create(admin.token), 401);
    await expectProblem(await patch(admin.token, admin.id, { role: 'admin' }), 403);
  });

  it('refuses a demoted admin whose session survived (demoted in the database directly) with 403', async () => {
    const admin = await signedInUser('admin');
    await db().$executeRaw`UPDATE users SET role = 'user' WHERE id = ${admin.id}`;
    const { result, roundTrips } = await countRoundTrips(() => create(admin.token));
    await expectProblem(result, 403);
    expect(roundTrips).toBe(1);
  });

  it("refuses a deleted admin's unexpired token with 401", async () => {
    const admin = await signedInUser('admin');
    await db().$executeRaw`DELETE FROM users WHERE id = ${admin.id}`;
    await expectProblem(await create(admin.token), 401);
    await expectProblem(await patch(admin.token, admin.id, { name: 'Ghost' }), 401);
  });

  it('refuses a token whose session does not exist (minted, never signed in) with 401', async () => {
    const admin = await signedInUser('admin');
    const { tokenFor } = await import('@/test/support/in-process/identities.ts');
    await expectProblem(await create(await tokenFor({ id: admin.id, role: 'admin' })), 401);
  });

  it('creates, changes and deletes in one round trip each', async () => {
    const admin = await signedInUser('admin');
    const created = await countRoundTrips(() => create(admin.token));
    expect(created.result.status).toBe(201);
    expect(created.roundTrips).toBe(1);
    const { id } = (await created.result.json()) as { id: number };
    const changed = await countRoundTrips(() => patch(admin.token, id, { name: 'Changed', role: 'admin' }));
    expect(changed.result.status).toBe(200);
    expect(changed.roundTrips).toBe(1);
    const deleted = await countRoundTrips(() => remove(admin.token, id));
    expect(deleted.result.status).toBe(204);
    expect(deleted.roundTrips).toBe(1);
  });

  it('signs a user out everywhere when an admin changes their role', async () => {
    const admin = await signedInUser('admin');
    const user = await signedInUser();
    expect((await patch(admin.token, user.id, { role: 'admin' })).status).toBe(200);
    await expectProblem(await renew(user.refreshToken), 401);
    await expectProblem(await patch(user.token, user.id, { name: 'Me' }), 401);
  });

  it('lets nobody change their own role, admin or not', async () => {
    const admin = await signedInUser('admin');
    await expectProblem(await patch(admin.token, admin.id, { role: 'user' }), 403);
    await expectProblem(await patch(admin.token, admin.id, { role: 'admin' }), 403);
  });
});

describe('POST /api/auth/password', () => {
  it('changes the password and signs out every other session; the caller gets a new one', async () => {
    const email = uniqueEmail('password');
    const signUp = await register(
      request('POST', '/api/auth/register', { body: { name: 'Pat', email, password: 'old password!' } }),
    );
    const first = (await signUp.json()) as Tokens & { user: { id: number } };
    const second = (await (await renew(first.refreshToken!)).json()) as Tokens;
    const response = await changePassword(
      request('POST', '/api/auth/password', {
        token: second.token,
        body: { currentPassword: 'old password!', newPassword: 'new password!' },
      }),
    );
    expect(response.status).toBe(200);
    const fresh = (await response.json()) as Tokens;
    await expectProblem(await renew(second.refreshToken!), 401);
    await expectProblem(await patch(second.token, first.user.id, { name: 'Old session' }), 401);
    expect((await patch(fresh.token, first.user.id, { name: 'New session' })).status).toBe(200);
  });

  it('refuses a wrong current password with 403', async () => {
    const email = uniqueEmail('password');
    const signUp = await register(
      request('POST', '/api/auth/register', { body: { name: 'Pat', email, password: 'old password!' } }),
    );
    const { token } = (await signUp.json()) as Tokens;
    const response = await changePassword(
      request('POST', '/api/auth/password', {
        token,
        body: { currentPassword: 'wrong!', newPassword: 'new password!' },
      }),
    );
    await expectProblem(response, 403);
  });
});
