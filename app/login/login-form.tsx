'use client';
// The sign-in form: the server's errors beside the fields, the email kept, the password never sent back.
import { useActionState } from 'react';
import { EmailField, Field, FormError } from '../form-field.tsx';
import { emptyFormState } from '../form-state.ts';
import { logInAction } from './actions.ts';

export function LoginForm({ next }: { next: string }) {
  const [state, formAction, pending] = useActionState(logInAction, emptyFormState());
  return (
    <form action={formAction} noValidate aria-describedby={state.formError ? 'login-error' : undefined}>
      <FormError id="login-error">{state.formError}</FormError>
      <input type="hidden" name="next" value={next} />
      <EmailField state={state} />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        error={state.fieldErrors.password}
      />
      <button type="submit" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
