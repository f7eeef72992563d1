// middleware.ts marks the outage notice 503, which the page cannot do itself, and nothing else.
import { describe, expect, it } from 'vitest';
import { NextRequest } from 'next/server';
import '@/test/support/in-process/database.ts';
import { middleware } from '@/middleware.ts';
import { tokenFor } from '@/test/support/in-process/identities.ts';

const SITE = 'http://localhost:3000';
const token = await tokenFor({ id: 7, role: 'user' });

function call(
  path: string,
  { method = 'GET', headers = {} }: { method?: string; headers?: Record<string, string> } = {},
) {
  return middleware(
    new NextRequest(new URL(path, SITE), { method, headers: { cookie: `token=${token}`, origin: SITE, ...headers } }),
  );
}

describe('the outage notice (/unavailable)', () => {
  it('is a 503 with Retry-After and no-store, passed on to the page to render', async () => {
    const response = await call('/unavailable?next=%2Fusers');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toMatch(/^[1-9][0-9]*$/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-middleware-next')).toBe('1');
    // The verified identity still reaches the page, which shows sign-out.
    expect(response.headers.get('x-middleware-request-x-user-id')).toBe('7');
  });

  it('leaves the sign-out Server Action posted from it, and the router’s payload fetches, alone', async () => {
    expect((await call('/unavailable', { method: 'POST', headers: { 'next-action': 'abc' } })).status).toBe(200);
    expect((await call('/unavailable', { headers: { rsc: '1' } })).status).toBe(200);
  });

  it('sends a signed-out visitor to sign in, as every other page does', async () => {
    const response = await middleware(new NextRequest(new URL('/unavailable', SITE)));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${SITE}/login?next=%2Funavailable`);
  });

  it('does not touch any other page', async () => {
    expect((await call('/users')).status).toBe(200);
    expect((await call('/unavailable/more')).status).toBe(200);
  });
});
