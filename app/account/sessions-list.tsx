'use client';
// Your sessions: each signed-in browser or client, this one marked, with when it was last used and a way to sign it
// out; and signing out everywhere.
import { useActionState } from 'react';
import { FormError } from '../form-field.tsx';
import { emptyFormState } from '../form-state.ts';
import { SignOutButton } from '../sign-out-button.tsx';
import { signOutEverywhereAction, signOutSessionAction, type SessionsState } from './sessions-actions.ts';

export interface ListedSession {
  id: string;
  device: string;
  createdAt: string;
  lastUsedAt: string;
  current: boolean;
}

const when = (iso: string) =>
  new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC';

function SignOutSession({ session }: { session: ListedSession }) {
  const [state, formAction, pending] = useActionState(signOutSessionAction, emptyFormState() as SessionsState);
  return (
    <form action={formAction} className="inline-form">
      <input type="hidden" name="id" value={session.id} />
      <button type="submit" className="button-small" disabled={pending} aria-label={`Sign out ${session.device}`}>
        {pending ? 'Signing out…' : 'Sign out'}
      </button>
      {state.formError && (
        <span role="alert" className="form-error">
          {state.formError}
        </span>
      )}
    </form>
  );
}

export function SessionsList({ sessions }: { sessions: ListedSession[] }) {
  const [state, formAction, pending] = useActionState(signOutEverywhereAction, emptyFormState() as SessionsState);
  return (
    <section className="panel sessions" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">Where you are signed in</h2>
      <ul className="session-list">
        {sessions.map((session) => (
          <li key={session.id} className={session.current ? 'session current' : 'session'}>
            <div>
              <p className="session-device">
                {session.device}
                {session.current && <span className="badge badge-active">This browser</span>}
              </p>
              <p className="field-hint">
                Last used {when(session.lastUsedAt)} · signed in {when(session.createdAt)}
              </p>
            </div>
            {session.current ? <SignOutButton /> : <SignOutSession session={session} />}
          </li>
        ))}
      </ul>
      <form action={formAction}>
        <FormError id="sessions-error">{state.formError}</FormError>
        <button type="submit" className="button-danger" disabled={pending}>
          {pending ? 'Signing out…' : 'Sign out everywhere'}
        </button>
        <p className="field-hint">Every session ends, this one too: you sign in again here.</p>
      </form>
    </section>
  );
}
