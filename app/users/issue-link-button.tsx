'use client';
// One row's "Sign-in link" button: says what a new link does, issues it on confirmation, then shows it to copy.
// The id only names the row; the action decides from the cookie whether the caller may issue it.
import { useActionState, useId, useRef } from 'react';
import { emptyFormState } from '../form-state.ts';
import { issueLinkAction, type IssueLinkState } from './actions.ts';
import { IssuedLink } from './issued-link.tsx';

export function IssueLinkButton({ id, name, email }: { id: number; name: string; email: string }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [state, formAction, pending] = useActionState(issueLinkAction, emptyFormState() as IssueLinkState);

  return (
    <div className="inline-form">
      <button
        type="button"
        className="button-small"
        aria-label={`Sign-in link for ${name}`}
        aria-haspopup="dialog"
        onClick={() => dialog.current?.showModal()}
      >
        Sign-in link
      </button>
      <dialog ref={dialog} aria-labelledby={titleId} className="confirm-dialog">
        <h2 id={titleId}>Sign-in link for {name}</h2>
        {state.link ? (
          <IssuedLink link={state.link} name={name} />
        ) : (
          <p>
            A new one-time link for {name} ({email}) to set a password: an invitation if they have none yet, a password
            reset if they have. Any earlier link for them stops working.
          </p>
        )}
        {state.formError && (
          <p role="alert" className="form-error">
            {state.formError}
          </p>
        )}
        <form action={formAction} className="dialog-actions">
          <input type="hidden" name="id" value={id} />
          <button type="button" className="button-secondary" autoFocus onClick={() => dialog.current?.close()}>
            {state.link ? 'Done' : 'Cancel'}
          </button>
          <button type="submit" disabled={pending}>
            {pending ? 'Issuing…' : state.link ? 'Issue a new link' : 'Issue link'}
          </button>
        </form>
      </dialog>
    </div>
  );
}
