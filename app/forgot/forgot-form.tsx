'use client';
// The forgot-password form: an email, and the same answer for every email once sent.
import { useActionState } from 'react';
import { EmailField, FormError, SubmitRow } from '../form-field.tsx';
import { emptyFormState } from '../form-state.ts';
import { forgotPasswordAction, type ForgotState } from './actions.ts';

export function ForgotForm() {
  const [state, formAction, pending] = useActionState(forgotPasswordAction, emptyFormState() as ForgotState);
  return (
    <form action={formAction} noValidate aria-describedby={state.formError ? 'forgot-error' : undefined}>
      <FormError id="forgot-error">{state.formError}</FormError>
      <EmailField state={state} autoComplete="email" />
      <SubmitRow pending={pending} label="Email me a link" busyLabel="Sending…" message={state.message} />
    </form>
  );
}
