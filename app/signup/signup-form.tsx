'use client';
// The sign-up form: the server's errors beside the fields, name and email kept, the password never sent back.
import { useActionState } from 'react';
import { EmailField, FormError, NameField, PasswordField } from '../form-field.tsx';
import { emptyFormState } from '../form-state.ts';
import { signUpAction } from './actions.ts';

export function SignUpForm() {
  const [state, formAction, pending] = useActionState(signUpAction, emptyFormState());
  return (
    <form action={formAction} noValidate aria-describedby={state.formError ? 'signup-error' : undefined}>
      <FormError id="signup-error">{state.formError}</FormError>
      <NameField state={state} />
      <EmailField state={state} />
      <PasswordField label="Password" name="password" error={state.fieldErrors.password} />
      <button type="submit" disabled={pending}>
        {pending ? 'Creating your account…' : 'Create account'}
      </button>
    </form>
  );
}
