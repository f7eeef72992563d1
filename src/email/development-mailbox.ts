// The development mailbox: without RESEND_API_KEY, `next dev` sends email to itself, to a stand-in for Resend's
// POST /emails at /dev/mailbox/emails, and /dev/mailbox shows what arrived. Both answer 404 outside development.
// The messages live in the dev server's memory (edge routes run in their own sandbox there, hence the HTTP hop).
import type { Email } from './resend.ts';

/** Resend's base URL, as the development mailbox serves it on this app's own origin. */
export const DEVELOPMENT_MAILBOX_PATH = '/dev/mailbox/';

/** The key sent to the development mailbox; it checks only that one is sent, as Resend would. */
export const DEVELOPMENT_MAILBOX_KEY = 're_development_mailbox';

export interface ReceivedEmail extends Email {
  id: string;
  receivedAt: string;
}

/** Newest kept; older ones fall off. */
const KEPT = 50;

const store = globalThis as typeof globalThis & { developmentMailbox?: ReceivedEmail[] };

/** What the mailbox holds, newest first. */
export function receivedEmails(): readonly ReceivedEmail[] {
  return store.developmentMailbox ?? [];
}

export function receiveEmail(email: Email): ReceivedEmail {
  const received = { ...email, id: crypto.randomUUID(), receivedAt: new Date().toISOString() };
  store.developmentMailbox = [received, ...receivedEmails()].slice(0, KEPT);
  return received;
}
