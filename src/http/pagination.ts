// Keyset pagination by id: `?limit=` and `?cursor=`, with a `Link: rel="next"` header when more remain.
import * as z from 'zod/mini';
import { idSchema } from '@/src/users/schema.ts';
import { validate } from './validation.ts';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export const pageQuerySchema = z.object({
  limit: z._default(
    z.pipe(
      z.string().check(z.regex(/^[0-9]{1,3}$/, `Must be an integer from 1 to ${MAX_PAGE_SIZE}`)),
      z.pipe(
        z.transform(Number),
        z.number().check(z.gte(1, 'Must be at least 1'), z.lte(MAX_PAGE_SIZE, `Must be at most ${MAX_PAGE_SIZE}`)),
      ),
    ),
    DEFAULT_PAGE_SIZE,
  ),
  cursor: z.optional(idSchema),
});

export type PageQuery = z.output<typeof pageQuerySchema>;

/**
 * A URL's query, validated by `schema` (a page query, or one that extends it). The API's rule for any input holds:
 * a name it does not know is a 400, in the query as in a body (`?limt=5` is a typo).
 */
export function readQuery<Shape extends z.core.$ZodShape>(url: URL, schema: z.ZodMiniObject<Shape>) {
  const query: Record<string, string> = {};
  // The first of a repeated parameter counts, as URLSearchParams.get reads it.
  for (const [name, value] of url.searchParams) if (!Object.hasOwn(query, name)) query[name] = value;
  return validate(z.strictObject(schema.shape), query, 'query');
}

/**
 * A page from rows fetched with one more than `limit` (see listUsers): its items, and the cursor of the next
 * page when that further row came back.
 */
export function splitPage<Item extends { id: number }>(rows: Item[], limit: number) {
  const items = rows.slice(0, limit);
  const nextCursor = rows.length > limit ? items.at(-1)?.id : undefined;
  return { items, nextCursor };
}

/** The page's items and, when more remain, the Link header value for the next page. */
export function page<Item extends { id: number }>(url: URL, rows: Item[], { limit }: PageQuery) {
  const { items, nextCursor } = splitPage(rows, limit);
  if (nextCursor === undefined) return { items, link: undefined };
  // Every other parameter (a search term) is kept, so the next page continues the same list.
  const next = new URL(url);
  next.searchParams.set('limit', String(limit));
  next.searchParams.set('cursor', String(nextCursor));
  return { items, link: `<${next.href}>; rel="next"` };
}
