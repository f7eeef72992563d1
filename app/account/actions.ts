'use server';
// Changing your password from the page: the API's own code (POST /api/auth/password), then the new session's cookies.
import type { SignedIn } from '@/src/auth/login.ts';
import { actionIdentity, incomingRequest } from '@/src/auth/current-user.ts';
import { changePassword } from '@/src/auth/login.ts';
import { changePasswordSchema } from '@/src/auth/schema.ts';
import { setSessionCookies } from '@/src/auth/session-cookies.ts';
import { validate } from '@/src/http/validation.ts';
import { failedFormState, textField, type FormState } from '../form-state.ts';

export type PasswordFormField = 'currentPassword' | 'newPassword';
export type PasswordState = FormState<PasswordFormField>;

const PASSWORD_FIELDS = ['currentPassword', 'newPassword'] as const;

export async function changePasswordAction(_previous: PasswordState, formData: FormData): Promise<PasswordState> {
  const identity = await actionIdentity();
  const input = {
    currentPassword: textField(formData, 'currentPassword'),
    newPassword: textField(formData, 'newPassword'),
  };
  let changed: SignedIn;
  try {
    changed = await changePassword(
      identity,
      validate(changePasswordSchema, input, 'body'),
      await incomingRequest('POST'),
    );
  } catch (error) {
    return failedFormState(error, {}, PASSWORD_FIELDS, { wrong_password: 'currentPassword' });
  }
  await setSessionCookies(changed.tokens);
  return {
    values: {},
    fieldErrors: {},
    message: 'Your password has been changed. Every other session of yours has been signed out.',
  };
}
