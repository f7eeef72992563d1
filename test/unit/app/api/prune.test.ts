// GET /api/cron/prune — Vercel Cron's clean-up: only for the configured secret; after 1,000 sign-in attempts for
// random emails it deletes every row past its end and nothing else, counted row by row.
import { afterEach, describe, expect, it, vi } from 'vitest';
import '@/test/support/in-process/database.ts';
import { db } from '@/src/db/client.ts';
import { pruneExpired, type CountQuery } from '@/src/maintenance/prune.ts';
import { signedInUser } from '@/test/support/in-process/identities.ts';
import { expectProblem } from '@/test/support/problems.ts';
import { request } from '@/test/support/requests.ts';

const SECRET = 'a-cron-secret-for-these-tests-0123456789';
const LOGIN_WINDOW_SECONDS = 900;

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

/** The prune and sign-in routes under these settings (read once per module instance). */
async function routes(settings: Record<string, string>) {
  for (const [name, value] of Object.entries(settings)) vi.stubEnv(name, value);
  vi.resetModules();
  const [{ GET: prune }, { POST: login }] = await Promise.all([
    import('@/app/api/cron/prune/route.ts'),
    import('@/app/api/auth/login/route.ts'),
  ]);
  return {
    prune: (authorization?: string) =>
      prune(request('GET', '/api/cron/prune', { headers: authorization ? { authorization } : {} })),
    signIn: (email: string) => login(request('POST', '/api/auth/login', { body: { email, password: 'wrong guess' } })),
  };
}

const count = async (sql: string, ...params: unknown[]) =>
  (await db().$queryRawUnsafe<{ count: number }[]>(`SELECT count(*)::int AS count FROM ${sql}`, ...params))[0]!.count;

