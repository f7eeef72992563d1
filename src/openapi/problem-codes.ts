// What each problem code means, for people: the /docs section every problem's `type` points at, and the
// OpenAPI document's list of codes. Kept out of src/http so the middleware does not carry the prose.
import { MAX_BODY_BYTES } from '@/src/http/body.ts';
import type { ProblemCode } from '@/src/http/problem.ts';

export const PROBLEM_EXPLANATIONS: Record<ProblemCode, string> = {
  validation_failed: 'The body, query or path failed validation; `errors` lists every bad field with what it expects.',
  malformed_body: 'The body is not valid JSON, or not valid UTF-8.',
  unsupported_method: 'The HTTP method is not one the API can serve at all (for example a made-up one).',
  invalid_path: 'The request target is not a path this server can read: bad percent-encoding, or `OPTIONS *`.',
  missing_token: 'No access token was sent: send `Authorization: Bearer <token>` or the session cookie.',
  invalid_token:
    'The access token is malformed, badly signed, for another issuer or audience, too long, or names no valid ' +
    'user, role or session. Sign in again.',
  token_expired:
    'The access token was valid but its lifetime is over. Renew it with POST /api/auth/refresh (browsers renew ' +
    'by themselves while their refresh cookie lives).',
  session_ended:
    'The session behind the token was signed out, expired, or its refresh token was used twice, or the account ' +
    'no longer exists. Writes check this in the database, so it can arrive with a token that is still valid.',
  wrong_credentials: 'Wrong email or password; the answer does not say which.',
  invalid_refresh_token: 'The refresh token is missing, malformed, or was not issued by this server.',
  not_allowed:
    "The caller's role does not permit this: creating users and changing roles take an admin, changing or " +
    "deleting another user's record too, and nobody changes their own role.",
  cross_origin:
    'A write authenticated by the session cookie (or a sign-out, or a Server Action) came from another site. ' +
    'Send a Bearer token from other origins.',
  origin_not_allowed: 'A CORS preflight from an origin `CORS_ORIGINS` does not list.',
  cron_unauthorized: 'A maintenance route was called without `Authorization: Bearer <CRON_SECRET>`.',
  cron_disabled:
    'A maintenance route was called on a deployment without `CRON_SECRET`: it runs for nobody until that is set.',
  registration_closed: 'Sign-up is turned off on this deployment (`REGISTRATION_ENABLED=false`).',
  wrong_password: 'The current password given to change it is wrong.',
  user_not_found: 'No user has this id (or the signed-in user no longer exists).',
  session_not_found: 'No live session of yours has this id.',
  no_such_endpoint: 'No API endpoint at this path; /api/openapi.json lists them.',
  not_found: 'The record the request acts on does not exist.',
  method_not_allowed: 'The path does not serve this method; `Allow` lists those it does.',
  request_timeout:
    'The request body did not arrive in time (its `Content-Length` promised more than was sent). The Node.js ' +
    'server closes the connection; send the body whole.',
  email_taken: 'Another user has this email (compared without regard to case).',
  last_admin: 'The change would leave no admin: make another user an admin first.',
  conflict: 'The request conflicts with an existing record.',
  body_too_large: `The body is larger than ${MAX_BODY_BYTES} bytes.`,
  unsupported_media_type: 'The body was not sent as `application/json`.',
  rate_limited: 'Too many sign-in or sign-up attempts; wait for `Retry-After` seconds.',
  internal_error:
    'A bug. The server logged it under the `x-request-id` the response carries; the body never carries internals.',
  database_unavailable:
    'The database cannot be reached or did not answer in time; retry after `Retry-After` seconds. A write that ' +
    'got this may or may not have been applied: read before retrying.',
  schema_outdated:
    'The database answers but lacks migrations this deployment needs (`detail` says how many): the deploy did not ' +
    'migrate it, or a migration failed. Operators run `npm run migrate`; clients retry after `Retry-After` seconds.',
  identity_provider_unavailable:
    "The identity provider's signing keys (`JWT_JWKS_URL`) cannot be fetched; retry after `Retry-After` seconds.",
  busy: 'Every password-hashing slot of this server is taken; retry after `Retry-After` seconds.',
  invitation_not_found:
    'No such one-time link: the token is mistyped or incomplete, or a newer link for the same person replaced it. ' +
    'Ask an admin for a new one.',
  invitation_used:
    'The one-time link has already set a password. Sign in with that password, or ask an admin for a new link.',
  invitation_expired: 'The one-time link is older than `INVITE_TTL_SECONDS`. Ask an admin for a new one.',
};
