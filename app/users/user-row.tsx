'use client';
// One user in the list: their details, their sign-in state for admins, and the row's actions. "Edit" turns the row
// into a form in place (name, email and, for an admin editing someone else, role); the server's errors appear
// beside the fields, and the row returns to its details once saved.
import { useActionState, useState } from 'react';
import { Field, FormError } from '../form-field.tsx';
import { emptyFormState } from '../form-state.ts';
import { updateUserAction, type EditUserState } from './actions.ts';
import { useAnnounce } from './announcer.tsx';
import { DeleteUserButton } from './delete-user-button.tsx';
import { IssueLinkButton } from './issue-link-button.tsx';
import type { SignInState } from '@/src/users/state.ts';

export interface RowUser {
  id: number;
  name: string;
  email: string;
  role: 'user' | 'admin';
  createdAt: string;
  /** Shown to admins only. */
  state?: SignInState;
  linkExpiresAt?: string;
}

interface UserRowProps {
  user: RowUser;
  /** The viewer's own row. */
  self: boolean;
  isAdmin: boolean;
  columns: number;
}

const day = (iso: string) => iso.slice(0, 10);

function StateBadge({ state, linkExpiresAt }: { state: SignInState; linkExpiresAt?: string }) {
  if (state === 'active') return <span className="badge badge-active">Active</span>;
  if (state === 'invited') {
    return (
      <>
        <span className="badge badge-invited">Invited</span>
        {linkExpiresAt && <span className="badge-note">link until {day(linkExpiresAt)}</span>}
      </>
    );
  }
  return <span className="badge badge-expired">Link expired</span>;
}

export function UserRow({ user, self, isAdmin, columns }: UserRowProps) {
  const [editing, setEditing] = useState(false);
  const announce = useAnnounce();
  const [state, formAction, pending] = useActionState(async (previous: EditUserState, formData: FormData) => {
    const result = await updateUserAction(previous, formData);
    if (!result.formError && Object.keys(result.fieldErrors).length === 0) {
      setEditing(false);
      announce(`Saved ${String(formData.get('name'))}.`);
    }
    return result;
  }, emptyFormState() as EditUserState);
  const canEdit = isAdmin || self;

  if (editing) {
    const values = { ...user, ...state.values };
    return (
      <tr className="editing">
        <td colSpan={columns} data-label="">
          <form action={formAction} noValidate className="edit-user" aria-label={`Edit ${user.name}`}>
            <input type="hidden" name="id" value={user.id} />
            <FormError id={`edit-${user.id}-error`}>{state.formError}</FormError>
            <div className="field-row">
              <Field
                label="Name"
                name="name"
                autoComplete="off"
                required
                maxLength={100}
                defaultValue={values.name}
                error={state.fieldErrors.name}
                autoFocus
              />
              <Field
                label="Email"
                name="email"
                type="email"
                autoComplete="off"
                required
                defaultValue={values.email}
                error={state.fieldErrors.email}
              />
              {isAdmin && !self && (
                <div className="field">
                  <label htmlFor={`edit-${user.id}-role`}>Role</label>
                  <select id={`edit-${user.id}-role`} name="role" defaultValue={values.role}>
                    <option value="user">user</option>
                    <option value="admin">admin</option>
                  </select>
                </div>
              )}
            </div>
            <div className="row-actions">
              <button type="submit" disabled={pending}>
                {pending ? 'Saving…' : 'Save'}
              </button>
              <button type="button" className="button-secondary" onClick={() => setEditing(false)}>
                Cancel
              </button>
            </div>
          </form>
        </td>
      </tr>
    );
  }

  return (
    <tr>
      <td data-label="Id">{user.id}</td>
      <th scope="row" className="name" data-label="Name">
        {user.name}
      </th>
      <td className="email" data-label="Email">
        {user.email}
      </td>
      <td data-label="Role">{user.role}</td>
      {isAdmin && (
        <td data-label="Status">
          {user.state && <StateBadge state={user.state} linkExpiresAt={user.linkExpiresAt} />}
        </td>
      )}
      <td data-label="Joined">
        <time dateTime={user.createdAt}>{day(user.createdAt)}</time>
      </td>
      <td data-label="Actions">
        <div className="row-actions">
          {canEdit && (
            <button
              type="button"
              className="button-small"
              aria-label={`Edit ${user.name}`}
              onClick={() => setEditing(true)}
            >
              Edit
            </button>
          )}
          {isAdmin && !self && (
            <>
              <IssueLinkButton id={user.id} name={user.name} email={user.email} />
              <DeleteUserButton id={user.id} name={user.name} email={user.email} />
            </>
          )}
          {self && <span className="muted">you</span>}
        </div>
      </td>
    </tr>
  );
}
