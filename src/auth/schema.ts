// What clients send to sign up and sign in.
import * as z from 'zod/mini';
import { emailSchema, nameSchema } from '@/src/users/schema.ts';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './password.ts';

export const passwordSchema = z
  .string()
  .check(
    z.minLength(MIN_PASSWORD_LENGTH, `Must be at least ${MIN_PASSWORD_LENGTH} characters`),
    z.maxLength(MAX_PASSWORD_LENGTH, `Must be at most ${MAX_PASSWORD_LENGTH} characters`),
  );

export const loginSchema = z.strictObject({
  email: emailSchema,
  // Length only: a wrong password of any shape is a 401, not a hint about the rules.
  password: z
    .string()
    .check(
      z.minLength(1, 'Must not be empty'),
      z.maxLength(MAX_PASSWORD_LENGTH, `Must be at most ${MAX_PASSWORD_LENGTH} characters`),
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
