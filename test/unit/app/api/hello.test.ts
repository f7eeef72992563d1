import { describe, expect, it } from 'vitest';
import { expectProblem } from '@/test/support/problems.ts';
import { request } from '@/test/support/requests.ts';
import { GET, POST } from '@/app/api/hello/route.ts';

describe('GET /api/hello', () => {
  it('greets', async () => {
    const response = await GET(request('GET', '/api/hello'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ message: 'Hello from Next.js Backend!' });
  });

  it('refuses POST with 405', async () => {
    const response = await POST!();
    await expectProblem(response, 405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });
});
