// A labelled input with its error beside it, linked by aria-describedby so screen readers read both.
import { useId, type InputHTMLAttributes, type ReactNode } from 'react';

interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  label: ReactNode;
  name: string;
  error?: string;
}

export function Field({ label, name, error, ...input }: FieldProps) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        {...input}
      />
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

/** What a form's state offers a field: the value to show again and the error to show beside it. */
interface Filled<Key extends string> {
  values: Partial<Record<Key, string>>;
  fieldErrors: Partial<Record<Key, string>>;
}

/** A person's name, as the users schema takes it: required, at most 100 characters. */
export function NameField({ state, autoComplete = 'name' }: { state: Filled<'name'>; autoComplete?: string }) {
  return (
    <Field
      label="Name"
      name="name"
      autoComplete={autoComplete}
      required
      maxLength={100}
      defaultValue={state.values.name}
      error={state.fieldErrors.name}
    />
  );
}

/** An email address; `username` lets password managers pair it with the password. */
export function EmailField({ state, autoComplete = 'username' }: { state: Filled<'email'>; autoComplete?: string }) {
  return (
    <Field
      label="Email"
      name="email"
      type="email"
      autoComplete={autoComplete}
      required
      defaultValue={state.values.email}
      error={state.fieldErrors.email}
    />
  );
}

/** The submit button, which says what is happening while the action runs, and the action's success message. */
export function SubmitRow({ pending, label, busyLabel, message }: SubmitRowProps) {
  return (
    <>
      <button type="submit" disabled={pending}>
        {pending ? busyLabel : label}
      </button>
      <p aria-live="polite" className="form-message">
        {message}
      </p>
    </>
  );
}

interface SubmitRowProps {
  pending: boolean;
  label: string;
  busyLabel: string;
  message?: string;
}

/** The error about the whole form; role="alert" announces it as soon as it appears. */
export function FormError({ id, children }: { id: string; children?: ReactNode }) {
  if (!children) return null;
  return (
    <p id={id} role="alert" className="form-error">
      {children}
    </p>
  );
}

/**
 * A new password, with the rule it must meet (passwordSchema's, in src/auth/schema.ts) said before anyone breaks it.
 * The numbers are written out so that client bundles do not take in the server's settings module.
 */
export function PasswordField({ label, name, error }: { label: string; name: string; error?: string }) {
  return (
    <Field
      label={
        <>
          {label} <span className="field-hint">(8 to 128 characters)</span>
        </>
      }
      name={name}
      type="password"
      autoComplete="new-password"
      required
      minLength={8}
      maxLength={128}
      error={error}
    />
  );
}
