// What clients send to sign up and sign in, and the tokens they get back.
import * as z from 'zod/mini';
import { emailSchema, nameSchema, publicUserSchema } from '@/src/users/schema.ts';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './password.ts';

export const passwordSchema = z
  .string()
  .check(
    z.minLength(MIN_PASSWORD_LENGTH, `Must be at least ${MIN_PASSWORD_LENGTH} characters`),
    z.maxLength(MAX_PASSWORD_LENGTH, `Must be at most ${MAX_PASSWORD_LENGTH} characters`),
  );

/** Longer than any device token we issue (an email of up to 254 characters, a random id, a signature). */
export const MAX_DEVICE_TOKEN_LENGTH = 1024;

export const loginSchema = z.strictObject({
  email: emailSchema,
  // Length only: a wrong password of any shape is a 401, not a hint about the rules.
  password: z
    .string()
    .check(
      z.minLength(1, 'Must not be empty'),
      z.maxLength(MAX_PASSWORD_LENGTH, `Must be at most ${MAX_PASSWORD_LENGTH} characters`),
    ),
  deviceToken: z.optional(
    z
      .string()
      .check(
        z.maxLength(MAX_DEVICE_TOKEN_LENGTH, `Must be at most ${MAX_DEVICE_TOKEN_LENGTH} characters`),
        z.describe(
          'The `deviceToken` this client got when it last signed in to this account: its sign-in attempts are then ' +
            "counted for this device alone, so strangers' failures cannot lock it out. Browsers send the device " +
            "cookie instead. A token that is not valid for this account (expired, forged, another account's) " +
            "counts the attempt as a stranger's.",
        ),
      ),
  ),
});

export const registerSchema = z.strictObject({
  name: nameSchema,
  email: emailSchema,
  password: passwordSchema,
});

/** POST /api/auth/password. */
export const changePasswordSchema = z.strictObject({
  currentPassword: loginSchema.shape.password,
  newPassword: passwordSchema,
});

export type Login = z.output<typeof loginSchema>;
export type ChangePassword = z.output<typeof changePasswordSchema>;
export type Register = z.output<typeof registerSchema>;

/** POST /api/auth/refresh from curl and services; browsers send the refresh cookie and no body. */
export const refreshSchema = z.strictObject({
  refreshToken: z
    .string()
    .check(z.minLength(1, 'Must not be empty'), z.maxLength(200, 'Must be at most 200 characters')),
});

/** The answer to renewing a session (POST /api/auth/refresh): its tokens, as curl and services read them. */
export const tokensSchema = z.object({
  token: z
    .string()
    .check(z.describe('An HS256 JWT access token, short-lived; send it as `Authorization: Bearer <token>`.')),
  expiresAt: z.iso.datetime(),
  refreshToken: z.optional(
    z
      .string()
      .check(
        z.describe(
          'Renews the session once at POST /api/auth/refresh, which returns the next one. Absent when renewed ' +
            'from the refresh cookie (it stays in the cookie) or by a request that lost a concurrent renewal.',
        ),
      ),
  ),
  refreshExpiresAt: z.optional(z.iso.datetime()),
});

/** The answer to signing in, signing up and changing a password: the user and the new session's tokens. */
export const signedInSchema = z.object({
  user: publicUserSchema,
  ...tokensSchema.shape,
  deviceToken: z.optional(
    z
      .string()
      .check(
        z.describe(
          'Signing in and signing up: a device token for this account, valid for 90 days. Keep it and send it as ' +
            "`deviceToken` when signing in again: this client's attempts are then counted apart from strangers', " +
            'who cannot lock it out. Browsers get it as an HttpOnly cookie as well (`__Host-device` over HTTPS).',
        ),
      ),
  ),
});

export type TokensBody = z.output<typeof tokensSchema>;
