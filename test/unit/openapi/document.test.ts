/// <reference types="vite/client" />
// The OpenAPI document: valid OpenAPI 3.1, and true to the route files under app/api.
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import '@/test/support/in-process/database.ts';
import { GET, POST } from '@/app/api/openapi.json/route.ts';
import { accessOf, API_ROUTES, type ApiPath, type Method as HttpMethod } from '@/src/http/access.ts';
import { isPublic } from '@/src/http/public-paths.ts';
import { PROBLEM_STATUS, type ProblemCode } from '@/src/http/problem.ts';
import { problemCodesOf, resolve } from '@/src/openapi/describe.ts';
import { openApiDocument, openApiPath } from '@/src/openapi/document.ts';
import { METHODS, type JsonSchema, type Operation } from '@/src/openapi/types.ts';
import { tokenFor } from '@/test/support/in-process/identities.ts';
import { expectProblem } from '@/test/support/problems.ts';
import { ORIGIN, request, routeParams } from '@/test/support/requests.ts';

type RouteHandler = (req: Request, context: ReturnType<typeof routeParams>) => Promise<Response> | Response;

// Found by the bundler in the file system, so a new route file cannot go unnoticed.
const allRouteModules = import.meta.glob<Record<string, unknown>>('/app/api/**/route.ts');

