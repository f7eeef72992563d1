'use client';
// Setting a password from a one-time link; the email rides along for password managers, the token as a hidden field.
import { useActionState } from 'react';
import { FormError, PasswordField } from '../../form-field.tsx';
import { emptyFormState } from '../../form-state.ts';
import { acceptInvitationAction } from './actions.ts';

export function InviteForm({ token, email, reset }: { token: string; email: string; reset: boolean }) {
  const [state, formAction, pending] = useActionState(acceptInvitationAction, emptyFormState());
  return (
    <form action={formAction} noValidate aria-describedby={state.formError ? 'invite-error' : undefined}>
      <FormError id="invite-error">{state.formError}</FormError>
      <input type="hidden" name="token" value={token} />
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      <PasswordField label={reset ? 'New password' : 'Password'} name="password" error={state.fieldErrors.password} />
      <button type="submit" disabled={pending}>
        {pending ? 'Setting your password…' : 'Set password and sign in'}
      </button>
    </form>
  );
}
