// Where the middleware sends its own renewal call: a configured origin, the platform's, or the server's own address.
import { afterEach, describe, expect, it, vi } from 'vitest';
import '@/test/support/in-process/database.ts';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

const REQUEST_ORIGIN = 'http://attacker.example';

async function selfOriginWith(settings: Record<string, string>) {
  for (const name of ['INTERNAL_ORIGIN', 'VERCEL', 'VERCEL_AUTOMATION_BYPASS_SECRET', '__NEXT_PRIVATE_ORIGIN']) {
    vi.stubEnv(name, '');
  }
  for (const [name, value] of Object.entries(settings)) vi.stubEnv(name, value);
  vi.resetModules();
  const { selfOrigin } = await import('@/src/auth/self-origin.ts');
  return selfOrigin(REQUEST_ORIGIN);
}

describe('selfOrigin', () => {
  it('uses INTERNAL_ORIGIN before anything else, as an origin', async () => {
    expect(
      await selfOriginWith({ INTERNAL_ORIGIN: 'http://app.internal:8080/ignored', __NEXT_PRIVATE_ORIGIN: 'x' }),
    ).toEqual({ origin: 'http://app.internal:8080', headers: {} });
  });

  it("on a Node server, uses the address Next.js listens on, not the client's Host", async () => {
    expect(await selfOriginWith({ __NEXT_PRIVATE_ORIGIN: 'http://localhost:3000' })).toEqual({
      origin: 'http://localhost:3000',
      headers: {},
    });
  });

  it('on Vercel, uses the request origin and passes Deployment Protection with the automation secret', async () => {
    expect(await selfOriginWith({ VERCEL: '1' })).toEqual({ origin: REQUEST_ORIGIN, headers: {} });
    expect(await selfOriginWith({ VERCEL: '1', VERCEL_AUTOMATION_BYPASS_SECRET: 's3cret' })).toEqual({
      origin: REQUEST_ORIGIN,
      headers: { 'x-vercel-protection-bypass': 's3cret' },
    });
  });

  it('without a listening server of its own (serverless adapters), uses the request origin', async () => {
    expect(await selfOriginWith({})).toEqual({ origin: REQUEST_ORIGIN, headers: {} });
  });

  it('refuses an INTERNAL_ORIGIN that is not an http(s) URL, naming it', async () => {
    await expect(selfOriginWith({ INTERNAL_ORIGIN: 'ftp://x' })).rejects.toThrow(/INTERNAL_ORIGIN/);
  });
});
