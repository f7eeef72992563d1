'use client';
// The admin's form for adding a user; the server's field errors appear beside the fields, and once added, the
// new user's invitation link to copy.
import { useActionState } from 'react';
import { Field, FormError } from '../form-field.tsx';
import { emptyFormState } from '../form-state.ts';
import { createUserAction, type NewUserState } from './actions.ts';
import { IssuedLink } from './issued-link.tsx';

export function AddUserForm() {
  const [state, formAction, pending] = useActionState(createUserAction, emptyFormState() as NewUserState);
  const roleErrorId = 'new-user-role-error';
  return (
    <form action={formAction} noValidate className="panel add-user" aria-labelledby="add-user-heading">
      <h2 id="add-user-heading">Add a user</h2>
      <FormError id="add-user-error">{state.formError}</FormError>
      <div className="field-row">
        <Field
          label="Name"
          name="name"
          autoComplete="off"
          required
          maxLength={100}
          defaultValue={state.values.name}
          error={state.fieldErrors.name}
        />
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="off"
          required
          defaultValue={state.values.email}
          error={state.fieldErrors.email}
        />
        <div className="field">
          <label htmlFor="new-user-role">Role</label>
          <select
            id="new-user-role"
            name="role"
            defaultValue={state.values.role ?? 'user'}
            aria-invalid={state.fieldErrors.role ? true : undefined}
            aria-describedby={state.fieldErrors.role ? roleErrorId : undefined}
          >
            <option value="user">user</option>
            <option value="admin">admin</option>
          </select>
          {state.fieldErrors.role && (
            <p id={roleErrorId} className="field-error">
              {state.fieldErrors.role}
            </p>
          )}
        </div>
      </div>
      <button type="submit" disabled={pending}>
        {pending ? 'Adding…' : 'Add user'}
      </button>
      <p aria-live="polite" className="form-message">
        {state.message}
      </p>
      {state.link && state.invitee && <IssuedLink link={state.link} name={state.invitee} />}
    </form>
  );
}
