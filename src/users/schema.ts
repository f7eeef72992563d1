// The users resource's shapes: what clients may send, and the public form every response uses.
import * as z from 'zod/mini';

export const ROLES = ['user', 'admin'] as const;

export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/** A user's id: a positive 32-bit integer, written in plain decimal in paths, cursors and token subjects. */
export const MAX_ID = 2_147_483_647;

export const idSchema = z.pipe(
  z.string().check(z.regex(/^[1-9][0-9]{0,9}$/, 'Must be a positive integer')),
  z.pipe(z.transform(Number), z.number().check(z.maximum(MAX_ID, `Must be at most ${MAX_ID}`))),
);

/** `value` as a user id when it is one (a token's subject, a CLI argument), else undefined. */
export function parseId(value: unknown): number | undefined {
  const parsed = z.safeParse(idSchema, value);
  return parsed.success ? parsed.data : undefined;
}

/** NUL, which Postgres text cannot hold, and unpaired UTF-16 surrogates, which UTF-8 cannot encode. */
export const unstorable = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const nameSchema = z.string().check(
  z.trim(),
  z.minLength(1, 'Must not be empty'),
  z.maxLength(100, 'Must be at most 100 characters'),
  z.refine((name) => !unstorable.test(name), 'Must not contain NUL or unpaired surrogate characters'),
);

export const emailSchema = z
  .string()
  .check(
    z.trim(),
    z.maxLength(254, 'Must be at most 254 characters'),
    z.email('Must be an email address'),
    z.toLowerCase(),
  );

/** POST /api/users. Unknown keys are refused so no column can be mass-assigned. */
export const createUserSchema = z.strictObject({
  name: nameSchema,
  email: emailSchema,
  role: z.optional(roleSchema),
});

/** PATCH /api/users/:id: any of the fields, at least one. */
export const updateUserSchema = z
  .partial(createUserSchema)
  .check(z.refine((data) => Object.keys(data).length > 0, 'Send at least one of: name, email, role'));

export type CreateUser = z.output<typeof createUserSchema>;
export type UpdateUser = z.output<typeof updateUserSchema>;

export const publicUserSchema = z.object({
  id: z.number().check(z.int()),
  name: z.string(),
  email: z.string(),
  role: roleSchema,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export type PublicUser = z.infer<typeof publicUserSchema>;

/** A user's row as queries return it, before the public shape is picked from it. */
export interface UserRecord {
  id: number;
  name: string;
  email: string;
  role: Role;
  createdAt: Date;
  updatedAt: Date;
}

/** Picks the public fields by name, so a column added later never leaks by default. */
export function toPublicUser(user: UserRecord): PublicUser {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    role: user.role,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}
