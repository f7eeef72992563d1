// The one rule for ids, shared by path segments (readId), token subjects and the token CLI (parseId).
import { describe, expect, it } from 'vitest';
import { readId } from '@/src/http/id.ts';
import { Problem } from '@/src/http/problem.ts';
import { MAX_ID, parseId } from '@/src/users/schema.ts';

const NOT_IDS = ['0', '01', '-1', '+1', '1.0', '1e3', ' 1', '1 ', '0x10', '', '2147483648', '99999999999', '١'];

describe('parseId', () => {
  it.each([
    ['1', 1],
    ['42', 42],
    [String(MAX_ID), MAX_ID],
  ])('reads %s as %i', (text, id) => {
    expect(parseId(text)).toBe(id);
  });

  it.each(NOT_IDS)('refuses %j', (text) => {
    expect(parseId(text)).toBeUndefined();
  });

  it.each([1, null, undefined, {}, ['1']])('refuses the non-string %j (a token claim can be any JSON)', (value) => {
    expect(parseId(value)).toBeUndefined();
  });
});

describe('readId', () => {
  it('agrees with parseId on every case', () => {
    for (const text of NOT_IDS) expect(() => readId(text)).toThrow(Problem);
    expect(readId(String(MAX_ID))).toBe(MAX_ID);
  });
});
