'use server';
// Asking for a password-reset link from the /forgot page: the API's own request, and its one answer for everyone.
import { incomingRequest } from '@/src/auth/current-user.ts';
import { validate } from '@/src/http/validation.ts';
import { requestPasswordReset } from '@/src/invitations/issue.ts';
import { passwordResetSchema } from '@/src/invitations/schema.ts';
import { failedFormState, textField, type FormState } from '../form-state.ts';

export type ForgotState = FormState<'email'>;

export async function forgotPasswordAction(_previous: ForgotState, formData: FormData): Promise<ForgotState> {
  const input = { email: textField(formData, 'email') };
  try {
    const { message } = await requestPasswordReset(
      validate(passwordResetSchema, input, 'body'),
      await incomingRequest('POST'),
    );
    return { values: {}, fieldErrors: {}, message };
  } catch (error) {
    return failedFormState(error, input, ['email']);
  }
}
