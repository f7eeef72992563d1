// /invite/{token} — a one-time link: says whom it is for, sets their password, signs them in; or says why it cannot
import Link from 'next/link';
import { isUnavailable } from '@/src/db/errors.ts';
import { findInvitation, unusableInvitation, type InvitationState } from '@/src/invitations/accept.ts';
import { InviteForm } from './invite-form.tsx';

// The Node.js runtime, as /login: see the note there.

// The token is in this page's address: no other site learns it from a Referer header.
export const metadata = { title: 'Set your password · Users', referrer: 'no-referrer', robots: { index: false } };

interface InvitePageProps {
  params: Promise<{ token: string }>;
}

async function lookUp(token: string): Promise<InvitationState | 'unavailable'> {
  try {
    return await findInvitation(token);
  } catch (error) {
    if (isUnavailable(error)) return 'unavailable';
    throw error;
  }
}

function Unusable({ title = 'This link cannot be used', message }: { title?: string; message: string }) {
  return (
    <main className="page page-narrow notice">
      <h1>{title}</h1>
      <p role="alert">{message}</p>
      <ul className="notice-links">
        <li>
          <Link href="/login" className="button-link">
            Sign in
          </Link>
        </li>
      </ul>
    </main>
  );
}

export default async function InvitePage({ params }: InvitePageProps) {
  const { token } = await params;
  const invitation = await lookUp(token);
  if (invitation === 'unavailable') {
    return (
      <Unusable
        title="Temporarily unavailable"
        message="The service cannot reach its database right now. Open this link again in a minute."
      />
    );
  }
  if (invitation.status !== 'valid') return <Unusable message={unusableInvitation(invitation.status).message} />;
  const { name, email, purpose } = invitation;
  return (
    <main className="page page-narrow">
      {purpose === 'invitation' ? (
        <>
          <h1>Welcome, {name}</h1>
          <p>
            Choose a password for <strong className="email">{email}</strong> to finish setting up your account. You will
            be signed in right away.
          </p>
        </>
      ) : (
        <>
          <h1>Choose a new password</h1>
          <p>
            For {name}, <strong className="email">{email}</strong>. Setting it signs this account out everywhere else.
          </p>
        </>
      )}
      <InviteForm token={token} email={email} reset={purpose === 'password_reset'} />
    </main>
  );
}
