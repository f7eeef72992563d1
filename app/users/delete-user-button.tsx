'use client';
// One row's delete button; the id only names the row, the action decides from the cookie whether it may.
import { useActionState } from 'react';
import { emptyFormState } from '../form-state.ts';
import { deleteUserAction, type DeleteUserState } from './actions.ts';

export function DeleteUserButton({ id, name }: { id: number; name: string }) {
  const [state, formAction, pending] = useActionState(deleteUserAction, emptyFormState() as DeleteUserState);
  return (
    <form action={formAction} className="inline-form">
      <input type="hidden" name="id" value={id} />
      <button type="submit" className="button-danger" disabled={pending} aria-label={`Delete ${name}`}>
        {pending ? 'Deleting…' : 'Delete'}
      </button>
      {state.formError && (
        <span role="alert" className="form-error">
          {state.formError}
        </span>
      )}
    </form>
  );
}
