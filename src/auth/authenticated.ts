// The handler wrapper for routes that need a signed-in user (kept apart so public routes ship without jose).
import { handler, noStore, type HandlerContext, type RouteParams } from '@/src/http/handler.ts';
import { authenticate } from './session.ts';
import type { Identity } from './tokens.ts';

/** As `handler`, for routes that need a signed-in user: verifies the token again, whatever middleware did; never cached. */
export function authenticated<Params extends RouteParams = RouteParams>(
  serve: (context: HandlerContext<Params> & { user: Identity }) => Promise<Response> | Response,
) {
  return noStore(handler<Params>(async (context) => serve({ ...context, user: await authenticate(context.req) })));
}
