import { describe, expect, it, vi } from 'vitest';
import { countRoundTrips } from '@/test/support/in-process/database.ts';
import { expectProblem } from '@/test/support/problems.ts';
import { request } from '@/test/support/requests.ts';
import { GET as health } from '@/app/api/health/route.ts';
import { GET as live } from '@/app/api/live/route.ts';
import { MIGRATIONS } from '@/src/generated/migrations.ts';

// This build carries one migration more than the test database has (its endpoint applied prisma/migrations).
vi.mock('@/src/generated/migrations.ts', async (importOriginal) => {
  const { MIGRATIONS: carried } = await importOriginal<typeof import('@/src/generated/migrations.ts')>();
  return { MIGRATIONS: [...carried, '29991231000000_not_applied_yet'] };
});

describe('GET /api/health', () => {
  it('answers 503 schema_outdated, saying how many migrations are missing, after one round trip', async () => {
    const { result, roundTrips } = await countRoundTrips(() => health(request('GET', '/api/health')));
    const problem = await expectProblem(result, 503);
    expect(problem.code).toBe('schema_outdated');
    expect(problem.detail).toBe(
      `The database lacks 1 of the ${MIGRATIONS.length} migrations this build carries: run \`npm run migrate\` ` +
        '(in the container: `node migrate.mjs`) against it.',
    );
    expect(result.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(result.headers.get('cache-control')).toBe('no-store');
    expect(roundTrips).toBe(1);
  });
});

describe('GET /api/live', () => {
  it('answers ok without touching the database', async () => {
    const { result, roundTrips } = await countRoundTrips(() => live(request('GET', '/api/live')));
    expect(result.status).toBe(200);
    expect(await result.json()).toEqual({ status: 'ok' });
    expect(result.headers.get('cache-control')).toBe('no-store');
    expect(roundTrips).toBe(0);
  });
});
