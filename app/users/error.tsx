'use client';
// Shown when /users fails for an unexpected reason (an outage goes to /unavailable instead, with a 503).
import { SignOutButton } from '../sign-out-button.tsx';

export default function UsersError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <>
      <header className="site-header">
        <p>Signed in</p>
        <SignOutButton />
      </header>
      <main className="page page-narrow notice">
        <h1>Users</h1>
        <p className="form-error" role="alert">
          Something went wrong while loading the users. Try again; if it keeps happening, the error is in the server
          log.
        </p>
        <button type="button" onClick={reset}>
          Try again
        </button>
      </main>
    </>
  );
}
