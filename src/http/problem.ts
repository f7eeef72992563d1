// RFC 9457 problem details: the one typed error the app throws, and its JSON form.

export interface FieldError {
  field: string;
  message: string;
}

export interface ProblemInit {
  detail: string;
  headers?: Record<string, string>;
  errors?: FieldError[];
}

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** A failure with an HTTP meaning. Thrown anywhere below `app/`, rendered once by the handler wrapper. */
export class Problem extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly errors?: FieldError[];

  constructor(status: number, init: ProblemInit) {
    super(init.detail);
    this.name = 'Problem';
    this.status = status;
    this.headers = init.headers ?? {};
    this.errors = init.errors;
  }

  get title(): string {
    return titles[this.status] ?? 'Error';
  }

  toJSON() {
    return {
      // RFC 9457 §4.2.1: `about:blank` means the status code says it all; `detail` says the rest.
      type: 'about:blank',
      title: this.title,
      status: this.status,
      detail: this.message,
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

export function problemResponse(problem: Problem): Response {
  return Response.json(problem.toJSON(), {
    status: problem.status,
    headers: { 'content-type': 'application/problem+json', ...problem.headers },
  });
}
