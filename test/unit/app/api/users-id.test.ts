import { describe, expect, it } from 'vitest';
import type { PublicUser } from '@/src/users/schema.ts';
import { countRoundTrips } from '@/test/support/in-process/database.ts';
import { expectProblem } from '@/test/support/problems.ts';
import { adminToken } from '@/test/support/in-process/identities.ts';
import { idParams as at, request, uniqueEmail } from '@/test/support/requests.ts';
import { POST as createRoute } from '@/app/api/users/route.ts';
import { DELETE, GET, PATCH, POST, PUT } from '@/app/api/users/[id]/route.ts';

const admin = await adminToken();

type User = PublicUser;

async function createUser(body: Record<string, unknown> = {}): Promise<User> {
  const response = await createRoute(
    request('POST', '/api/users', { token: admin, body: { name: 'Ada', email: uniqueEmail(), ...body } }),
  );
  expect(response.status).toBe(201);
  // The answer to creating a user also carries their invitation link; reads answer the user alone.
  const { invitation, ...user } = (await response.json()) as User & { invitation: unknown };
  expect(invitation).toBeDefined();
  return user;
}

const patch = (id: number | string, body: unknown) =>
  PATCH(request('PATCH', `/api/users/${id}`, { token: admin, body }), at(id));

describe('GET /api/users/:id', () => {
  it('returns the user in one round trip', async () => {
    const user = await createUser();
    const { result: response, roundTrips } = await countRoundTrips(() =>
      GET(request('GET', `/api/users/${user.id}`, { token: admin }), at(user.id)),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(user);
    expect(roundTrips).toBe(1);
  });

  it('answers 404 for a user that does not exist', async () => {
    const problem = await expectProblem(
      await GET(request('GET', '/api/users/2147483647', { token: admin }), at(2147483647)),
      404,
    );
    expect(problem.detail).toBe('No such user.');
  });

  it.each(['0', '-1', 'abc', '1.5', '01', '1e3', '2147483648', '99999999999999999999', ' 1', '0x1a'])(
    'rejects the id %j with 400 and no round trip',
    async (id) => {
      const { result, roundTrips } = await countRoundTrips(() =>
        GET(request('GET', '/api/users/x', { token: admin }), at(id)),
      );
      const problem = await expectProblem(result, 400);
      expect(problem.errors?.[0]?.field).toBe('id');
      expect(roundTrips).toBe(0);
    },
  );
});

describe('PATCH /api/users/:id', () => {
  it('updates only the fields sent, in one round trip', async () => {
    const user = await createUser({ name: 'Before' });
    const { result: response, roundTrips } = await countRoundTrips(() => patch(user.id, { name: 'After' }));
    expect(response.status).toBe(200);
    const updated = (await response.json()) as User;
    expect(updated).toMatchObject({
      id: user.id,
      name: 'After',
      email: user.email,
      role: user.role,
      createdAt: user.createdAt,
    });
    expect(Date.parse(updated.updatedAt)).toBeGreaterThanOrEqual(Date.parse(user.updatedAt));
    expect(roundTrips).toBe(1);
  });

  it('normalises a new email and changes the role', async () => {
    const user = await createUser();
    const email = uniqueEmail('NEW');
    const response = await patch(user.id, { email: ` ${email} `, role: 'admin' });
    expect(await response.json()).toMatchObject({ email: email.toLowerCase(), role: 'admin' });
  });

  it('answers 404 for a user that does not exist, in one round trip', async () => {
    const { result, roundTrips } = await countRoundTrips(() => patch(2147483646, { name: 'Nobody' }));
    await expectProblem(result, 404);
    expect(roundTrips).toBe(1);
  });

  it("answers 409 when the email is another user's", async () => {
    const [first, second] = [await createUser(), await createUser()];
    await expectProblem(await patch(second!.id, { email: first!.email.toUpperCase() }), 409);
  });

  it('rejects an empty patch with 400', async () => {
    const user = await createUser();
    const problem = await expectProblem(await patch(user.id, {}), 400);
    expect(problem.errors?.[0]?.message).toMatch(/at least one/);
  });

  it('rejects unknown and invalid fields with 400', async () => {
    const user = await createUser();
    const problem = await expectProblem(await patch(user.id, { id: 7, createdAt: '2000-01-01', email: 'nope' }), 400);
    expect(problem.errors?.map((error) => error.field).sort()).toEqual(['createdAt', 'email', 'id']);
  });

  it('lists the roles when the role is not one of them', async () => {
    const user = await createUser();
    const problem = await expectProblem(await patch(user.id, { role: 'superuser' }), 400);
    expect(problem.errors).toEqual([{ field: 'role', message: 'Must be one of: user, admin' }]);
  });

  it('rejects a non-JSON body with 415', async () => {
    const user = await createUser();
    const req = request('PATCH', `/api/users/${user.id}`, {
      token: admin,
      rawBody: 'name=x',
      headers: { 'content-type': 'text/plain' },
    });
    await expectProblem(await PATCH(req, at(user.id)), 415);
  });

  it('checks the id before reading the body', async () => {
    const problem = await expectProblem(await patch('abc', { name: 'x' }), 400);
    expect(problem.errors?.[0]?.field).toBe('id');
  });
});

describe('DELETE /api/users/:id', () => {
  it('deletes the user in one round trip, answering 204 with no body', async () => {
    const user = await createUser();
    const { result: response, roundTrips } = await countRoundTrips(() =>
      DELETE(request('DELETE', `/api/users/${user.id}`, { token: admin }), at(user.id)),
    );
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect(roundTrips).toBe(1);
    await expectProblem(await GET(request('GET', `/api/users/${user.id}`, { token: admin }), at(user.id)), 404);
  });

  it('answers 404 when the user does not exist', async () => {
    const user = await createUser();
    await DELETE(request('DELETE', `/api/users/${user.id}`, { token: admin }), at(user.id));
    await expectProblem(await DELETE(request('DELETE', `/api/users/${user.id}`, { token: admin }), at(user.id)), 404);
  });
});

describe('other methods on /api/users/:id', () => {
  it.each([
    ['POST', POST],
    ['PUT', PUT],
  ])('answers %s with 405 and an Allow header', async (_method, serve) => {
    const response = await serve!();
    await expectProblem(response, 405);
    expect(response.headers.get('allow')).toBe('GET, PATCH, DELETE, HEAD, OPTIONS');
  });
});