describe('GET /api/cron/prune', () => {
  it('refuses everyone with 403 cron_disabled while CRON_SECRET is not set, and deletes nothing', async () => {
    const { prune } = await routes({ CRON_SECRET: '' });
    for (const authorization of [undefined, 'Bearer ', `Bearer ${SECRET}`]) {
      const problem = await expectProblem(await prune(authorization), 403);
      expect(problem.code).toBe('cron_disabled');
      expect(problem.detail).toMatch(/CRON_SECRET is not set/);
    }
  });

  it.each([
    ['no Authorization', undefined],
    ['another secret', 'Bearer another-secret-of-the-same-sort-0123456'],
    ['the secret with more after it', `Bearer ${SECRET}x`],
    ['the secret without its scheme', SECRET],
    ['the secret as Basic', `Basic ${SECRET}`],
    ['a JWT-looking token', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig'],
  ])('answers 401 cron_unauthorized to %s', async (_label, authorization) => {
    const { prune } = await routes({ CRON_SECRET: SECRET });
    const response = await prune(authorization);
    expect((await expectProblem(response, 401)).code).toBe('cron_unauthorized');
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('after 1,000 sign-in attempts for random emails, deletes every row past its end and leaves the live ones (row counts)', async () => {
    const { prune, signIn } = await routes({
      CRON_SECRET: SECRET,
      LOGIN_WINDOW_SECONDS: String(LOGIN_WINDOW_SECONDS),
    });
    const run = crypto.randomUUID().slice(0, 8);
    const past = `sign-in:prune-past-${run}-%`;
    const current = `sign-in:prune-now-${run}-%`;
    // Two at a time: the hashing bound (PASSWORD_HASH_CONCURRENCY) would answer more with 503.
    for (let index = 0; index < 1_000; index += 2) {
      const answers = await Promise.all([index, index + 1].map((n) => signIn(`prune-past-${run}-${n}@example.com`)));
      for (const answer of answers) expect(answer.status).toBe(401);
    }
    for (let n = 0; n < 5; n++) expect((await signIn(`prune-now-${run}-${n}@example.com`)).status).toBe(401);
    expect(await count('rate_limits WHERE key LIKE $1', past)).toBe(1_000);
    // Those windows ended a second ago; the other five are in their window still.
    await db().$executeRawUnsafe(
      `UPDATE rate_limits SET "windowStart" = "windowStart" - make_interval(secs => $2) WHERE key LIKE $1`,
      past,
      LOGIN_WINDOW_SECONDS + 1,
    );

    const [live, revokedLongAgo, expiredLongAgo, revokedLately] = await Promise.all(
      Array.from({ length: 4 }, () => signedInUser()),
    );
    const longAgo = "CURRENT_TIMESTAMP - interval '31 days'";
    await db().$executeRawUnsafe(
      `UPDATE sessions SET "revokedAt" = ${longAgo} WHERE id = $1::uuid`,
      revokedLongAgo!.sessionId,
    );
    await db().$executeRawUnsafe(
      `UPDATE sessions SET "createdAt" = ${longAgo} - interval '30 days', "expiresAt" = ${longAgo} WHERE id = $1::uuid`,
      expiredLongAgo!.sessionId,
    );
    await db().$executeRawUnsafe(
      `UPDATE sessions SET "revokedAt" = CURRENT_TIMESTAMP WHERE id = $1::uuid`,
      revokedLately!.sessionId,
    );
    const link = (userId: number, expiresAt: string, usedAt = 'NULL') =>
      db().$executeRawUnsafe(
        `INSERT INTO invitations ("userId", purpose, "tokenHash", "expiresAt", "usedAt")
           VALUES ($1, 'invitation', $2, ${expiresAt}, ${usedAt})`,
        userId,
        crypto.randomUUID(),
      );
    await link(live!.id, "CURRENT_TIMESTAMP + interval '7 days'"); // unexpired
    await link(revokedLongAgo!.id, "CURRENT_TIMESTAMP + interval '7 days'", longAgo); // used 31 days ago
    await link(expiredLongAgo!.id, longAgo); // expired 31 days ago
    await link(revokedLately!.id, "CURRENT_TIMESTAMP - interval '1 day'"); // expired yesterday: still a 410
    const users = [live!.id, revokedLongAgo!.id, expiredLongAgo!.id, revokedLately!.id];
    const sessionsOf = (id: number) => count('sessions WHERE "userId" = $1', id);
    const linksOf = (id: number) => count('invitations WHERE "userId" = $1', id);

    const response = await prune(`Bearer ${SECRET}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { deleted: Record<string, number>; complete: boolean };
    // Other test files share this database: their stale rows may go too, never fewer than ours.
    expect(body.deleted.rateLimits).toBeGreaterThanOrEqual(1_000);
    expect(body.deleted.sessions).toBeGreaterThanOrEqual(2);
    expect(body.deleted.invitations).toBeGreaterThanOrEqual(2);
    expect(body.complete).toBe(true);

    const after = async () => ({
      pastWindows: await count('rate_limits WHERE key LIKE $1', past),
      currentWindows: await count('rate_limits WHERE key LIKE $1', current),
      sessions: await Promise.all(users.map(sessionsOf)),
      links: await Promise.all(users.map(linksOf)),
    });
    const expected = { pastWindows: 0, currentWindows: 5, sessions: [1, 0, 0, 1], links: [1, 0, 0, 1] };
    expect(await after()).toEqual(expected);
    // Idempotent: a second run finds nothing of ours and changes nothing.
    expect((await prune(`Bearer ${SECRET}`)).status).toBe(200);
    expect(await after()).toEqual(expected);
  }, 180_000);
});

describe('pruneExpired', () => {
  it('bounds a run: one statement per table per batch, at most maxBatches, and says when it stopped short', async () => {
    const statements: string[] = [];
    const full: CountQuery = async (sql, params) => {
      statements.push(sql);
      return [{ count: params[0] as number }];
    };
    const windows = { loginWindowSeconds: 900, registerWindowSeconds: 3600 };
    const bounded = await pruneExpired(full, windows, { batchSize: 10, maxBatches: 3 });
    expect(bounded).toEqual({ deleted: { sessions: 30, invitations: 30, rateLimits: 30 }, complete: false });
    expect(statements).toHaveLength(9);

    statements.length = 0;
    const short: CountQuery = async (sql) => {
      statements.push(sql);
      return [{ count: sql.includes('rate_limits') && statements.length < 4 ? 10 : 3 }];
    };
    const done = await pruneExpired(short, windows, { batchSize: 10, maxBatches: 3 });
    expect(done).toEqual({ deleted: { sessions: 3, invitations: 3, rateLimits: 13 }, complete: true });
    // The second batch asks only the table whose first batch came back full.
    expect(statements).toHaveLength(4);
  });
});
