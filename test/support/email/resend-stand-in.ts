// A stand-in for Resend's POST /emails that checks each request as Resend documents it (Bearer key, JSON content
// type, `from` as `address` or `Name <address>`, `to` as one address or up to 50, a subject, an html or text body,
// an Idempotency-Key of at most 256 characters), keeps what it accepted, and can be told to fail or to hold answers.
// `handle` is plain Web Request → Response: `fetchVia` routes fetch to it, resend-server.ts serves it over HTTP.
export const STAND_IN_API_KEY = 're_stand_in_0123456789';

export interface AcceptedEmail {
  id: string;
  headers: Record<string, string>;
  body: { from: string; to: string | string[]; subject: string; html?: string; text?: string };
}

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
const SENDER = /^(?:[^<>\r\n]+ )?<([^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)>$/;
const MAX_RECIPIENTS = 50;
const MAX_IDEMPOTENCY_KEY_LENGTH = 256;

const resendError = (statusCode: number, name: string, message: string) =>
  Response.json({ statusCode, name, message }, { status: statusCode });

/** What Resend would refuse in a send-email body, or undefined. */
function invalidBody(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'The body must be a JSON object.';
  const { from, to, subject, html, text } = body as Record<string, unknown>;
  if (typeof from !== 'string' || !(ADDRESS.test(from) || SENDER.test(from))) {
    return 'Invalid `from` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.';
  }
  const recipients = typeof to === 'string' ? [to] : to;
  if (!Array.isArray(recipients) || recipients.length === 0 || recipients.length > MAX_RECIPIENTS) {
    return `The \`to\` field must be an address or 1 to ${MAX_RECIPIENTS} of them.`;
  }
  if (!recipients.every((address) => typeof address === 'string' && ADDRESS.test(address))) {
    return 'Invalid `to` field. The email address needs to follow the `email@example.com` format.';
  }
  if (typeof subject !== 'string' || subject.trim() === '') return 'Missing `subject` field.';
  if (html === undefined && text === undefined) return 'Missing `html` or `text` field.';
  if ((html !== undefined && typeof html !== 'string') || (text !== undefined && typeof text !== 'string')) {
    return 'The `html` and `text` fields must be strings.';
  }
  return undefined;
}

export interface ResendStandIn {
  accepted: AcceptedEmail[];
  /** Requests it refused, with why: a test that expects none asserts this is empty. */
  refused: string[];
  /** Answer every request after this with `status` and a Resend-shaped error, until `fail(undefined)`. */
  fail(status: number | undefined): void;
  /** Keep answers back until the returned function is called. */
  hold(): () => void;
  handle(request: Request): Promise<Response>;
  /** Resolves with the first accepted email to `to` (now or later). */
  emailTo(to: string): Promise<AcceptedEmail>;
}

export function resendStandIn(apiKey = STAND_IN_API_KEY): ResendStandIn {
  const accepted: AcceptedEmail[] = [];
  const refused: string[] = [];
  const waiting: { to: string; found: (email: AcceptedEmail) => void }[] = [];
  let failing: number | undefined;
  let held: Promise<void> | undefined;

  const refuse = (response: Response, why: string) => {
    refused.push(why);
    return response;
  };

  async function check(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (request.method !== 'POST' || !pathname.endsWith('/emails')) {
      return refuse(
        resendError(404, 'not_found', 'The requested endpoint does not exist.'),
        `${request.method} ${pathname}`,
      );
    }
    const authorization = request.headers.get('authorization');
    if (!authorization)
      return refuse(resendError(401, 'missing_api_key', 'Missing API key in the authorization header.'), 'no key');
    if (authorization !== `Bearer ${apiKey}`)
      return refuse(resendError(403, 'invalid_api_key', 'API key is invalid'), 'wrong key');
    if (request.headers.get('content-type')?.split(';')[0]?.trim() !== 'application/json') {
      return refuse(resendError(422, 'validation_error', 'Content-Type must be application/json.'), 'content type');
    }
    const key = request.headers.get('idempotency-key');
    if (key !== null && (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH)) {
      return refuse(
        resendError(422, 'invalid_idempotency_key', 'The key must be between 1-256 chars.'),
        'idempotency key',
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(await request.text());
    } catch {
      return refuse(resendError(422, 'validation_error', 'The body is not valid JSON.'), 'not JSON');
    }
    const invalid = invalidBody(body);
    if (invalid) return refuse(resendError(422, 'validation_error', invalid), invalid);
    if (failing) return resendError(failing, 'application_error', 'Something went wrong on our side.');
    const email: AcceptedEmail = {
      id: crypto.randomUUID(),
      headers: Object.fromEntries(request.headers),
      body: body as AcceptedEmail['body'],
    };
    accepted.push(email);
    for (const waiter of waiting.filter(({ to }) => [email.body.to].flat().includes(to))) {
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.found(email);
    }
    return Response.json({ id: email.id });
  }

  return {
    accepted,
    refused,
    fail: (status) => {
      failing = status;
    },
    hold: () => {
      let release!: () => void;
      held = new Promise((done) => (release = done));
      return () => {
        held = undefined;
        release();
      };
    },
    handle: async (request) => {
      await held;
      return check(request);
    },
    emailTo: (to) => {
      const found = accepted.find((email) => [email.body.to].flat().includes(to));
      return found ? Promise.resolve(found) : new Promise((done) => waiting.push({ to, found: done }));
    },
  };
}

/** A `fetch` that hands each request to the stand-in, and gives up when the request's signal aborts, as fetch does. */
export function fetchVia(standIn: ResendStandIn): typeof fetch {
  return (input, init) =>
    new Promise((resolve, reject) => {
      const request = new Request(input, init);
      request.signal.addEventListener('abort', () => reject(request.signal.reason));
      standIn.handle(request).then(resolve, reject);
    });
}
