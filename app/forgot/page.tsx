// /forgot — ask for a one-time link to set a new password, sent to the account's email
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { currentIdentity } from '@/src/auth/current-user.ts';
import { ForgotForm } from './forgot-form.tsx';

// The Node.js runtime, as /login: see the note there.

export const metadata = { title: 'Forgot your password · Users' };

export default async function ForgotPage() {
  if (await currentIdentity()) redirect('/account');
  return (
    <main className="page page-narrow">
      <h1>Forgot your password?</h1>
      <p>Give the email you sign in with. If an account uses it, we email it a link to set a new password.</p>
      <ForgotForm />
      <p className="page-links">
        Remembered it? <Link href="/login">Sign in</Link>
      </p>
    </main>
  );
}
