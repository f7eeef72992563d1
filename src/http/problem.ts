// RFC 9457 problem details: the one typed error the app throws, and its JSON form. Each problem has a stable
// `code` that clients and our own code switch on; its status follows from the code.

/** Every problem code and its status. What each means is written once, for people, on /docs (src/openapi/problem-codes.ts). */
export const PROBLEM_STATUS = {
  validation_failed: 400,
  malformed_body: 400,
  unsupported_method: 400,
  invalid_path: 400,
  missing_token: 401,
  invalid_token: 401,
  token_expired: 401,
  session_ended: 401,
  wrong_credentials: 401,
  invalid_refresh_token: 401,
  cron_unauthorized: 401,
  not_allowed: 403,
  cross_origin: 403,
  origin_not_allowed: 403,
  registration_closed: 403,
  cron_disabled: 403,
  wrong_password: 403,
  user_not_found: 404,
  session_not_found: 404,
  no_such_endpoint: 404,
  not_found: 404,
  invitation_not_found: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  email_taken: 409,
  last_admin: 409,
  conflict: 409,
  invitation_used: 410,
  invitation_expired: 410,
  body_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  database_unavailable: 503,
  schema_outdated: 503,
  identity_provider_unavailable: 503,
  busy: 503,
} as const;

export type ProblemCode = keyof typeof PROBLEM_STATUS;

/** Where a problem's code is explained: its `type`, relative to this API's origin (RFC 9457 §3.1.1). */
export const problemType = (code: ProblemCode) => `/docs#problem-${code}`;

export interface FieldError {
  field: string;
  message: string;
}

export interface ProblemInit {
  detail: string;
  headers?: Record<string, string>;
  errors?: FieldError[];
  /** What went wrong underneath: logged with a 5xx, never sent. */
  cause?: unknown;
}

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** A failure with an HTTP meaning. Thrown anywhere below `app/`, rendered once by the route wrappers. */
export class Problem extends Error {
  readonly code: ProblemCode;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly errors?: FieldError[];

  constructor(code: ProblemCode, init: ProblemInit) {
    super(init.detail, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'Problem';
    this.code = code;
    this.status = PROBLEM_STATUS[code];
    this.headers = init.headers ?? {};
    this.errors = init.errors;
  }

  get title(): string {
    return titles[this.status] ?? 'Error';
  }

  toJSON() {
    return {
      type: problemType(this.code),
      title: this.title,
      status: this.status,
      code: this.code,
      detail: this.message,
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

export function problemResponse(problem: Problem, headers: Record<string, string> = {}): Response {
  return Response.json(problem.toJSON(), {
    status: problem.status,
    headers: { 'content-type': 'application/problem+json', ...problem.headers, ...headers },
  });
}
