// The one error mapper: anything thrown while serving a request becomes a Problem, and the one place that logs:
// every 5xx once, with its cause chain and the request id its response carries.
import { isRecordNotFound, isUnavailable, isUniqueViolation } from '@/src/db/errors.ts';
import { Problem, problemResponse, type ProblemCode } from './problem.ts';

/** Retry hint sent with 503s, in seconds. */
export const RETRY_AFTER_SECONDS = 5;

/** A 503: something the API depends on cannot be reached; the client may retry. */
export function serviceUnavailable(
  cause: unknown,
  detail = 'The database is unavailable; try again shortly.',
  code: ProblemCode = 'database_unavailable',
): Problem {
  return new Problem(code, {
    detail,
    cause,
    headers: { 'retry-after': String(RETRY_AFTER_SECONDS), 'cache-control': 'no-store' },
  });
}

export function toProblem(error: unknown): Problem {
  if (error instanceof Problem) return error;
  // Data access names its own conflicts and misses; these are the fallbacks.
  if (isUniqueViolation(error)) {
    return new Problem('conflict', { detail: 'The request conflicts with an existing record.', cause: error });
  }
  if (isRecordNotFound(error)) return new Problem('not_found', { detail: 'The record does not exist.', cause: error });
  if (isUnavailable(error)) return serviceUnavailable(error);
  return new Problem('internal_error', { detail: 'An unexpected error occurred.', cause: error });
}

/** The platform's id for the request when it gives one (Vercel's `x-vercel-id`), else a new one. */
export function requestId(req: Request): string {
  const platform = req.headers.get('x-vercel-id');
  // Shown in logs: only a plain token of the platform's shape, never a client's line breaks or markup.
  return platform && /^[\w:.-]{1,128}$/.test(platform) ? platform : crypto.randomUUID();
}

/** An error and each of its causes, one per line: what a 5xx's log entry says went wrong. */
export function causeChain(error: unknown): string {
  const lines: string[] = [];
  const seen = new Set<unknown>();
  for (let cause = error; cause !== undefined && !seen.has(cause);) {
    seen.add(cause);
    lines.push(
      `${lines.length ? 'caused by: ' : ''}${cause instanceof Error ? (cause.stack ?? `${cause.name}: ${cause.message}`) : String(cause)}`,
    );
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return lines.join('\n');
}

/** Logs something that went wrong serving `req` (or, without one, `where`), once, under its request id. */
export function logFailure(req: Request | string, id: string, what: string, error: unknown): void {
  const where = typeof req === 'string' ? req : `${req.method} ${new URL(req.url).pathname}`;
  console.error(`[${id}] ${where}: ${what}\n${causeChain(error)}`);
}

/** For answers that are not a Response (a Server Action's form state): the problem, a 5xx logged under a new id. */
export function loggedProblem(error: unknown, where: string): Problem {
  const problem = toProblem(error);
  if (problem.status >= 500) logFailure(where, crypto.randomUUID(), `${problem.status} ${problem.code}`, problem);
  return problem;
}

/**
 * The response for anything thrown while serving `req`: its problem+json, with an `x-request-id` header; a 5xx
 * is logged under that id, with its cause chain.
 */
export function errorResponse(error: unknown, req: Request): Response {
  const problem = toProblem(error);
  const id = requestId(req);
  if (problem.status >= 500) logFailure(req, id, `${problem.status} ${problem.code}`, problem);
  return problemResponse(problem, { 'x-request-id': id });
}
