'use server';
// Signing sessions out from /account: the API's own functions (DELETE /api/auth/sessions[/{id}]), then, when this
// browser's session went too, its cookies and the way to /login.
import { redirect } from 'next/navigation';
import { actionIdentity } from '@/src/auth/current-user.ts';
import { clearSessionCookies } from '@/src/auth/session-cookies.ts';
import { revokeSessionsOrThrow } from '@/src/auth/sessions.ts';
import { isSessionId } from '@/src/auth/tokens.ts';
import { Problem } from '@/src/http/problem.ts';
import { revalidatePath } from 'next/cache';
import { failedFormState, type FormState } from '../form-state.ts';

export type SessionsState = FormState<never>;

/** Signs out one of the caller's other sessions (this one signs out with the header's button). */
export async function signOutSessionAction(_previous: SessionsState, formData: FormData): Promise<SessionsState> {
  const identity = await actionIdentity();
  const id = formData.get('id');
  try {
    if (typeof id !== 'string' || !isSessionId(id)) {
      throw new Problem('validation_failed', { detail: 'A session id is a lower-case UUID.' });
    }
    await revokeSessionsOrThrow(identity, id);
  } catch (error) {
    return failedFormState(error, {}, []);
  }
  revalidatePath('/account');
  return { values: {}, fieldErrors: {}, message: 'Signed out that session.' };
}

/** Signs out every session of the caller's, this one included. */
export async function signOutEverywhereAction(): Promise<SessionsState> {
  const identity = await actionIdentity();
  try {
    await revokeSessionsOrThrow(identity);
  } catch (error) {
    return failedFormState(error, {}, []);
  }
  await clearSessionCookies();
  redirect('/login');
}
