// /account — who you are signed in as, where (your sessions, to sign out), and changing your password
import { redirect } from 'next/navigation';
import { currentIdentity } from '@/src/auth/current-user.ts';
import { isUnavailable } from '@/src/db/errors.ts';
import { Problem } from '@/src/http/problem.ts';
import { findUserOrThrow } from '@/src/users/queries.ts';
import { describeDevice } from '@/src/auth/device-name.ts';
import { listSessions } from '@/src/auth/sessions.ts';
import { SignedInHeader } from '../signed-in-header.tsx';
import { unavailablePath } from '../unavailable/path.ts';
import { PasswordForm } from './password-form.tsx';
import { SessionsList } from './sessions-list.tsx';

// The Node.js runtime, as /users: see the note there.

export const metadata = { title: 'Your account · Users' };

export default async function AccountPage() {
  // Checked again here, from the cookie itself: the middleware's redirect is the early no, not the boundary.
  const identity = await currentIdentity();
  if (!identity) redirect('/login?next=/account');
  const [user, sessions] = await Promise.all([findUserOrThrow(identity.id), listSessions(identity)]).catch(
    (error: unknown) => {
      if (isUnavailable(error)) redirect(unavailablePath('/account'));
      // Deleted since the token was issued: /users says so, and offers to sign out.
      if (error instanceof Problem && error.code === 'user_not_found') redirect('/users');
      throw error;
    },
  );
  return (
    <>
      <SignedInHeader name={user.name} role={user.role} link={{ href: '/users', label: 'Users' }} />
      <main className="page page-narrow">
        <h1>Your account</h1>
        <dl className="account-details">
          <dt>Name</dt>
          <dd>{user.name}</dd>
          <dt>Email</dt>
          <dd className="email">{user.email}</dd>
          <dt>Role</dt>
          <dd>{user.role}</dd>
        </dl>
        <SessionsList
          sessions={sessions.map((session) => ({
            id: session.id,
            device: describeDevice(session.userAgent),
            createdAt: session.createdAt,
            lastUsedAt: session.lastUsedAt,
            current: session.current,
          }))}
        />
        <PasswordForm email={user.email} />
      </main>
    </>
  );
}
