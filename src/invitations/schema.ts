// What clients send to use a one-time link, and the link an admin gets back.
import * as z from 'zod/mini';
import { passwordSchema } from '@/src/auth/schema.ts';
import { emailSchema } from '@/src/users/schema.ts';

export const INVITATION_PURPOSES = ['invitation', 'password_reset'] as const;
export type InvitationPurpose = (typeof INVITATION_PURPOSES)[number];

/** Longer tokens are refused before any hashing or database work; ours are 43 characters. */
export const MAX_INVITATION_TOKEN_LENGTH = 200;

/** POST /api/auth/invitation: the token from the link (`/invite/{token}`) and the password to set. */
export const acceptInvitationSchema = z.strictObject({
  token: z
    .string()
    .check(
      z.minLength(1, 'Must not be empty'),
      z.maxLength(MAX_INVITATION_TOKEN_LENGTH, `Must be at most ${MAX_INVITATION_TOKEN_LENGTH} characters`),
    ),
  password: passwordSchema,
});

export type AcceptInvitation = z.output<typeof acceptInvitationSchema>;

/** The one-time link, as the admin who issued it gets it (the token itself is never stored). */
export const invitationLinkSchema = z.object({
  url: z.url().check(z.describe('Open it to set a password: `/invite/{token}` on this site. It works once.')),
  purpose: z
    .enum(INVITATION_PURPOSES)
    .check(z.describe('`invitation` for a user with no password yet, `password_reset` for one who has one.')),
  expiresAt: z.iso.datetime(),
});

export type InvitationLink = z.output<typeof invitationLinkSchema>;

/** POST /api/auth/password-reset: the email of the account whose password was forgotten. */
export const passwordResetSchema = z.strictObject({ email: emailSchema });

export type PasswordReset = z.output<typeof passwordResetSchema>;

/** The answer to every accepted reset request, whether or not an account uses the email. */
export const passwordResetAcceptedSchema = z.object({
  message: z
    .string()
    .check(z.describe('The same words for every email, so the answer tells no one who has an account.')),
});

export const PASSWORD_RESET_ACCEPTED: z.output<typeof passwordResetAcceptedSchema> = {
  message:
    'If an account uses this email, a link to set a new password is on its way to it. The link works once; ' +
    'setting a password with it signs that account out everywhere.',
};
