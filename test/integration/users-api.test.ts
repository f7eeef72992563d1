// The users API over HTTP against the production build, as curl sees it.
import { describe, expect, it } from 'vitest';
import type { PublicUser } from '@/src/users/schema.ts';
import { api, countServerRoundTrips } from '@/test/support/over-http/http.ts';
import { sharedAdmin } from '@/test/support/over-http/server-admin.ts';
import { expectProblem } from '@/test/support/problems.ts';
import { uniqueEmail } from '@/test/support/requests.ts';

const admin = { authorization: `Bearer ${(await sharedAdmin()).token}` };

type User = PublicUser;

async function createUser(body: Record<string, unknown> = {}): Promise<User> {
  const response = await api('/api/users', {
    method: 'POST',
    headers: admin,
    json: { name: 'Ada', email: uniqueEmail(), ...body },
  });
  expect(response.status).toBe(201);
  return (await response.json()) as User;
}

describe('GET /api/hello', () => {
  it('greets without touching the database', async () => {
    const { result: response, roundTrips } = await countServerRoundTrips(() => api('/api/hello'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ message: 'Hello from Next.js Backend!' });
    expect(roundTrips).toBe(0);
  });
});

describe('GET /api/health', () => {
  it('reports the database reachable and migrated after one round trip', async () => {
    const { result: response, roundTrips } = await countServerRoundTrips(() => api('/api/health'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', database: 'ok' });
    expect(roundTrips).toBe(1);
  });
});

describe('GET /api/live', () => {
  it('answers without a database round trip', async () => {
    const { result: response, roundTrips } = await countServerRoundTrips(() => api('/api/live'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(roundTrips).toBe(0);
  });
});

describe('the users resource', () => {
  it('creates, reads, updates and deletes a user, one round trip each', async () => {
    const email = uniqueEmail();
    const created = await countServerRoundTrips(() =>
      api('/api/users', { method: 'POST', headers: admin, json: { name: 'Ada', email } }),
    );
    expect(created.result.status).toBe(201);
    expect(created.roundTrips).toBe(1);
    const { invitation, ...user } = (await created.result.json()) as User & { invitation: { url: string } };
    expect(invitation.url).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
    const location = created.result.headers.get('location');
    expect(location).toMatch(new RegExp(`/api/users/${user.id}$`));

    const read = await countServerRoundTrips(() => api(location!, { headers: admin }));
    expect(read.result.status).toBe(200);
    expect(await read.result.json()).toEqual(user);
    expect(read.roundTrips).toBe(1);

    const updated = await countServerRoundTrips(() =>
      api(location!, { headers: admin, method: 'PATCH', json: { name: 'Ada Lovelace' } }),
    );
    expect(updated.result.status).toBe(200);
    expect(await updated.result.json()).toMatchObject({ id: user.id, name: 'Ada Lovelace', email });
    expect(updated.roundTrips).toBe(1);

    const deleted = await countServerRoundTrips(() => api(location!, { headers: admin, method: 'DELETE' }));
    expect(deleted.result.status).toBe(204);
    expect(deleted.roundTrips).toBe(1);
    await expectProblem(await api(location!, { headers: admin }), 404);
  });

  it('walks every page through Link headers, one round trip per page', async () => {
    const created = [
      await createUser(),
      await createUser(),
      await createUser(),
      await createUser(),
      await createUser(),
    ];
    const seen: number[] = [];
    let next: string | undefined = `/api/users?limit=2&cursor=${created[0]!.id - 1}`;
    while (next) {
      const { result: response, roundTrips } = await countServerRoundTrips(() => api(next!, { headers: admin }));
      expect(response.status).toBe(200);
      expect(roundTrips).toBe(1);
      const users = (await response.json()) as User[];
      expect(users.length).toBeLessThanOrEqual(2);
      seen.push(...users.map((user) => user.id));
      const link = response.headers.get('link');
      next = link ? /^<([^>]+)>; rel="next"$/.exec(link)![1] : undefined;
      if (next) expect(new URL(next).origin).toBe(new URL(response.url).origin);
    }
    expect(seen.slice(0, 5)).toEqual(created.map((user) => user.id));
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it('answers a duplicate email, in any case, with 409', async () => {
    const { email } = await createUser();
    const response = await api('/api/users', {
      method: 'POST',
      headers: admin,
      json: { name: 'Twin', email: email.toUpperCase() },
    });
    await expectProblem(response, 409);
  });
});

describe('client errors over HTTP', () => {
  it('answers malformed JSON with 400', async () => {
    const response = await api('/api/users', {
      method: 'POST',
      body: '{"name":',
      headers: { ...admin, 'content-type': 'application/json' },
    });
    await expectProblem(response, 400);
  });

  it('answers a form post with 415', async () => {
    const response = await api('/api/users', {
      method: 'POST',
      body: 'name=x',
      headers: { ...admin, 'content-type': 'application/x-www-form-urlencoded' },
    });
    await expectProblem(response, 415);
  });

  it('answers a body over 16 KiB with 413 and no round trip', async () => {
    const { result, roundTrips } = await countServerRoundTrips(() =>
      api('/api/users', { method: 'POST', headers: admin, json: { name: 'x'.repeat(20_000), email: uniqueEmail() } }),
    );
    await expectProblem(result, 413);
    expect(roundTrips).toBe(0);
  });

  it('answers an id that is not a positive 32-bit integer with 400', async () => {
    for (const id of ['0', 'abc', '2147483648', '-3', '1.0']) {
      await expectProblem(await api(`/api/users/${id}`, { headers: admin }), 400);
    }
  });

  it('answers unknown fields with 400', async () => {
    const response = await api('/api/users', {
      method: 'POST',
      headers: admin,
      json: { name: 'x', email: uniqueEmail(), role: 'admin', isAdmin: true },
    });
    const problem = await expectProblem(response, 400);
    expect(problem.errors).toEqual([{ field: 'isAdmin', message: 'Unknown field' }]);
  });

  it('says what each field expects: Required, the type, the allowed values', async () => {
    const response = await api('/api/users', { method: 'POST', headers: admin, json: { name: 42, role: 'superuser' } });
    const problem = await expectProblem(response, 400);
    expect(problem.errors).toEqual([
      { field: 'name', message: 'Must be a string' },
      { field: 'email', message: 'Required' },
      { field: 'role', message: 'Must be one of: user, admin' },
    ]);
  });

  it.each([
    ['PUT', '/api/users', 'GET, POST, HEAD, OPTIONS'],
    ['DELETE', '/api/users', 'GET, POST, HEAD, OPTIONS'],
    ['PUT', '/api/users/1', 'GET, PATCH, DELETE, HEAD, OPTIONS'],
    ['POST', '/api/users/1', 'GET, PATCH, DELETE, HEAD, OPTIONS'],
    ['POST', '/api/hello', 'GET, HEAD, OPTIONS'],
    ['DELETE', '/api/health', 'GET, HEAD, OPTIONS'],
    ['POST', '/api/live', 'GET, HEAD, OPTIONS'],
  ])('answers %s %s with 405 and Allow: %s', async (method, path, allow) => {
    const response = await api(path, { method, headers: admin });
    await expectProblem(response, 405);
    expect(response.headers.get('allow')).toBe(allow);
  });

  it('answers an unknown API path with 404 problem+json', async () => {
    await expectProblem(await api('/api/nothing-here', { headers: admin }), 404);
  });
});
