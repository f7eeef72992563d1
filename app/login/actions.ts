'use server';
// Signing in and out from the pages: the API's own sign-in and session cookie, then a redirect.
import { redirect } from 'next/navigation';
import { incomingRequest } from '@/src/auth/current-user.ts';
import { endSession, setSessionCookies } from '@/src/auth/session-cookies.ts';
import { logIn, type SignedIn } from '@/src/auth/login.ts';
import { safeNextPath } from '@/src/auth/next-path.ts';
import { loginSchema } from '@/src/auth/schema.ts';
import { validate } from '@/src/http/validation.ts';
import { failedFormState, textField, type FormState } from '../form-state.ts';

export type LoginField = 'email' | 'password';
export type LoginState = FormState<LoginField>;

const LOGIN_FIELDS = ['email', 'password'] as const;

export async function logInAction(_previous: LoginState, formData: FormData): Promise<LoginState> {
  const input = { email: textField(formData, 'email'), password: textField(formData, 'password') };
  let session: SignedIn;
  try {
    session = await logIn(validate(loginSchema, input, 'body'), await incomingRequest('POST'));
  } catch (error) {
    return failedFormState(error, { email: input.email }, LOGIN_FIELDS);
  }
  await setSessionCookies({ ...session.tokens, device: session.device });
  redirect(safeNextPath(formData.get('next')));
}

export async function logOutAction(): Promise<void> {
  await endSession();
  redirect('/login');
}
