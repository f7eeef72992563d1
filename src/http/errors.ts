// The one error mapper: anything thrown while serving a request becomes a Problem.
import { isRecordNotFound, isUnavailable, isUniqueViolation } from '@/src/db/errors.ts';
import { Problem } from './problem.ts';

/** Retry hint sent with 503s, in seconds. */
export const RETRY_AFTER_SECONDS = 5;

/** A 503: something the API depends on cannot be reached; the client may retry. */
export function serviceUnavailable(detail = 'The database is unavailable; try again shortly.'): Problem {
  return new Problem(503, {
    detail,
    headers: { 'retry-after': String(RETRY_AFTER_SECONDS), 'cache-control': 'no-store' },
  });
}

export function toProblem(error: unknown): Problem {
  if (error instanceof Problem) return error;
  // Data access names its own conflicts and misses; these are the fallbacks.
  if (isUniqueViolation(error)) return new Problem(409, { detail: 'The request conflicts with an existing record.' });
  if (isRecordNotFound(error)) return new Problem(404, { detail: 'The record does not exist.' });
  if (isUnavailable(error)) return serviceUnavailable();
  console.error('Unhandled error while serving a request:', error);
  return new Problem(500, { detail: 'An unexpected error occurred.' });
}
