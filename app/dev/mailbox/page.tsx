// /dev/mailbox — development only: the email the app sent without RESEND_API_KEY, newest first
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { receivedEmails } from '@/src/email/development-mailbox.ts';
import { env } from '@/src/env.ts';

export const metadata = { title: 'Development mailbox · Users' };

/** The text body with its web addresses as links, so the one-time link can be followed from here. */
function TextWithLinks({ text }: { text: string }) {
  return text.split(/(https?:\/\/\S+)/).map((part, index) =>
    index % 2 === 1 ? (
      <a key={index} href={part}>
        {part}
      </a>
    ) : (
      part
    ),
  );
}

export default async function MailboxPage() {
  await connection();
  if (env().NODE_ENV !== 'development') notFound();
  const emails = receivedEmails();
  return (
    <main className="page">
      <h1>Development mailbox</h1>
      <p>
        Email this development server sent (it has no <code>RESEND_API_KEY</code>), newest first, until it restarts.
      </p>
      {emails.length === 0 && <p>No email yet.</p>}
      {emails.map((email) => (
        <article key={email.id} className="mailbox-email" aria-label={email.subject}>
          <h2>{email.subject}</h2>
          <p className="mailbox-meta">
            To {email.to}, from {email.from}, <time dateTime={email.receivedAt}>{email.receivedAt}</time>
          </p>
          <pre className="mailbox-text">
            <TextWithLinks text={email.text} />
          </pre>
          <details>
            <summary>HTML version</summary>
            <iframe title={`${email.subject} (HTML)`} sandbox="" srcDoc={email.html} className="mailbox-html" />
          </details>
        </article>
      ))}
    </main>
  );
}
