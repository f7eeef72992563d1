import { describe, expect, it } from 'vitest';
import { countRoundTrips } from '@/test/support/in-process/database.ts';
import { expectProblem } from '@/test/support/problems.ts';
import { adminToken } from '@/test/support/in-process/identities.ts';
import { request, uniqueEmail } from '@/test/support/requests.ts';
import { GET, POST, PUT, PATCH, DELETE } from '@/app/api/users/route.ts';

const admin = await adminToken();

const userKeys = ['createdAt', 'email', 'id', 'name', 'role', 'updatedAt'];

async function createUser(body: Record<string, unknown> = {}) {
  const response = await POST(
    request('POST', '/api/users', { token: admin, body: { name: 'Ada', email: uniqueEmail(), ...body } }),
  );
  expect(response.status).toBe(201);
  return (await response.json()) as { id: number; email: string; name: string; role: string };
}

describe('POST /api/users', () => {
  it('creates a user with one round trip, answering 201 with a Location', async () => {
    const email = uniqueEmail();
    const { result: response, roundTrips } = await countRoundTrips(() =>
      POST(request('POST', '/api/users', { token: admin, body: { name: 'Grace Hopper', email } })),
    );
    expect(response.status).toBe(201);
    const user = await response.json();
    expect(Object.keys(user).sort()).toEqual([...userKeys, 'invitation'].sort());
    expect(user).toMatchObject({ name: 'Grace Hopper', email, role: 'user' });
    expect(new Date(user.createdAt).toISOString()).toBe(user.createdAt);
    expect(response.headers.get('location')).toBe(`http://localhost:3000/api/users/${user.id}`);
    expect(roundTrips).toBe(1);
  });

  it('trims the email and stores it lower-case', async () => {
    const email = uniqueEmail('MiXeD');
    const user = await createUser({ email: `  ${email.toUpperCase()}  ` });
    expect(user.email).toBe(email.toLowerCase());
  });

  it('accepts an admin role', async () => {
    expect((await createUser({ role: 'admin' })).role).toBe('admin');
  });

  it('rejects a duplicate email, in any case, with 409', async () => {
    const { email } = await createUser();
    const response = await POST(
      request('POST', '/api/users', { token: admin, body: { name: 'Copy', email: email.toUpperCase() } }),
    );
    const problem = await expectProblem(response, 409);
    expect(problem.detail).toMatch(/already exists/);
  });

  it('lists every invalid field with 400', async () => {
    const response = await POST(
      request('POST', '/api/users', { token: admin, body: { name: '', email: 'not-an-email', role: 'root' } }),
    );
    const problem = await expectProblem(response, 400);
    expect(problem.errors?.map((error) => error.field).sort()).toEqual(['email', 'name', 'role']);
  });

  it('rejects missing fields with 400, saying "Required" for each', async () => {
    const problem = await expectProblem(await POST(request('POST', '/api/users', { token: admin, body: {} })), 400);
    expect(problem.errors).toEqual([
      { field: 'name', message: 'Required' },
      { field: 'email', message: 'Required' },
    ]);
  });

  it('says which type a field must have, and which roles exist', async () => {
    const body = { name: 42, email: ['ada@example.com'], role: 'superuser' };
    const problem = await expectProblem(await POST(request('POST', '/api/users', { token: admin, body })), 400);
    expect(problem.errors).toEqual([
      { field: 'name', message: 'Must be a string' },
      { field: 'email', message: 'Must be a string' },
      { field: 'role', message: 'Must be one of: user, admin' },
    ]);
  });

  it('rejects unknown fields with 400, so nothing can be mass-assigned', async () => {
    const body = { name: 'Eve', email: uniqueEmail(), passwordHash: 'x', id: 1 };
    const problem = await expectProblem(await POST(request('POST', '/api/users', { token: admin, body })), 400);
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        { field: 'passwordHash', message: 'Unknown field' },
        { field: 'id', message: 'Unknown field' },
      ]),
    );
  });

  it.each([
    ['a JSON array', [1, 2]],
    ['a JSON string', 'name'],
    ['JSON null', null],
  ])('rejects %s with 400', async (_label, body) => {
    await expectProblem(await POST(request('POST', '/api/users', { token: admin, body })), 400);
  });

  it('rejects malformed JSON with 400', async () => {
    const req = request('POST', '/api/users', {
      token: admin,
      rawBody: '{"name": ',
      headers: { 'content-type': 'application/json' },
    });
    const problem = await expectProblem(await POST(req), 400);
    expect(problem.detail).toMatch(/not valid JSON/);
  });

  it('rejects a body that is not JSON with 415', async () => {
    const req = request('POST', '/api/users', {
      token: admin,
      rawBody: 'name=Ada',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    await expectProblem(await POST(req), 415);
  });

  it('rejects a body without a content type with 415', async () => {
    await expectProblem(await POST(request('POST', '/api/users', { token: admin, rawBody: '{}' })), 415);
  });

  it('rejects a body over 16 KiB with 413, without a database round trip', async () => {
    const body = { name: 'x'.repeat(16 * 1024), email: uniqueEmail() };
    const { result, roundTrips } = await countRoundTrips(() =>
      POST(request('POST', '/api/users', { token: admin, body })),
    );
    await expectProblem(result, 413);
    expect(roundTrips).toBe(0);
  });

  it('rejects an oversized body streamed without a Content-Length with 413', async () => {
    const chunk = new TextEncoder().encode(' '.repeat(4096));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 8) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const req = new Request('http://localhost:3000/api/users', {
      method: 'POST',
      body: stream,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      // @ts-expect-error Node's fetch needs this to send a stream; the edge runtime ignores it.
      duplex: 'half',
    });
    await expectProblem(await POST(req), 413);
  });

  it('accepts a name of exactly 100 characters and refuses 101', async () => {
    expect((await createUser({ name: 'n'.repeat(100) })).name).toHaveLength(100);
    const body = { name: 'n'.repeat(101), email: uniqueEmail() };
    await expectProblem(await POST(request('POST', '/api/users', { token: admin, body })), 400);
  });
});

