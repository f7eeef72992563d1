// Where sign-in sends people next: only a path on this site, whatever `?next=` says, before or after normalising.
import { describe, expect, it } from 'vitest';
import { DEFAULT_NEXT_PATH, safeNextPath } from '@/src/auth/next-path.ts';

describe('safeNextPath', () => {
  it.each([
    '//evil.example',
    '/\\evil.example',
    '/.//evil.example',
    '/..//evil.example',
    '/%2e//evil.example',
    '/%2E%2E//evil.example',
    '/./..//evil.example/path',
    '/a/..//evil.example',
    'https://evil.example/',
    'evil.example',
    '/\t/evil.example',
    '/login',
    '/login/../login?next=/users',
    '',
  ])('refuses %j, sending to /users', (next) => {
    expect(safeNextPath(next)).toBe(DEFAULT_NEXT_PATH);
  });

  it.each([
    ['/users?cursor=20', '/users?cursor=20'],
    ['/docs#auth', '/docs#auth'],
    ['/a/../users', '/users'],
    ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
  ])('keeps the same-site path %j as %j', (next, expected) => {
    const kept = safeNextPath(next);
    expect(kept).toBe(expected);
    // What a browser would make of the Location header: still this site.
    expect(new URL(kept, 'https://site.example').origin).toBe('https://site.example');
  });
});
