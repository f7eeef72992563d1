'use client';
// One row's delete button: asks first, in a dialog, then says what happened. The id only names the row; the
// action decides from the cookie whether the caller may delete it.
import { useActionState, useId, useRef } from 'react';
import { emptyFormState } from '../form-state.ts';
import { deleteUserAction, type DeleteUserState } from './actions.ts';
import { useAnnounce } from './announcer.tsx';

export function DeleteUserButton({ id, name, email }: { id: number; name: string; email: string }) {
  const announce = useAnnounce();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [state, formAction, pending] = useActionState(async (previous: DeleteUserState, formData: FormData) => {
    const result = await deleteUserAction(previous, formData);
    if (!result.formError) announce(`Deleted ${name} (${email}).`);
    return result;
  }, emptyFormState() as DeleteUserState);

  return (
    <div className="inline-form">
      <button
        type="button"
        className="button-danger"
        disabled={pending}
        aria-label={`Delete ${name}`}
        aria-haspopup="dialog"
        onClick={() => dialog.current?.showModal()}
      >
        {pending ? 'Deleting…' : 'Delete'}
      </button>
      {state.formError && (
        <span role="alert" className="form-error">
          {state.formError}
        </span>
      )}
      <dialog ref={dialog} aria-labelledby={titleId} className="confirm-dialog">
        <h2 id={titleId}>Delete {name}?</h2>
        <p>
          {name} ({email}) will be removed for good, and can no longer sign in. This cannot be undone.
        </p>
        <form action={formAction} onSubmit={() => dialog.current?.close()} className="dialog-actions">
          <input type="hidden" name="id" value={id} />
          <button type="button" className="button-secondary" autoFocus onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button type="submit" className="button-danger-solid">
            Delete user
          </button>
        </form>
      </dialog>
    </div>
  );
}
