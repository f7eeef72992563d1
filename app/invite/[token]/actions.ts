'use server';
// Setting a password from a one-time link: the API's own code (POST /api/auth/invitation), then its session cookies.
import { redirect } from 'next/navigation';
import { incomingRequest } from '@/src/auth/current-user.ts';
import type { SignedIn } from '@/src/auth/login.ts';
import { setSessionCookies } from '@/src/auth/session-cookies.ts';
import { validate } from '@/src/http/validation.ts';
import { acceptInvitation } from '@/src/invitations/accept.ts';
import { acceptInvitationSchema } from '@/src/invitations/schema.ts';
import { failedFormState, textField, type FormState } from '../../form-state.ts';

export type InviteField = 'password';
export type InviteState = FormState<InviteField>;

const INVITE_FIELDS = ['password'] as const;

export async function acceptInvitationAction(_previous: InviteState, formData: FormData): Promise<InviteState> {
  const input = { token: textField(formData, 'token'), password: textField(formData, 'password') };
  let session: SignedIn;
  try {
    session = await acceptInvitation(validate(acceptInvitationSchema, input, 'body'), await incomingRequest('POST'));
  } catch (error) {
    return failedFormState(error, {}, INVITE_FIELDS);
  }
  await setSessionCookies(session.tokens);
  redirect('/users');
}
