// Where a one-time link goes once issued: an email through Resend when RESEND_API_KEY is set; in development
// without a key, the terminal and the development mailbox (/dev/mailbox). The admin who asked also gets the link
// in the answer, so a failed send costs nothing but the email.
import { hashSecret } from '@/src/auth/refresh-token.ts';
import { selfOrigin } from '@/src/auth/self-origin.ts';
import { DEVELOPMENT_MAILBOX_KEY, DEVELOPMENT_MAILBOX_PATH } from '@/src/email/development-mailbox.ts';
import { linkMessage } from '@/src/email/messages.ts';
import { sendEmail, type ResendSettings } from '@/src/email/resend.ts';
import { env } from '@/src/env.ts';
import type { InvitationLink } from './schema.ts';

export interface InvitationMessage extends InvitationLink {
  name: string;
  email: string;
}

/** Where the email goes: Resend with the configured key, the development mailbox, or nowhere. */
function provider(): ResendSettings | undefined {
  const { NODE_ENV, RESEND_API_KEY, RESEND_BASE_URL, EMAIL_TIMEOUT_MS } = env();
  if (RESEND_API_KEY) return { apiKey: RESEND_API_KEY, baseUrl: RESEND_BASE_URL, timeoutMs: EMAIL_TIMEOUT_MS };
  if (NODE_ENV !== 'development') return undefined;
  return {
    apiKey: DEVELOPMENT_MAILBOX_KEY,
    baseUrl: new URL(DEVELOPMENT_MAILBOX_PATH, selfOrigin().origin).href,
    timeoutMs: EMAIL_TIMEOUT_MS,
  };
}

/**
 * Sends the link to the person it is for; throws EmailNotSent when Resend refuses or cannot be reached in time
 * (the caller logs it under the request id). Logs one line per link: in development with the link itself, in
 * production never (whoever reads the logs could use it). Tests without a key neither send nor log.
 */
export async function sendInvitation(message: InvitationMessage): Promise<void> {
  const { NODE_ENV, RESEND_API_KEY, EMAIL_FROM } = env();
  if (NODE_ENV === 'test' && !RESEND_API_KEY) return;
  const { email, name, url, purpose, expiresAt } = message;
  const what = purpose === 'invitation' ? 'Invitation' : 'Password-reset link';
  const about = `${what} for ${name} <${email}>, until ${expiresAt}`;
  const settings = provider();
  if (NODE_ENV === 'development') console.info(`${about}: ${url}`);
  if (!settings) {
    console.info(`${about}: not emailed (RESEND_API_KEY is not set)`);
    return;
  }
  const id = await sendEmail(
    { from: EMAIL_FROM ?? 'Users <no-reply@localhost.test>', to: email, ...linkMessage(message) },
    settings,
    `${purpose}/${await hashSecret(url)}`,
  );
  if (NODE_ENV !== 'development') console.info(`${about}: emailed (Resend id ${id})`);
}
