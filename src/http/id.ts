// Resource ids: positive 32-bit integers written in plain decimal.
import * as z from 'zod/mini';
import { validate } from './validation.ts';

export const MAX_ID = 2_147_483_647;

export const idSchema = z.pipe(
  z.string().check(z.regex(/^[1-9][0-9]{0,9}$/, 'Must be a positive integer')),
  z.pipe(z.transform(Number), z.number().check(z.maximum(MAX_ID, `Must be at most ${MAX_ID}`))),
);

/** `value` as an id when it is one (a token's subject, a CLI argument), else undefined. */
export function parseId(value: unknown): number | undefined {
  const parsed = z.safeParse(idSchema, value);
  return parsed.success ? parsed.data : undefined;
}

/** The `:id` path segment as a number, or a 400 problem. */
export function readId(raw: unknown): number {
  return validate(z.object({ id: idSchema }), { id: raw }, 'path').id;
}
