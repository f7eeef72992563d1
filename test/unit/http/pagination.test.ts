// Keyset pages: rows come fetched one past the limit, and that extra row alone says a next page exists.
import { describe, expect, it } from 'vitest';
import { page, splitPage } from '@/src/http/pagination.ts';

const rows = (...ids: number[]) => ids.map((id) => ({ id }));

describe('splitPage', () => {
  it('keeps `limit` items and names the last one as the next cursor when a further row came back', () => {
    expect(splitPage(rows(3, 5, 8), 2)).toEqual({ items: rows(3, 5), nextCursor: 5 });
  });

  it.each([
    [rows(3, 5), 2],
    [rows(3), 2],
    [rows(), 2],
  ])('has no next cursor when no further row came back (%j, limit %i)', (fetched, limit) => {
    expect(splitPage(fetched, limit)).toEqual({ items: fetched, nextCursor: undefined });
  });
});

describe('page', () => {
  const url = new URL('https://api.example/api/users?limit=2&cursor=1&other=kept');

  it('links to the next page from the same URL, with the limit and the new cursor', () => {
    const { items, link } = page(url, rows(3, 5, 8), { limit: 2, cursor: 1 });
    expect(items).toEqual(rows(3, 5));
    expect(link).toBe('<https://api.example/api/users?limit=2&cursor=5&other=kept>; rel="next"');
  });

  it('has no link on the last page', () => {
    expect(page(url, rows(3, 5), { limit: 2, cursor: 1 })).toEqual({ items: rows(3, 5), link: undefined });
  });
});
