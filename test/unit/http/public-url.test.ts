// The public URL and the client's address: forwarded headers count only behind a trusted proxy (TRUST_PROXY).
import { afterEach, describe, expect, it, vi } from 'vitest';
import '@/test/support/in-process/database.ts';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

async function load(trustProxy: boolean) {
  vi.stubEnv('TRUST_PROXY', String(trustProxy));
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

describe('clientAddress', () => {
  it('is unknown without TRUST_PROXY, whatever the client sends', async () => {
    const { clientAddress } = await load(false);
    expect(clientAddress(forwarded())).toBeUndefined();
  });

  it("is X-Real-IP with TRUST_PROXY, else X-Forwarded-For's first hop", async () => {
    const { clientAddress } = await load(true);
    expect(clientAddress(forwarded())).toBe('203.0.113.9');
    const viaFor = new Request('http://x/', { headers: { 'x-forwarded-for': ' 198.51.100.1 , 10.0.0.1' } });
    expect(clientAddress(viaFor)).toBe('198.51.100.1');
    expect(clientAddress(new Request('http://x/'))).toBeUndefined();
  });
});
