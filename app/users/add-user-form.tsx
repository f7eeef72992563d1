'use client';
// The admin's form for adding a user; the server's field errors appear beside the fields, and once added, the
// new user's invitation link to copy.
import { useActionState } from 'react';
import { EmailField, FormError, NameField, SubmitRow } from '../form-field.tsx';
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
        <NameField state={state} autoComplete="off" />
        <EmailField state={state} autoComplete="off" />
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
      <SubmitRow pending={pending} label="Add user" busyLabel="Adding…" message={state.message} />
      {state.link && state.invitee && <IssuedLink link={state.link} name={state.invitee} />}
    </form>
  );
}