/** The catch-all is not an endpoint: it answers 404 for every path no route serves. */
const isCatchAll = (file: string) => /\[\[?\.\.\./.test(file);
const routeModules = Object.fromEntries(Object.entries(allRouteModules).filter(([file]) => !isCatchAll(file)));

/** `/app/api/users/[id]/route.ts` → `/api/users/{id}` */
const toApiPath = (file: string) =>
  file
    .replace(/^\/app/, '')
    .replace(/\/route\.ts$/, '')
    .replace(/\[(\w+)\]/g, '{$1}');

/** The methods a route serves, told apart from its 405 stubs by calling each without credentials or body. */
async function servedMethods(file: string): Promise<{ served: string[]; allow: Set<string> }> {
  const route = await routeModules[file]!();
  const served: string[] = [];
  const allow = new Set<string>();
  for (const method of METHODS) {
    const serve = route[method.toUpperCase()] as RouteHandler | undefined;
    if (!serve) continue;
    const path = toApiPath(file).replace(/\{\w+\}/g, '1');
    const response = await serve(request(method.toUpperCase(), path), routeParams({ id: '1' }));
    if (response.status === 405) {
      for (const name of response.headers.get('allow')!.split(',')) allow.add(name.trim().toLowerCase());
    } else {
      served.push(method);
    }
  }
  return { served, allow };
}

const document = openApiDocument();

/** The problem codes an operation documents for a status. */
function codesOf(operation: Operation, status: number): ProblemCode[] {
  const response = operation.responses[String(status)];
  if (!response) return [];
  const schema = resolve(document, response).content?.['application/problem+json']?.schema as JsonSchema | undefined;
  return problemCodesOf(schema) as ProblemCode[];
}
const operations = Object.entries(document.paths).flatMap(([path, item]) =>
  METHODS.flatMap((method) => (item[method] ? [{ path, method, operation: item[method] as Operation }] : [])),
);

describe('the OpenAPI document', () => {
  it('validates against the OpenAPI 3.1 schema', async () => {
    const result = await new Validator().validate(structuredClone(document) as never);
    if (!result.valid) console.error(JSON.stringify(result.errors, null, 2));
    expect(result.valid).toBe(true);
  });

  it('leaves out only the catch-all, which answers 404 problems', async () => {
    const catchAlls = Object.keys(allRouteModules).filter(isCatchAll);
    expect(catchAlls).toEqual(['/app/api/[[...path]]/route.ts']);
    const route = await allRouteModules[catchAlls[0]!]!();
    const token = await tokenFor({ id: 1, role: 'user' });
    // To anyone: signed out, GET /api/nope is a 404, as for the signed in (the route table is public in the document).
    for (const credentials of [{ token }, {}]) {
      const response = await (route.GET as RouteHandler)(
        request('GET', '/api/nope', credentials),
        routeParams({ id: '1' }),
      );
      expect((await expectProblem(response, 404)).code).toBe('no_such_endpoint');
    }
  });

  it('describes every route file under app/api, with exactly the methods it serves', async () => {
    const files = Object.keys(routeModules).sort();
    expect(files.length).toBeGreaterThanOrEqual(9);
    expect(Object.keys(document.paths).sort()).toEqual(files.map(toApiPath).sort());
    for (const file of files) {
      const { served, allow } = await servedMethods(file);
      const documented = METHODS.filter((method) => document.paths[toApiPath(file)]![method]);
      expect(documented, toApiPath(file)).toEqual(served);
      // Each stub's Allow header agrees: the served methods, HEAD with GET, and OPTIONS.
      expect([...allow].sort(), toApiPath(file)).toEqual(
        [...served, ...(served.includes('get') ? ['head'] : []), 'options'].sort(),
      );
    }
  });

  it('gives every operation an id, a summary, responses and its security', () => {
    const ids = new Set<string>();
    for (const { path, method, operation } of operations) {
      const where = `${method.toUpperCase()} ${path}`;
      expect(operation.summary, where).toBeTruthy();
      expect(operation.operationId, where).toBeTruthy();
      ids.add(operation.operationId);
      expect(Object.keys(operation.responses).length, where).toBeGreaterThan(0);
      expect(Array.isArray(operation.security), where).toBe(true);
      expect(codesOf(operation, 405), where).toEqual(['method_not_allowed']);
      if (operation.security.length) expect(codesOf(operation, 401), where).toContain('missing_token');
    }
    expect(ids.size).toBe(operations.length);
  });

  it('documents every declared route but the catch-all, with its declared methods', () => {
    const documented = (Object.keys(API_ROUTES) as ApiPath[]).filter((path) => !isCatchAll(path));
    expect(Object.keys(document.paths).sort()).toEqual(documented.map(openApiPath).sort());
  });

  it("derives each operation's security and access from the declaration, as the gate reads it", () => {
    for (const path of Object.keys(API_ROUTES) as ApiPath[]) {
      if (isCatchAll(path)) continue;
      for (const method of METHODS) {
        const access = accessOf(path, method.toUpperCase() as HttpMethod);
        const operation = document.paths[openApiPath(path)]![method];
        expect(operation === undefined, `${method} ${path}`).toBe(access === undefined);
        if (!operation) continue;
        expect(operation.security.length === 0, `${method} ${path}`).toBe(access === 'public');
        const url = path.replace(/\[\w+\]/g, '2');
        expect(isPublic(url, method.toUpperCase()), `the gate on ${method} ${path}`).toBe(access === 'public');
      }
    }
  });

  it('lists, for every problem response, codes of that status only', () => {
    for (const { path, method, operation } of operations) {
      for (const status of Object.keys(operation.responses).map(Number)) {
        if (status < 400) continue;
        const codes = codesOf(operation, status);
        expect(codes.length, `${method} ${path} ${status}`).toBeGreaterThan(0);
        for (const code of codes) expect(PROBLEM_STATUS[code], `${method} ${path} ${code}`).toBe(status);
      }
    }
  });

  it('lists the token problems on every signed-in operation, and not_allowed where a role or owner is needed', () => {
    for (const { path, method, operation } of operations) {
      const access = accessOf(
        Object.keys(API_ROUTES).find((route) => openApiPath(route as ApiPath) === path) as ApiPath,
        method.toUpperCase() as HttpMethod,
      );
      if (access === 'public') continue;
      expect(codesOf(operation, 401), `${method} ${path}`).toEqual(
        expect.arrayContaining(['missing_token', 'invalid_token', 'token_expired']),
      );
      if (access === 'admin' || access === 'owner-or-admin') expect(codesOf(operation, 403)).toContain('not_allowed');
    }
  });

  it('documents request bodies from the zod schemas, as clients send them', () => {
    const { CreateUser, UpdateUser, Login, Register } = document.components.schemas;
    expect(CreateUser).toMatchObject({ type: 'object', required: ['name', 'email'], additionalProperties: false });
    expect(UpdateUser).toMatchObject({ minProperties: 1, additionalProperties: false });
    expect(Login).toMatchObject({ required: ['email', 'password'] });
    expect(Register).toMatchObject({ properties: { password: { minLength: 8, maxLength: 128 } } });
    expect(document.components.parameters.UserId).toMatchObject({
      in: 'path',
      schema: { type: 'string', pattern: '^[1-9][0-9]{0,9}$' },
    });
  });
});

describe('GET /api/openapi.json', () => {
  it('serves the document as JSON, cacheable for five minutes, with an ETag', async () => {
    const response = await GET(request('GET', '/api/openapi.json'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    const { servers, info, ...served } = await response.json();
    const { info: documentInfo, ...rest } = JSON.parse(JSON.stringify(document));
    expect(served).toEqual(rest);
    // The deployment's own origin, and /docs on it.
    expect(servers).toEqual([{ url: ORIGIN, description: 'This deployment' }]);
    expect(info).toEqual({ ...documentInfo, contact: { name: documentInfo.title, url: `${ORIGIN}/docs` } });
    const etag = response.headers.get('etag')!;
    expect(etag).toMatch(/^W\/".+"$/);

    const again = await GET(request('GET', '/api/openapi.json', { headers: { 'if-none-match': `"other", ${etag}` } }));
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(await again.text()).toBe('');
  });

  it('answers other methods with 405 and Allow', async () => {
    const response = await POST!();
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });
});
