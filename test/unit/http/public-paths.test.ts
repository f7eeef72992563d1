// The middleware's reading of the access declaration: which route a path reaches, and whether it needs a token.
import { describe, expect, it } from 'vitest';
import { apiRouteOf, isPublic, routePattern } from '@/src/http/public-paths.ts';

describe('routePattern', () => {
  it('matches a dynamic segment, as a page like /invite/[token] needs', () => {
    const invite = routePattern('/invite/[token]');
    expect(invite.test('/invite/abc-123')).toBe(true);
    expect(invite.test('/invite')).toBe(false);
    expect(invite.test('/invite/abc/more')).toBe(false);
  });

  it('matches none or more segments for an optional catch-all, one or more for a catch-all', () => {
    expect(routePattern('/api/[[...path]]').test('/api')).toBe(true);
    expect(routePattern('/api/[[...path]]').test('/api/a/b')).toBe(true);
    expect(routePattern('/docs/[...slug]').test('/docs')).toBe(false);
    expect(routePattern('/docs/[...slug]').test('/docs/a/b')).toBe(true);
  });

  it('takes a fixed segment literally', () => {
    expect(routePattern('/api/openapi.json').test('/api/openapiXjson')).toBe(false);
  });
});

describe('apiRouteOf', () => {
  it('prefers a fixed route to a dynamic one, and a dynamic one to the catch-all', () => {
    expect(apiRouteOf('/api/auth/sessions')).toBe('/api/auth/sessions');
    expect(apiRouteOf('/api/users/5')).toBe('/api/users/[id]');
    expect(apiRouteOf('/api/users/5/more')).toBe('/api/[[...path]]');
    expect(apiRouteOf('/api')).toBe('/api/[[...path]]');
    expect(apiRouteOf('/users')).toBeUndefined();
  });
});

describe('isPublic', () => {
  it('lets a public method through, HEAD as GET', () => {
    expect(isPublic('/api/hello', 'GET')).toBe(true);
    expect(isPublic('/api/hello', 'HEAD')).toBe(true);
    expect(isPublic('/api/auth/login', 'POST')).toBe(true);
  });

  it("lets a public route's other methods through to its 405", () => {
    expect(isPublic('/api/auth/login', 'GET')).toBe(true);
    expect(isPublic('/api/hello', 'DELETE')).toBe(true);
  });

  it('gates every method of a route with no public method', () => {
    expect(isPublic('/api/users', 'GET')).toBe(false);
    expect(isPublic('/api/users', 'PUT')).toBe(false);
    expect(isPublic('/api/users/1', 'OPTIONS')).toBe(false);
  });

  it('lets unknown API paths through to their 404, whoever asks', () => {
    expect(isPublic('/api/nothing', 'GET')).toBe(true);
    expect(isPublic('/api/hello/extra', 'GET')).toBe(true);
    expect(isPublic('/api/users/1/extra', 'DELETE')).toBe(true);
  });

  it('lets the public pages through, and no other page', () => {
    expect(isPublic('/login', 'GET')).toBe(true);
    expect(isPublic('/login', 'POST')).toBe(true);
    expect(isPublic('/docs', 'GET')).toBe(true);
    expect(isPublic('/users', 'GET')).toBe(false);
    expect(isPublic('/', 'GET')).toBe(false);
    expect(isPublic('/login/extra', 'GET')).toBe(false);
  });
});
