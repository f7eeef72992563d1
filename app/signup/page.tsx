// /signup — create an account with the `user` role (only while REGISTRATION_ENABLED), then on to /users
import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { currentIdentity } from '@/src/auth/current-user.ts';
import { env } from '@/src/env.ts';
import { SignUpForm } from './signup-form.tsx';

// The Node.js runtime, as /login: see the note there.

export const metadata = { title: 'Create an account · Users' };

export default async function SignUpPage() {
  // Read per request (the identity makes the page dynamic): the setting is the server's, not the build's.
  if (await currentIdentity()) redirect('/users');
  if (!env().REGISTRATION_ENABLED) notFound();
  return (
    <main className="page page-narrow">
      <h1>Create an account</h1>
      <SignUpForm />
      <p className="page-links">
        Already have an account? <Link href="/login">Sign in</Link>
      </p>
    </main>
  );
}
