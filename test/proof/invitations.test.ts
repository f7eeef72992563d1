// Attacks on one-time links, replayed against the production build over HTTP: a spent link used again, an expired
// one, a link raced by many clients at once (one wins), re-issues raced (one link survives), and guessed tokens.
import { afterAll, describe, expect, it } from 'vitest';
import { FigureSheet } from '@/test/support/proof/figures.ts';
import { bearer, header, inParallel, jsonType, send, type RawResponse } from '@/test/support/proof/raw-http.ts';
import { serverSql, sharedAdmin } from '@/test/support/over-http/server-admin.ts';

const sheet = new FigureSheet('invitations');
afterAll(() => sheet.save());

interface Link {
  url: string;
  purpose: string;
  expiresAt: string;
}

const post = (path: string, json: unknown, headers: [string, string][] = []) =>
  send({ method: 'POST', path, headers: [...headers, jsonType], body: JSON.stringify(json), timeoutMs: 30_000 });

const body = <T>(response: RawResponse) => JSON.parse(response.body) as T;
const tokenOf = (link: Link) => new URL(link.url).pathname.split('/').at(-1)!;
const statusCounts = (responses: RawResponse[]) =>
  responses.reduce<Record<number, number>>(
    (counts, { status }) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }),
    {},
  );

function expectProblem(response: RawResponse, status: number) {
  expect(response.status, response.body).toBe(status);
  expect(header(response, 'content-type')).toBe('application/problem+json');
  expect(body<{ status: number }>(response).status).toBe(status);
}

async function invite(): Promise<{ id: number; email: string; token: string }> {
  const admin = await sharedAdmin();
  const email = `invited-${crypto.randomUUID()}@example.com`;
  const response = await post('/api/users', { name: 'Invited', email }, [bearer(admin.token)]);
  expect(response.status, response.body).toBe(201);
  const created = body<{ id: number; invitation: Link }>(response);
  return { id: created.id, email, token: tokenOf(created.invitation) };
}

const accept = (token: string, password: string) => post('/api/auth/invitation', { token, password });
const signIn = (email: string, password: string) => post('/api/auth/login', { email, password });

describe('one-time links', () => {
  it('refuses a spent link with 410, whatever password it brings', async () => {
    const { email, token } = await invite();
    expect((await accept(token, 'the first password')).status).toBe(200);
    expectProblem(await accept(token, 'the attacker password'), 410);
    expectProblem(await signIn(email, 'the attacker password'), 401);
    expect((await signIn(email, 'the first password')).status).toBe(200);
  });

  it('refuses an expired link with 410 and leaves the account without a password', async () => {
    const { id, email, token } = await invite();
    await serverSql(`UPDATE invitations SET "expiresAt" = now() - interval '1 second' WHERE "userId" = $1`, [id]);
    expectProblem(await accept(token, 'too late password'), 410);
    const [row] = await serverSql(`SELECT "passwordHash" IS NULL AS none FROM users WHERE id = $1`, [id]);
    expect(row).toEqual({ none: true });
    expectProblem(await signIn(email, 'too late password'), 401);
  });

  it('lets exactly one of 20 simultaneous uses of one link set the password', async () => {
    const { email, token } = await invite();
    const passwords = Array.from({ length: 20 }, (_, i) => `racer password ${i}`);
    const answers = await inParallel(passwords, 20, (password) => accept(token, password));
    sheet.add({ racesRun: 1 });
    expect(statusCounts(answers)).toEqual({ 200: 1, 410: 19 });
    for (const answer of answers.filter(({ status }) => status !== 200)) expectProblem(answer, 410);
    const winner = passwords[answers.findIndex(({ status }) => status === 200)]!;
    expect((await signIn(email, winner)).status).toBe(200);
    const loser = passwords.find((password) => password !== winner)!;
    expectProblem(await signIn(email, loser), 401);
  });

  it('leaves exactly one working link after 10 simultaneous re-issues for one user', async () => {
    const admin = await sharedAdmin();
    const { id, token: first } = await invite();
    const issued = await inParallel(Array.from({ length: 10 }), 10, () =>
      post(`/api/users/${id}/invitation`, {}, [bearer(admin.token)]),
    );
    sheet.add({ racesRun: 1 });
    expect(statusCounts(issued)).toEqual({ 201: 10 });
    const tokens = [first, ...issued.map((response) => tokenOf(body<Link>(response)))];
    const [live] = await serverSql(`SELECT count(*)::int AS links FROM invitations WHERE "userId" = $1`, [id]);
    expect(live).toEqual({ links: 1 });
    const answers = await inParallel(tokens, 11, (token) => accept(token, 'whichever password'));
    expect(answers.filter(({ status }) => status === 200)).toHaveLength(1);
    for (const answer of answers.filter(({ status }) => status !== 200)) {
      expect([404, 410], answer.body).toContain(answer.status);
    }
  });

  it('answers guessed and malformed tokens with 404 or 400 problems, never a 5xx', async () => {
    const guesses = ['', 'a', 'x'.repeat(43), 'x'.repeat(200), 'x'.repeat(201), '../../etc', '\u0000', '🦄', 42, null];
    for (const token of guesses) {
      const answer = await accept(token as string, 'a long enough password');
      expect([400, 404], `${JSON.stringify(token)}: ${answer.body}`).toContain(answer.status);
      expectProblem(answer, answer.status);
    }
    const page = await send({ method: 'GET', path: `/invite/${'x'.repeat(5000)}` });
    expect(page.status).toBeLessThan(500);
  });
});
