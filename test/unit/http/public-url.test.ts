// The public URL: PUBLIC_ORIGIN when set (no header counts); else forwarded headers count only behind a trusted
// proxy (TRUST_PROXY).
import { afterEach, describe, expect, it, vi } from 'vitest';
import '@/test/support/in-process/database.ts';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

async function load(trustProxy: boolean, settings: Record<string, string> = {}) {
  vi.stubEnv('TRUST_PROXY', String(trustProxy));
  vi.stubEnv('PUBLIC_ORIGIN', '');
  for (const [name, value] of Object.entries(settings)) vi.stubEnv(name, value);
  vi.resetModules();
  return import('@/src/http/public-url.ts');
}

const forwarded = (url = 'http://internal:3000/api/users') =>
  new Request(url, {
    headers: {
      host: 'api.example.com',
      'x-forwarded-host': 'evil.example, proxy.internal',
      'x-forwarded-proto': 'https',
      'x-real-ip': '203.0.113.9',
      'x-forwarded-for': '198.51.100.1, 10.0.0.1',
    },
  });

describe('publicUrl', () => {
  it('ignores X-Forwarded-Host and X-Forwarded-Proto without TRUST_PROXY, even when they shaped req.url', async () => {
    const { publicUrl } = await load(false);
    expect(publicUrl(forwarded()).origin).toBe('http://api.example.com');
    expect(publicUrl(forwarded('https://evil.example/api/users')).origin).toBe('http://api.example.com');
  });

  it('keeps the protocol of req.url when nothing was forwarded', async () => {
    const { publicUrl } = await load(false);
    const direct = new Request('https://api.example.com/api/users', { headers: { host: 'api.example.com' } });
    expect(publicUrl(direct).origin).toBe('https://api.example.com');
  });

  it('takes the first forwarded host and protocol with TRUST_PROXY', async () => {
    const { publicUrl } = await load(true);
    expect(publicUrl(forwarded()).origin).toBe('https://evil.example');
  });
});

describe('publicUrl with PUBLIC_ORIGIN', () => {
  const PUBLIC_ORIGIN = 'https://api.example.com';

  it.each([false, true])(
    'is PUBLIC_ORIGIN with the request path and query, whatever Host and X-Forwarded-* say (TRUST_PROXY=%s)',
    async (trustProxy) => {
      const { publicUrl } = await load(trustProxy, { PUBLIC_ORIGIN });
      expect(publicUrl(forwarded('http://internal:3000/api/users?limit=2')).href).toBe(
        'https://api.example.com/api/users?limit=2',
      );
      const viaForwarded = new Request('http://evil.example/x', {
        headers: { host: 'evil.example', forwarded: 'host=evil.example;proto=http' },
      });
      expect(publicUrl(viaForwarded).origin).toBe(PUBLIC_ORIGIN);
    },
  );

  it('keeps a path that looks like another host a path', async () => {
    const { publicUrl } = await load(false, { PUBLIC_ORIGIN });
    expect(publicUrl(new Request('http://internal:3000//evil.example/x')).href).toBe(
      'https://api.example.com//evil.example/x',
    );
  });

  it('counts only PUBLIC_ORIGIN as this site in an Origin header, not the origin the headers name', async () => {
    const { isOwnOrigin } = await load(true, { PUBLIC_ORIGIN });
    expect(isOwnOrigin(forwarded(), PUBLIC_ORIGIN)).toBe(true);
    expect(isOwnOrigin(forwarded(), 'https://evil.example')).toBe(false);
    expect(isOwnOrigin(forwarded(), 'http://api.example.com')).toBe(false);
  });

  it("on Vercel also counts the deployment's own URLs, and nothing a header names", async () => {
    const { isOwnOrigin, publicUrl } = await load(true, {
      VERCEL: '1',
      VERCEL_ENV: 'preview',
      VERCEL_URL: 'app-abc123-team.vercel.app',
      VERCEL_BRANCH_URL: 'app-git-feature-team.vercel.app',
    });
    expect(publicUrl(forwarded()).origin).toBe('https://app-abc123-team.vercel.app');
    expect(isOwnOrigin(forwarded(), 'https://app-abc123-team.vercel.app')).toBe(true);
    expect(isOwnOrigin(forwarded(), 'https://app-git-feature-team.vercel.app')).toBe(true);
    expect(isOwnOrigin(forwarded(), 'https://evil.example')).toBe(false);
  });
});
