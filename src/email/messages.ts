// The email that carries a one-time link: a plain-text and an HTML body that name the person, the link and when it
// stops working. Everything interpolated into the HTML is escaped: a name is whatever its owner typed.
import type { InvitationPurpose } from '@/src/invitations/schema.ts';

export interface LinkMessage {
  name: string;
  url: string;
  purpose: InvitationPurpose;
  /** ISO 8601. */
  expiresAt: string;
}

export interface MessageBodies {
  subject: string;
  text: string;
  html: string;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML shows it, in element content and in quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]!);
}

/** `14 December 2026 at 06:00 UTC`: unambiguous wherever the reader is. */
export function expiryInWords(expiresAt: string): string {
  return `${new Intl.DateTimeFormat('en-GB', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'UTC',
  }).format(new Date(expiresAt))} UTC`;
}

const WORDING: Record<InvitationPurpose, { subject: string; lead: string; action: string; after: string }> = {
  invitation: {
    subject: 'Set your password for Users',
    lead: 'You have been invited to Users. Choose a password to start:',
    action: 'Set your password',
    after: 'If you did not expect this invitation, ignore this email.',
  },
  password_reset: {
    subject: 'Reset your password for Users',
    lead: 'A new password was asked for your Users account. Choose one with this link:',
    action: 'Choose a new password',
    after:
      'Setting it signs you out everywhere else. If you did not ask for this, ignore this email: your password stays as it is.',
  },
};

/** The subject and both bodies for a link of `purpose` sent to `name`. */
export function linkMessage({ name, url, purpose, expiresAt }: LinkMessage): MessageBodies {
  const { subject, lead, action, after } = WORDING[purpose];
  const until = `The link works once, until ${expiryInWords(expiresAt)}.`;
  const text = [`Hello ${name},`, '', lead, url, '', until, after, ''].join('\n');
  const html = `<!doctype html>
<html lang="en">
  <body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1a1a1a">
    <p>Hello ${escapeHtml(name)},</p>
    <p>${escapeHtml(lead)}</p>
    <p><a href="${escapeHtml(url)}" style="display: inline-block; padding: 0.5em 1em; background: #1d4ed8; color: #fff; border-radius: 4px; text-decoration: none">${escapeHtml(action)}</a></p>
    <p style="font-size: 0.9em">Or open this address: <a href="${escapeHtml(url)}">${escapeHtml(url)}</a></p>
    <p>${escapeHtml(until)}<br>${escapeHtml(after)}</p>
  </body>
</html>
`;
  return { subject, text, html };
}
