// GET /api/users's query: a page of users, optionally only those whose name or email contains a search term.
import * as z from 'zod/mini';
import { pageQuerySchema, readQuery } from '@/src/http/pagination.ts';
import { unstorable } from './schema.ts';

export const MAX_SEARCH_LENGTH = 100;

/** A search term: trimmed, 1 to 100 characters, matched case-insensitively anywhere in a name or an email. */
export const searchSchema = z.string().check(
  z.trim(),
  z.minLength(1, 'Must not be empty'),
  z.maxLength(MAX_SEARCH_LENGTH, `Must be at most ${MAX_SEARCH_LENGTH} characters`),
  z.refine((term) => !unstorable.test(term), 'Must not contain NUL or unpaired surrogate characters'),
);

export const usersQuerySchema = z.extend(pageQuerySchema, { q: z.optional(searchSchema) });

export type UsersQuery = z.output<typeof usersQuerySchema>;

export const readUsersQuery = (url: URL): UsersQuery => readQuery(url, usersQuerySchema);
