'use server';
// Signing up from the page: the API's own registration (same rules, same limits), then its session cookies.
import { redirect } from 'next/navigation';
import { incomingRequest } from '@/src/auth/current-user.ts';
import { register, type SignedIn } from '@/src/auth/login.ts';
import { registerSchema } from '@/src/auth/schema.ts';
import { setSessionCookies } from '@/src/auth/session-cookies.ts';
import { validate } from '@/src/http/validation.ts';
import { failedFormState, textField, type FormState } from '../form-state.ts';

export type SignUpField = 'name' | 'email' | 'password';
export type SignUpState = FormState<SignUpField>;

const SIGN_UP_FIELDS = ['name', 'email', 'password'] as const;

export async function signUpAction(_previous: SignUpState, formData: FormData): Promise<SignUpState> {
  const input = {
    name: textField(formData, 'name'),
    email: textField(formData, 'email'),
    password: textField(formData, 'password'),
  };
  let session: SignedIn;
  try {
    session = await register(validate(registerSchema, input, 'body'), await incomingRequest('POST'));
  } catch (error) {
    return failedFormState(error, { name: input.name, email: input.email }, SIGN_UP_FIELDS, { email_taken: 'email' });
  }
  await setSessionCookies({ ...session.tokens, device: session.device });
  redirect('/users');
}
