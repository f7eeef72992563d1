// Wraps a route handler once: checks it against its declaration (access.ts), resolves params, and turns anything
// thrown into problem+json. Public routes use `publicRoute`; the others `authenticated` (src/auth), kept apart so
// that public routes ship without jose.
import { declaredMethods, METHODS, type AccessOf, type ApiPath, type DeclaredMethod, type Method } from './access.ts';
import { errorResponse } from './errors.ts';
import { Problem, problemResponse } from './problem.ts';

export type RouteParams = Record<string, string | string[] | undefined>;

export interface RouteContext<Params extends RouteParams> {
  req: Request;
  params: Params;
}

type NextRouteContext = { params: Promise<RouteParams> };

/** What a route module exports per method: Next.js's signature, and the declaration it was made from. */
export type RouteHandler = ((req: Request, context?: NextRouteContext) => Promise<Response>) & {
  declared: { path: ApiPath; method: Method };
};

/** The methods of a route declared with the given access (`Exclude` for "any access but"). */
export type MethodsWith<Path extends ApiPath, A> = {
  [M in DeclaredMethod<Path>]: AccessOf<Path, M> extends A ? M : never;
}[DeclaredMethod<Path>];

/**
 * The one try/catch: resolves params, serves, and answers anything thrown as its problem. Checks no token: route
 * files use `publicRoute` or `authenticated`, which the access test holds them to.
 */
export function route<Params extends RouteParams>(
  path: ApiPath,
  method: Method,
  serve: (context: RouteContext<Params>) => Promise<Response> | Response,
): RouteHandler {
  if (!declaredMethods(path).includes(method)) throw new Error(`${method} ${path} is not declared in access.ts`);
  const handle = async (req: Request, context?: NextRouteContext): Promise<Response> => {
    try {
      const params = ((await context?.params) ?? {}) as Params;
      return await serve({ req, params });
    } catch (error) {
      return errorResponse(error, req);
    }
  };
  return Object.assign(handle, { declared: { path, method } });
}

/** A method declared `public`: served to anyone, no token read. */
export function publicRoute<Path extends ApiPath, Params extends RouteParams = RouteParams>(
  path: Path,
  method: MethodsWith<Path, 'public'>,
  serve: (context: RouteContext<Params>) => Promise<Response> | Response,
): RouteHandler {
  return route(path, method, serve);
}

/**
 * Responses that carry credentials or depend on who asks (auth endpoints, anything signed in): no cache,
 * shared or private, may keep them, whatever the handler answered, problems included.
 */
export function noStore(handler: RouteHandler): RouteHandler {
  const handle = async (...args: Parameters<RouteHandler>) => uncached(await handler(...args));
  return Object.assign(handle, { declared: handler.declared });
}

/** Marks one response as not to be stored by any cache. */
export function uncached(response: Response): Response {
  response.headers.set('cache-control', 'no-store');
  return response;
}

/** Handlers answering 405 for every method a route does not declare, so each says what it does allow. */
export function methodsNotAllowed<Path extends ApiPath>(
  path: Path,
): Record<Exclude<Method, DeclaredMethod<Path>>, () => Response> {
  const allowed = declaredMethods(path);
  const allow = [...allowed, ...(allowed.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ');
  const refuse = () =>
    problemResponse(new Problem('method_not_allowed', { detail: `Allowed methods: ${allow}.`, headers: { allow } }));
  return Object.fromEntries(
    METHODS.filter((method) => !allowed.includes(method)).map((method) => [method, refuse]),
  ) as Record<Exclude<Method, DeclaredMethod<Path>>, () => Response>;
}
