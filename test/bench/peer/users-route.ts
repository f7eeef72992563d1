// GET /api/peer/users — the peer of GET /api/users (test/bench/peer/neon.ts); answers as if served at /api/users,
// so its body and Link compare byte for byte with ours.
import { page, pageQuerySchema, readQuery } from '@/src/http/pagination.ts';
import { publicUrl } from '@/src/http/public-url.ts';
import { toPublicUser } from '@/src/users/schema.ts';
import { COLUMNS, signedInGet, sql, type UserRow } from '@/test/bench/peer/neon.ts';

export const runtime = 'edge';
export const preferredRegion = 'home';

export const GET = signedInGet(async (req) => {
  const url = publicUrl(req);
  url.pathname = '/api/users';
  const query = readQuery(url, pageQuerySchema);
  const rows = (await sql().query(`SELECT ${COLUMNS} FROM users WHERE id > $1 ORDER BY id LIMIT $2`, [
    query.cursor ?? 0,
    query.limit + 1,
  ])) as UserRow[];
  const { items, link } = page(url, rows, query);
  return Response.json(items.map(toPublicUser), { headers: link ? { link } : {} });
});
