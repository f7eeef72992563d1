// The route wrapper for every method not declared public (kept apart so public routes ship without jose).
import { accessOf, type Access, type ApiPath } from '@/src/http/access.ts';
import { noStore, route, type MethodsWith, type RouteContext, type RouteParams } from '@/src/http/handler.ts';
import { authenticate } from './credentials.ts';
import { authorize } from './guards.ts';
import type { Identity } from './tokens.ts';

/**
 * A method declared signed-in, owner-or-admin or admin: verifies the token again, whatever middleware did, and
 * refuses a caller the declaration does not admit (401, 403) before the handler runs; never cached.
 */
export function authenticated<Path extends ApiPath, Params extends RouteParams = RouteParams>(
  path: Path,
  method: MethodsWith<Path, Exclude<Access, 'public'>>,
  serve: (context: RouteContext<Params> & { caller: Identity }) => Promise<Response> | Response,
) {
  const access = accessOf(path, method);
  if (!access || access === 'public') throw new Error(`${method} ${path} is not declared as needing a token`);
  return noStore(
    route<Params>(path, method, async (context) => {
      const caller = await authenticate(context.req);
      authorize(access, caller, context.params);
      return serve({ ...context, caller });
    }),
  );
}
