// The client's address: forwarded headers only behind a trusted proxy (TRUST_PROXY); without one, only a socket
// address the Node.js server stamped under its MAC (stamped for real in test/unit/startup.test.ts).
import { afterEach, describe, expect, it, vi } from 'vitest';
import '@/test/support/in-process/database.ts';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

async function load(trustProxy: boolean) {
  vi.stubEnv('TRUST_PROXY', String(trustProxy));
  vi.resetModules();
  return import('@/src/http/client-address.ts');
}

const forwarded = (headers: Record<string, string> = {}) =>
  new Request('http://internal:3000/api/auth/login', {
    headers: { 'x-real-ip': '203.0.113.9', 'x-forwarded-for': '198.51.100.1, 10.0.0.1', ...headers },
  });

describe('clientAddress', () => {
  it('is unknown without TRUST_PROXY when no socket address was stamped, whatever the client forwards', async () => {
    const { clientAddress } = await load(false);
    expect(await clientAddress(forwarded())).toBeUndefined();
  });

  it('refuses a socket address stamp the server did not sign', async () => {
    const { clientAddress, SOCKET_ADDRESS_HEADER } = await load(false);
    for (const stamp of ['203.0.113.7', '203.0.113.7 AAAA', '203.0.113.7  x', '', ' ', '203.0.113.7 a b']) {
      expect(await clientAddress(forwarded({ [SOCKET_ADDRESS_HEADER]: stamp }))).toBeUndefined();
    }
  });

  it("is X-Real-IP with TRUST_PROXY, else X-Forwarded-For's first hop", async () => {
    const { clientAddress } = await load(true);
    expect(await clientAddress(forwarded())).toBe('203.0.113.9');
    const viaFor = new Request('http://x/', { headers: { 'x-forwarded-for': ' 198.51.100.1 , 10.0.0.1' } });
    expect(await clientAddress(viaFor)).toBe('198.51.100.1');
    expect(await clientAddress(new Request('http://x/'))).toBeUndefined();
  });
});
