// `npm run db:prune`, run as a real process against this file's database: deletes what the route deletes, says
// how much, is idempotent, and refuses bad arguments and an unreachable database clearly.
import { describe, expect, it } from 'vitest';
// Pruning deletes every expired row: on the database the other files share, their own pruning (prune.test.ts) could
// delete this file's rows first, and this one theirs.
import '@/test/support/in-process/solo-database.ts';
import { db } from '@/src/db/client.ts';
import { runScript } from '@/test/support/processes.ts';

const prune = (args: string[], env: Record<string, string | undefined> = {}) =>
  runScript('scripts/db-prune.ts', args, { env: { ...process.env, JWT_SECRET: undefined, ...env } });

const count = async (pattern: string) =>
  (
    await db().$queryRawUnsafe<{ count: number }[]>(
      'SELECT count(*)::int AS count FROM rate_limits WHERE key LIKE $1',
      pattern,
    )
  )[0]!.count;

describe('npm run db:prune', () => {
  it('deletes rate-limit rows past their window and keeps current ones, without a JWT_SECRET; again deletes none of ours', async () => {
    const run = crypto.randomUUID().slice(0, 8);
    await db().$executeRawUnsafe(
      `INSERT INTO rate_limits (key, hits, "windowStart")
       SELECT 'sign-in:db-prune-past-' || $1 || '-' || n || ':', 1, CURRENT_TIMESTAMP - interval '1 day'
       FROM generate_series(1, 50) AS n
       UNION ALL
       SELECT 'sign-up:db-prune-past-' || $1 || '-' || n, 1, CURRENT_TIMESTAMP - interval '2 hours'
       FROM generate_series(1, 5) AS n
       UNION ALL
       SELECT 'sign-up:db-prune-now-' || $1 || '-' || n, 1, CURRENT_TIMESTAMP - interval '10 minutes'
       FROM generate_series(1, 5) AS n`,
      run,
    );
    const first = await prune(['--json']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const result = JSON.parse(first.stdout) as { deleted: Record<string, number>; complete: boolean };
    expect(result.deleted.rateLimits).toBeGreaterThanOrEqual(55);
    expect(result.complete).toBe(true);
    expect(await count(`%db-prune-past-${run}-%`)).toBe(0);
    expect(await count(`%db-prune-now-${run}-%`)).toBe(5);

    const second = await prune([]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^db:prune: deleted \d+ sessions, \d+ links and \d+ rate-limit rows; nothing else/);
    expect(await count(`%db-prune-now-${run}-%`)).toBe(5);
  }, 60_000);

  it('prints its usage with --help (exit 0) and refuses an unknown option (exit 2)', async () => {
    const help = await prune(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run db:prune/);
    const wrong = await prune(['--all']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/^db:prune: Unknown option '--all'/);
  }, 60_000);

  it('says it cannot reach the database, and exits 1', async () => {
    const refused = await prune([], { NEON_FETCH_ENDPOINT: 'http://127.0.0.1:9/sql' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^db:prune: cannot reach the database .*is it running, and is DATABASE_URL right\?\n$/,
    );
  }, 60_000);
});