describe('GET /api/users', () => {
  it('returns users ordered by id in one round trip, never with a password hash', async () => {
    await createUser();
    await createUser();
    const { result: response, roundTrips } = await countRoundTrips(() =>
      GET(request('GET', '/api/users?limit=100', { token: admin })),
    );
    expect(response.status).toBe(200);
    const users = (await response.json()) as { id: number }[];
    expect(users.length).toBeGreaterThanOrEqual(2);
    expect(users.map((user) => user.id)).toEqual([...users.map((user) => user.id)].sort((a, b) => a - b));
    for (const user of users) expect(Object.keys(user).sort()).toEqual(userKeys);
    expect(roundTrips).toBe(1);
  });

  it('lists a user exactly as creating them answered, timestamps included', async () => {
    const created = (await createUser()) as Record<string, unknown> & { id: number };
    const response = await GET(request('GET', `/api/users?limit=1&cursor=${created.id - 1}`, { token: admin }));
    expect(await response.json()).toEqual([Object.fromEntries(userKeys.map((key) => [key, created[key]]))]);
  });

  it('refuses an unknown query parameter with 400, naming it, as it refuses an unknown body field', async () => {
    const { result: response, roundTrips } = await countRoundTrips(() =>
      GET(request('GET', '/api/users?limt=5&limit=2&sort=name', { token: admin })),
    );
    const problem = await expectProblem(response, 400);
    expect(problem.code).toBe('validation_failed');
    expect(problem.errors).toEqual([
      { field: 'limt', message: 'Unknown field' },
      { field: 'sort', message: 'Unknown field' },
    ]);
    expect(roundTrips).toBe(0);
  });

  it('pages with limit and cursor, linking to the next page until none remain', async () => {
    const created = [await createUser(), await createUser(), await createUser()];
    // Other test files write to the same database meanwhile: their rows may fall between ours, so the pages are
    // followed until they have passed all three, and each is checked against the one before it.
    const seen: number[] = [];
    let path = `/api/users?limit=2&cursor=${created[0]!.id - 1}`;
    for (;;) {
      const { result: page, roundTrips } = await countRoundTrips(() => GET(request('GET', path, { token: admin })));
      expect(roundTrips).toBe(1);
      const ids: number[] = (await page.json()).map((user: { id: number }) => user.id);
      expect(ids.length).toBeGreaterThan(0);
      expect(ids.length).toBeLessThanOrEqual(2);
      expect(ids[0]).toBeGreaterThan(seen.at(-1) ?? created[0]!.id - 1);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      if (!seen.length) expect(ids[0]).toBe(created[0]!.id);
      seen.push(...ids);
      if (created.every((user) => seen.includes(user.id))) break;
      // A page before the last of ours is full and links to the rows after its last one.
      expect(ids).toHaveLength(2);
      const link = page.headers.get('link');
      expect(link).toBe(`<http://localhost:3000/api/users?limit=2&cursor=${ids[1]}>; rel="next"`);
      const next = new URL(/<([^>]+)>/.exec(link!)![1]!);
      path = next.pathname + next.search;
    }
  });

  it('sends no Link header on the last page', async () => {
    const { id } = await createUser();
    // The largest page: other test files may add a few rows after ours meanwhile, never a hundred.
    const response = await GET(request('GET', `/api/users?limit=100&cursor=${id}`, { token: admin }));
    expect(response.status).toBe(200);
    expect(response.headers.get('link')).toBeNull();
  });

  it('defaults to 20 per page', async () => {
    for (let i = 0; i < 21; i++) await createUser();
    const response = await GET(request('GET', '/api/users', { token: admin }));
    expect(await response.json()).toHaveLength(20);
    expect(response.headers.get('link')).toContain('limit=20');
  });

  it.each(['0', '101', '-1', '1.5', 'ten', '', '1e2', '0x10'])(
    'rejects limit=%s with 400 and no round trip',
    async (limit) => {
      const { result, roundTrips } = await countRoundTrips(() =>
        GET(request('GET', `/api/users?limit=${limit}`, { token: admin })),
      );
      const problem = await expectProblem(result, 400);
      expect(problem.errors?.[0]?.field).toBe('limit');
      expect(roundTrips).toBe(0);
    },
  );

  it.each(['0', '-5', 'abc', '2147483648', '99999999999'])('rejects cursor=%s with 400', async (cursor) => {
    const problem = await expectProblem(
      await GET(request('GET', `/api/users?cursor=${cursor}`, { token: admin })),
      400,
    );
    expect(problem.errors?.[0]?.field).toBe('cursor');
  });
});

