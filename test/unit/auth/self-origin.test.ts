// Where the middleware sends its own renewal call: a configured origin, the server's own address, or PUBLIC_ORIGIN;
// never the request's origin, which a client chooses (Host, X-Forwarded-Host).
import { afterEach, describe, expect, it, vi } from 'vitest';
import '@/test/support/in-process/database.ts';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

const SETTINGS = [
  'INTERNAL_ORIGIN',
  'PUBLIC_ORIGIN',
  'VERCEL',
  'VERCEL_ENV',
  'VERCEL_URL',
  'VERCEL_BRANCH_URL',
  'VERCEL_PROJECT_PRODUCTION_URL',
  'VERCEL_AUTOMATION_BYPASS_SECRET',
  '__NEXT_PRIVATE_ORIGIN',
];

async function selfOriginWith(settings: Record<string, string>) {
  for (const name of SETTINGS) vi.stubEnv(name, '');
  for (const [name, value] of Object.entries(settings)) vi.stubEnv(name, value);
  vi.resetModules();
  const { selfOrigin } = await import('@/src/auth/self-origin.ts');
  return selfOrigin();
}

describe('selfOrigin', () => {
  it('uses INTERNAL_ORIGIN before anything else, as an origin', async () => {
    expect(
      await selfOriginWith({
        INTERNAL_ORIGIN: 'http://app.internal:8080/ignored',
        __NEXT_PRIVATE_ORIGIN: 'http://localhost:3000',
        PUBLIC_ORIGIN: 'https://api.example.com',
      }),
    ).toEqual({ origin: 'http://app.internal:8080', headers: {} });
  });

  it('on a Node server, uses the address Next.js listens on, before PUBLIC_ORIGIN', async () => {
    expect(
      await selfOriginWith({
        __NEXT_PRIVATE_ORIGIN: 'http://localhost:3000',
        PUBLIC_ORIGIN: 'https://api.example.com',
      }),
    ).toEqual({ origin: 'http://localhost:3000', headers: {} });
  });

  it('without a listening server of its own (OpenNext on Lambda), uses PUBLIC_ORIGIN', async () => {
    expect(await selfOriginWith({ PUBLIC_ORIGIN: 'https://api.example.com' })).toEqual({
      origin: 'https://api.example.com',
      headers: {},
    });
  });

  it("on Vercel, uses the public origin derived from Vercel's variables, with the automation secret", async () => {
    const preview = { VERCEL: '1', VERCEL_ENV: 'preview', VERCEL_URL: 'app-abc123-team.vercel.app' };
    expect(await selfOriginWith(preview)).toEqual({ origin: 'https://app-abc123-team.vercel.app', headers: {} });
    expect(await selfOriginWith({ ...preview, VERCEL_AUTOMATION_BYPASS_SECRET: 's3cret' })).toEqual({
      origin: 'https://app-abc123-team.vercel.app',
      headers: { 'x-vercel-protection-bypass': 's3cret' },
    });
  });

  it('sends the automation secret nowhere but to Vercel', async () => {
    expect(
      await selfOriginWith({ PUBLIC_ORIGIN: 'https://api.example.com', VERCEL_AUTOMATION_BYPASS_SECRET: 's3cret' }),
    ).toEqual({ origin: 'https://api.example.com', headers: {} });
  });

  it('knows no origin without any of them, rather than falling back to the request', async () => {
    await expect(selfOriginWith({})).rejects.toThrow(/PUBLIC_ORIGIN/);
  });

  it('refuses an INTERNAL_ORIGIN that is not an http(s) URL, naming it', async () => {
    await expect(selfOriginWith({ INTERNAL_ORIGIN: 'ftp://x' })).rejects.toThrow(/INTERNAL_ORIGIN/);
  });
});
