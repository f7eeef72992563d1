// Sending one email through Resend's HTTP API (POST /emails), bounded in time. Plain fetch: the `resend` package
// would add about 33 KiB gzipped to every edge function that sends, for this one call.

export interface Email {
  /** `no-reply@example.com` or `Users <no-reply@example.com>`. */
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface ResendSettings {
  apiKey: string;
  /** `https://api.resend.com`, or a stand-in that speaks the same API. */
  baseUrl: string;
  timeoutMs: number;
}

/** Why an email was not sent: Resend's answer (status and message) or the network's; never the email itself. */
export class EmailNotSent extends Error {
  override name = 'EmailNotSent';
}

/** At most this much of Resend's error message goes into ours (it is meant for a log line). */
const MAX_MESSAGE_LENGTH = 300;

async function refusal(response: Response): Promise<EmailNotSent> {
  const body = await response.text().catch(() => '');
  let message = body;
  try {
    const parsed = JSON.parse(body) as { name?: unknown; message?: unknown };
    if (typeof parsed.message === 'string') message = `${String(parsed.name ?? 'error')}: ${parsed.message}`;
  } catch {
    // Not JSON (a proxy's error page): its text, cut short, says enough.
  }
  return new EmailNotSent(`Resend answered ${response.status}: ${message.slice(0, MAX_MESSAGE_LENGTH)}`);
}

/**
 * Sends `email`; resolves with Resend's id for it, or throws EmailNotSent. The whole call, answer included, is
 * bounded by `timeoutMs`. The idempotency key (at most 256 characters) names this message, so that Resend sends
 * it once however many times the same request reaches it.
 */
export async function sendEmail(
  email: Email,
  { apiKey, baseUrl, timeoutMs }: ResendSettings,
  idempotencyKey: string,
): Promise<string> {
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetch(new URL('emails', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${apiKey}`,
        'content-type': 'application/json',
        'idempotency-key': idempotencyKey,
      },
      body: JSON.stringify(email),
      signal,
      redirect: 'error',
    });
  } catch (error) {
    const timedOut = signal.aborted;
    throw new EmailNotSent(timedOut ? `Resend did not answer within ${timeoutMs} ms` : 'Resend could not be reached', {
      cause: timedOut ? undefined : error,
    });
  }
  try {
    if (!response.ok) throw await refusal(response);
    const { id } = (await response.json()) as { id?: unknown };
    return typeof id === 'string' ? id : '';
  } catch (error) {
    if (error instanceof EmailNotSent) throw error;
    throw new EmailNotSent(
      signal.aborted ? `Resend did not finish answering within ${timeoutMs} ms` : 'Resend answered with no JSON',
    );
  }
}