describe('GET /api/users?q=', () => {
  /** A word no other test's user carries, so a search finds exactly this test's users. */
  const uniqueWord = () => `w${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const search = async (query: string) => {
    const response = await GET(request('GET', `/api/users?${query}`, { token: admin }));
    expect(response.status).toBe(200);
    return { users: (await response.json()) as { id: number; name: string }[], link: response.headers.get('link') };
  };

  it('finds users whose name or email contains the term, in any case, in one round trip', async () => {
    const word = uniqueWord();
    const byName = await createUser({ name: `Ada ${word.toUpperCase()} Lovelace` });
    const byEmail = await createUser({ email: uniqueEmail(`grace.${word}`) });
    await createUser({ name: 'Someone Else' });
    const { result: response, roundTrips } = await countRoundTrips(() =>
      GET(request('GET', `/api/users?q=${word.slice(2, 10).toUpperCase()}`, { token: admin })),
    );
    expect(response.status).toBe(200);
    const users = (await response.json()) as { id: number }[];
    expect(users.map((user) => user.id)).toEqual([byName.id, byEmail.id]);
    expect(roundTrips).toBe(1);
  });

  it('pages through the matches alone, the Link keeping the term', async () => {
    const word = uniqueWord();
    const matches = [];
    for (let i = 0; i < 3; i++) {
      matches.push(await createUser({ name: `${word} ${i}` }));
      await createUser({ name: `Not a match ${i}` });
    }
    const first = await search(`q=${word}&limit=2`);
    expect(first.users.map((user) => user.id)).toEqual([matches[0]!.id, matches[1]!.id]);
    expect(first.link).toBe(`<http://localhost:3000/api/users?q=${word}&limit=2&cursor=${matches[1]!.id}>; rel="next"`);
    const next = new URL(/<([^>]+)>/.exec(first.link!)![1]!);
    const second = await search(next.search.slice(1));
    expect(second.users.map((user) => user.id)).toEqual([matches[2]!.id]);
    expect(second.link).toBeNull();
  });

  it('matches %, _ and \\ as themselves, not as wildcards or escapes', async () => {
    const word = uniqueWord();
    const literal = await createUser({ name: `${word}% 1_0\\ sure` });
    await createUser({ name: `${word}s 100 sure` });
    const found = async (term: string) => (await search(`q=${encodeURIComponent(term)}`)).users.map((user) => user.id);
    expect(await found(`${word}%`)).toEqual([literal.id]);
    expect(await found(`${word}% 1_0\\`)).toEqual([literal.id]);
    expect(await found(`${word}_`)).toEqual([]);
  });

  it('trims the term, and finds nobody for a term nobody has', async () => {
    const word = uniqueWord();
    const user = await createUser({ name: `${word} Hopper` });
    expect((await search(`q=${encodeURIComponent(`  ${word}  `)}`)).users.map((found) => found.id)).toEqual([user.id]);
    expect((await search(`q=${uniqueWord()}`)).users).toEqual([]);
  });

  it.each([
    ['', 'Must not be empty'],
    ['%20%20', 'Must not be empty'],
    ['x'.repeat(101), 'Must be at most 100 characters'],
    ['%00', 'Must not contain NUL or unpaired surrogate characters'],
  ])('rejects q=%s with 400 and no round trip', async (q, message) => {
    const { result, roundTrips } = await countRoundTrips(() =>
      GET(request('GET', `/api/users?q=${q}`, { token: admin })),
    );
    const problem = await expectProblem(result, 400);
    expect(problem.errors).toEqual([{ field: 'q', message }]);
    expect(roundTrips).toBe(0);
  });

  it('accepts a term of exactly 100 characters', async () => {
    expect((await search(`q=${'y'.repeat(100)}`)).users).toEqual([]);
  });
});

describe('other methods on /api/users', () => {
  it.each([
    ['PUT', PUT],
    ['PATCH', PATCH],
    ['DELETE', DELETE],
  ])('answers %s with 405 and an Allow header', async (_method, serve) => {
    const response = await serve!();
    await expectProblem(response, 405);
    expect(response.headers.get('allow')).toBe('GET, POST, HEAD, OPTIONS');
  });
});
