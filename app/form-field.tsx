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
