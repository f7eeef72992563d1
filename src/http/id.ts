// The `:id` path segment: a user id (src/users/schema.ts), or a 400 problem naming the segment.
import * as z from 'zod/mini';
import { idSchema } from '@/src/users/schema.ts';
import { validate } from './validation.ts';

/** The `:id` path segment as a number, or a 400 problem. */
export function readId(raw: unknown): number {
  return validate(z.object({ id: idSchema }), { id: raw }, 'path').id;
}
