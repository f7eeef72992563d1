'use client';
// Changing your password: the current one, then the new one; the server's errors beside the fields.
import { useActionState } from 'react';
import { Field, FormError, PasswordField, SubmitRow } from '../form-field.tsx';
import { emptyFormState } from '../form-state.ts';
import { changePasswordAction } from './actions.ts';

export function PasswordForm({ email }: { email: string }) {
  const [state, formAction, pending] = useActionState(changePasswordAction, emptyFormState());
  return (
    <form action={formAction} noValidate aria-labelledby="password-heading" className="panel password-form">
      <h2 id="password-heading">Change your password</h2>
      <FormError id="password-error">{state.formError}</FormError>
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      <Field
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        required
        error={state.fieldErrors.currentPassword}
      />
      <PasswordField label="New password" name="newPassword" error={state.fieldErrors.newPassword} />
      <SubmitRow pending={pending} label="Change password" busyLabel="Changing…" message={state.message} />
    </form>
  );
}
