// Wraps a route handler once: resolves params, and turns anything thrown into problem+json.
import { toProblem } from './errors.ts';
import { Problem, problemResponse } from './problem.ts';

export type RouteParams = Record<string, string | string[] | undefined>;

export interface HandlerContext<Params extends RouteParams> {
  req: Request;
  params: Params;
}

type NextRouteContext = { params: Promise<RouteParams> };

export function handler<Params extends RouteParams = RouteParams>(
  serve: (context: HandlerContext<Params>) => Promise<Response> | Response,
) {
  return async (req: Request, context?: NextRouteContext): Promise<Response> => {
    try {
      const params = ((await context?.params) ?? {}) as Params;
      return await serve({ req, params });
    } catch (error) {
      return problemResponse(toProblem(error));
    }
  };
}

/**
 * Responses that carry credentials or depend on who asks (auth endpoints, anything signed in): no cache,
 * shared or private, may keep them, whatever the handler answered, problems included.
 */
export function noStore<Args extends unknown[]>(serve: (...args: Args) => Promise<Response>) {
  return async (...args: Args): Promise<Response> => uncached(await serve(...args));
}

/** Marks one response as not to be stored by any cache. */
export function uncached(response: Response): Response {
  response.headers.set('cache-control', 'no-store');
  return response;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
type Method = (typeof METHODS)[number];

/** Handlers answering 405 for every method a route does not serve, so each says what it does allow. */
export function methodsNotAllowed(...allowed: Method[]): Partial<Record<Method, () => Response>> {
  const allow = [...allowed, ...(allowed.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ');
  const refuse = () => problemResponse(new Problem(405, { detail: `Allowed methods: ${allow}.`, headers: { allow } }));
  return Object.fromEntries(METHODS.filter((method) => !allowed.includes(method)).map((method) => [method, refuse]));
}
