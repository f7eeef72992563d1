// Where a one-time link goes once issued: the seam for an email provider. By default the link is only logged
// (the admin who asked also gets it in the answer, to pass on by hand).
import { env } from '@/src/env.ts';
import type { InvitationLink } from './schema.ts';

export interface InvitationMessage extends InvitationLink {
  name: string;
  email: string;
}

/**
 * Sends the link to the person it is for. To plug in an email provider, call its HTTP API here with `fetch`
 * (this runs in edge functions: no Node.js SDKs). A failure is logged by the caller and does not undo the link.
 * Without a provider, development logs the link in one line; production logs only that one was issued, since
 * anyone who can read the logs could otherwise use it; tests log nothing.
 */
export async function sendInvitation({ email, name, url, purpose, expiresAt }: InvitationMessage): Promise<void> {
  const { NODE_ENV } = env();
  if (NODE_ENV === 'test') return;
  const what = purpose === 'invitation' ? 'Invitation' : 'Password-reset link';
  const link = NODE_ENV === 'production' ? '(not logged in production: the admin who asked has it)' : url;
  console.info(`${what} for ${name} <${email}>, until ${expiresAt}: ${link}`);
}
