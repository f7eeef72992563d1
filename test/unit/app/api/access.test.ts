/// <reference types="vite/client" />
// Every route file under app/api is declared in src/http/access.ts, method by method, and serves each method from
// its own declaration: whatever is not public answers 401 without credentials and 403 to too little authority,
// before any database round trip.
import { describe, expect, it } from 'vitest';
import { accessOf, API_ROUTES, METHODS, type Access, type ApiPath, type Method } from '@/src/http/access.ts';
import type { RouteHandler } from '@/src/http/handler.ts';
import { countRoundTrips } from '@/test/support/in-process/database.ts';
import { tokenFor } from '@/test/support/in-process/identities.ts';
import { expectProblem } from '@/test/support/problems.ts';
import { request, routeParams } from '@/test/support/requests.ts';

// Found by the bundler in the file system, so a new route file cannot go unnoticed.
const routeModules = import.meta.glob<Record<string, unknown>>('/app/api/**/route.ts');

/** `/app/api/users/[id]/route.ts` → `/api/users/[id]`, as the declaration names it. */
const routeOf = (file: string) => file.replace(/^\/app/, '').replace(/\/route\.ts$/, '');

const declared = Object.keys(API_ROUTES) as ApiPath[];

/** A concrete request path and Next.js params for a route: every `[id]` is 2, a catch-all one segment. */
function concrete(path: ApiPath): { url: string; params: Record<string, string | string[]> } {
  const params: Record<string, string | string[]> = {};
  const url = path
    .replace(/\/\[\[?\.\.\.(\w+)\]\]?/g, (_, name: string) => {
      params[name] = ['nothing-here'];
      return '/nothing-here';
    })
    .replace(/\[(\w+)\]/g, (_, name: string) => {
      params[name] = '2';
      return '2';
    });
  return { url, params };
}

async function handlerFor(path: ApiPath, method: Method): Promise<RouteHandler> {
  const route = await routeModules[`/app${path}/route.ts`]!();
  return route[method] as RouteHandler;
}

const guarded = declared.flatMap((path) =>
  METHODS.flatMap((method) => {
    const access = accessOf(path, method);
    return access && access !== 'public' ? [{ path, method, access }] : [];
  }),
);

describe('the access declaration', () => {
  it('names every route file under app/api, and no route without a file', () => {
    expect(Object.keys(routeModules).map(routeOf).sort()).toEqual([...declared].sort());
  });

  it.each(declared)(
    '%s: each declared method is wrapped from its own declaration, every other answers 405',
    async (path) => {
      const route = await routeModules[`/app${path}/route.ts`]!();
      for (const method of METHODS) {
        const exported = route[method] as RouteHandler | undefined;
        expect(exported, `${method} ${path} is exported`).toBeTypeOf('function');
        if (accessOf(path, method)) {
          expect(exported!.declared, `${method} ${path}`).toEqual({ path, method });
        } else {
          const { url, params } = concrete(path);
          const refused = await exported!(request(method, url), routeParams(params as Record<string, string>));
          expect((await expectProblem(refused, 405)).code).toBe('method_not_allowed');
        }
      }
    },
  );

  it('declares at least one route of each access level but public with a test below', () => {
    const levels = new Set<Access>(guarded.map(({ access }) => access));
    expect([...levels].sort()).toEqual(['admin', 'owner-or-admin', 'signed-in']);
  });
});

describe.each(guarded)('$method $path ($access)', ({ path, method, access }) => {
  const { url, params } = concrete(path);
  const call = (token?: string) =>
    countRoundTrips(async () =>
      (await handlerFor(path, method))(request(method, url, { token }), routeParams(params as Record<string, string>)),
    );

  it('answers 401 missing_token without credentials, before any round trip', async () => {
    const { result, roundTrips } = await call();
    expect((await expectProblem(result, 401)).code).toBe('missing_token');
    expect(result.headers.get('www-authenticate')).toBe('Bearer');
    expect(roundTrips).toBe(0);
  });

  it('answers 401 invalid_token to a forged token', async () => {
    const { result } = await call('not.a.token');
    expect((await expectProblem(result, 401)).code).toBe('invalid_token');
  });

  if (access === 'admin' || access === 'owner-or-admin') {
    it('answers 403 not_allowed to a signed-in user who is not an admin (nor, for the owner, user 2)', async () => {
      const { result, roundTrips } = await call(await tokenFor({ id: 1, role: 'user' }));
      expect((await expectProblem(result, 403)).code).toBe('not_allowed');
      expect(roundTrips).toBe(0);
    });
  }
});
