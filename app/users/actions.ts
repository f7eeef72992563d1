'use server';
// Adding and deleting users from the page: who is asking is verified again here, from the cookie, on every call.
import { revalidatePath } from 'next/cache';
import { actionIdentity } from '@/src/auth/current-user.ts';
import { assertAdmin } from '@/src/auth/guards.ts';
import { readId } from '@/src/http/id.ts';
import { validate } from '@/src/http/validation.ts';
import { createUserOrThrowAs, deleteUserOrThrowAs } from '@/src/users/queries.ts';
import { createUserSchema } from '@/src/users/schema.ts';
import { failedFormState, textField, type FormState } from '../form-state.ts';

export type NewUserField = 'name' | 'email' | 'role';
export type NewUserState = FormState<NewUserField>;
export type DeleteUserState = FormState<never>;

const NEW_USER_FIELDS = ['name', 'email', 'role'] as const;

export async function createUserAction(_previous: NewUserState, formData: FormData): Promise<NewUserState> {
  const identity = await actionIdentity();
  const input = {
    name: textField(formData, 'name'),
    email: textField(formData, 'email'),
    role: textField(formData, 'role'),
  };
  let name: string;
  try {
    assertAdmin(identity, 'Only an admin may add users.');
    ({ name } = await createUserOrThrowAs(identity, validate(createUserSchema, input, 'body')));
  } catch (error) {
    return failedFormState(error, input, NEW_USER_FIELDS, 'email');
  }
  revalidatePath('/users');
  return { values: {}, fieldErrors: {}, message: `Added ${name}.` };
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
