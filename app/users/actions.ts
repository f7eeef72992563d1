'use server';
// Adding, changing and deleting users from the page: who is asking is verified again here, from the cookie, on every call.
import { revalidatePath } from 'next/cache';
import { actionIdentity, incomingRequest } from '@/src/auth/current-user.ts';
import { assertAdmin } from '@/src/auth/guards.ts';
import { readId } from '@/src/http/id.ts';
import { validate } from '@/src/http/validation.ts';
import { createUserWithInvitationOrThrowAs, issueInvitationOrThrowAs } from '@/src/invitations/issue.ts';
import type { InvitationLink } from '@/src/invitations/schema.ts';
import { deleteUserOrThrowAs, updateUserOrThrowAs } from '@/src/users/queries.ts';
import { createUserSchema, updateUserSchema } from '@/src/users/schema.ts';
import { failedFormState, textField, type FormState } from '../form-state.ts';

export type NewUserField = 'name' | 'email' | 'role';
/** After an add, the new user's invitation link, for the admin to pass on. */
export type NewUserState = FormState<NewUserField> & { link?: InvitationLink; invitee?: string };
export type DeleteUserState = FormState<never>;
export type EditUserState = FormState<NewUserField>;
export type IssueLinkState = FormState<never> & { link?: InvitationLink };

const NEW_USER_FIELDS = ['name', 'email', 'role'] as const;

/** The user form's fields, as the schema should judge them. */
const userFields = (formData: FormData) => ({
  name: textField(formData, 'name'),
  email: textField(formData, 'email'),
  role: textField(formData, 'role'),
});

export async function createUserAction(_previous: NewUserState, formData: FormData): Promise<NewUserState> {
  const identity = await actionIdentity();
  const input = userFields(formData);
  let created: Awaited<ReturnType<typeof createUserWithInvitationOrThrowAs>>;
  try {
    assertAdmin(identity, 'Only an admin may add users.');
    const data = validate(createUserSchema, input, 'body');
    created = await createUserWithInvitationOrThrowAs(identity, data, await incomingRequest('POST'));
  } catch (error) {
    return failedFormState(error, input, NEW_USER_FIELDS, { email_taken: 'email' });
  }
  revalidatePath('/users');
  const { user, invitation } = created;
  return { values: {}, fieldErrors: {}, message: `Added ${user.name}.`, link: invitation, invitee: user.name };
}

export async function deleteUserAction(_previous: DeleteUserState, formData: FormData): Promise<DeleteUserState> {
  const identity = await actionIdentity();
  try {
    assertAdmin(identity, 'Only an admin may delete users.');
    await deleteUserOrThrowAs(identity, readId(formData.get('id')));
  } catch (error) {
    return failedFormState(error, {}, []);
  }
  revalidatePath('/users');
  return { values: {}, fieldErrors: {} };
}

/** A new one-time link for a user (an invitation, or a password reset), replacing any earlier one. */
export async function issueLinkAction(_previous: IssueLinkState, formData: FormData): Promise<IssueLinkState> {
  const identity = await actionIdentity();
  try {
    assertAdmin(identity, 'Only an admin may issue sign-in links.');
    const link = await issueInvitationOrThrowAs(identity, readId(formData.get('id')), await incomingRequest('POST'));
    return { values: {}, fieldErrors: {}, link };
  } catch (error) {
    return failedFormState(error, {}, []);
  }
}

/**
 * Changes a user's name, email and (an admin's doing, never their own) role: PATCH /api/users/:id's own function,
 * so the same rules hold (the caller checked again in the statement, the last admin kept, an email taken refused).
 */
export async function updateUserAction(_previous: EditUserState, formData: FormData): Promise<EditUserState> {
  const identity = await actionIdentity();
  const input = userFields(formData);
  try {
    const id = readId(formData.get('id'));
    await updateUserOrThrowAs(identity, id, validate(updateUserSchema, input, 'body'));
  } catch (error) {
    return failedFormState(error, input, NEW_USER_FIELDS, { email_taken: 'email' });
  }
  revalidatePath('/users');
  return { values: {}, fieldErrors: {}, message: 'Saved.' };
}
