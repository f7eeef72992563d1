// The database unreachable or stalled: every route that needs it answers 503 promptly, never hangs.
import { beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { expectProblem } from '@/test/support/problems.ts';
import '@/test/support/in-process/database.ts';
import { tokenFor } from '@/test/support/in-process/identities.ts';
import { request, routeParams, uniqueEmail } from '@/test/support/requests.ts';

const TIMEOUT_MS = 1_000;

/** Minted after each reset, by the same modules the routes use. */
const admin = () => tokenFor({ id: 1, role: 'admin' });

beforeAll(() => {
  process.env.DATABASE_TIMEOUT_MS = String(TIMEOUT_MS);
});

async function expectUnavailable(serve: () => Promise<Response>) {
  const started = performance.now();
  const response = await serve();
  const elapsed = performance.now() - started;
  expect((await expectProblem(response, 503)).code).toBe('database_unavailable');
  expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
  // Bounded by DATABASE_TIMEOUT_MS, not by the test's own timeout; the margin is for a loaded machine.
  expect(elapsed).toBeLessThan(TIMEOUT_MS + 15_000);
}

describe.each([
  ['refuses connections', () => inject('refusedEndpoint')],
  ['accepts but never answers', () => inject('stalledEndpoint')],
])('when the database %s', (_label, endpoint) => {
  beforeAll(() => {
    process.env.NEON_FETCH_ENDPOINT = endpoint();
    // Each case needs settings read afresh and a client built for its endpoint.
    vi.resetModules();
    delete (globalThis as { prisma?: unknown }).prisma;
  });

  it('GET /api/health answers 503, logged once under the request id the response carries', async () => {
    const { GET } = await import('@/app/api/health/route.ts');
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      let response: Response | undefined;
      await expectUnavailable(async () => (response = await GET(request('GET', '/api/health'))));
      const id = response!.headers.get('x-request-id');
      expect(id).toBeTruthy();
      expect(log).toHaveBeenCalledTimes(1);
      expect(String(log.mock.calls[0]![0])).toContain(`[${id}] GET /api/health: 503 database_unavailable`);
    } finally {
      log.mockRestore();
    }
  });

  it('GET /api/users answers 503', async () => {
    const { GET } = await import('@/app/api/users/route.ts');
    const token = await admin();
    await expectUnavailable(() => GET(request('GET', '/api/users', { token })));
  });

  it('POST /api/users answers 503', async () => {
    const { POST } = await import('@/app/api/users/route.ts');
    const token = await admin();
    await expectUnavailable(() =>
      POST(request('POST', '/api/users', { token, body: { name: 'Ada', email: uniqueEmail() } })),
    );
  });

  it('PATCH /api/users/:id answers 503', async () => {
    const { PATCH } = await import('@/app/api/users/[id]/route.ts');
    const token = await admin();
    await expectUnavailable(() =>
      PATCH(request('PATCH', '/api/users/1', { token, body: { name: 'x' } }), routeParams({ id: '1' })),
    );
  });
});
