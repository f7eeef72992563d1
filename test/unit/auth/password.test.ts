// Password hashing (PBKDF2-HMAC-SHA256 through WebCrypto) and the length rules clients are held to.
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import '@/test/support/in-process/database.ts';
import {
  hashPassword,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  needsRehash,
  verifyPassword,
} from '@/src/auth/password.ts';
import { loginSchema, passwordSchema, registerSchema } from '@/src/auth/schema.ts';

// test/support/in-process/database.ts configures 1000 iterations, so that hashing is cheap here.
const ITERATIONS = Number(process.env.PASSWORD_ITERATIONS);
const FORMAT = /^pbkdf2-sha256\$(\d+)\$([A-Za-z0-9_-]{22})\$([A-Za-z0-9_-]{43})$/;

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('hashPassword', () => {
  it('stores pbkdf2-sha256$<iterations>$<salt>$<hash>, with a 16-byte salt and a 32-byte hash in base64url', async () => {
    const stored = await hashPassword('correct horse battery');
    const [, iterations] = FORMAT.exec(stored) ?? [];
    expect(stored).toMatch(FORMAT);
    expect(Number(iterations)).toBe(ITERATIONS);
  });

  it('salts every hash, so one password hashes differently each time', async () => {
    const [first, second] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
    expect(first).not.toBe(second);
    expect(first.split('$')[2]).not.toBe(second.split('$')[2]);
    expect(await verifyPassword('same password', first)).toBe(true);
    expect(await verifyPassword('same password', second)).toBe(true);
  });
});

describe('verifyPassword', () => {
  it('accepts the right password', async () => {
    expect(await verifyPassword('correct horse battery', await hashPassword('correct horse battery'))).toBe(true);
  });

  it.each([
    ['a wrong password', 'wrong horse battery'],
    ['the password in another case', 'Correct Horse Battery'],
    ['a prefix of the password', 'correct horse'],
    ['the password with a trailing space', 'correct horse battery '],
    ['an empty password', ''],
  ])('rejects %s', async (_label, attempt) => {
    expect(await verifyPassword(attempt, await hashPassword('correct horse battery'))).toBe(false);
  });

  it('accepts passwords of 8 and of 128 characters, and tells a 128-character one from its 127-character prefix', async () => {
    const shortest = 'p'.repeat(MIN_PASSWORD_LENGTH);
    const longest = Array.from({ length: MAX_PASSWORD_LENGTH }, (_, i) => String.fromCharCode(33 + (i % 90))).join('');
    expect(await verifyPassword(shortest, await hashPassword(shortest))).toBe(true);
    const stored = await hashPassword(longest);
    expect(await verifyPassword(longest, stored)).toBe(true);
    expect(await verifyPassword(longest.slice(0, -1), stored)).toBe(false);
  });

  it('handles passwords beyond ASCII', async () => {
    const password = 'pässwörd-密码-🔑';
    expect(await verifyPassword(password, await hashPassword(password))).toBe(true);
    expect(await verifyPassword(password.normalize('NFD'), await hashPassword(password))).toBe(false);
  });

  it('checks a hash made with another iteration count by the count it records', async () => {
    vi.stubEnv('PASSWORD_ITERATIONS', '2000');
    vi.resetModules();
    const stronger = await import('@/src/auth/password.ts');
    const stored = await stronger.hashPassword('correct horse battery');
    expect(stored.split('$')[1]).toBe('2000');
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['an empty string', ''],
    ['a plain-text password', 'correct horse battery'],
    ['another scheme', 'bcrypt$2b$12$abcdefghijklmnopqrstuv'],
    ['too few parts', 'pbkdf2-sha256$1000$c2FsdA'],
    ['too many parts', 'pbkdf2-sha256$1000$c2FsdA$aGFzaA$extra'],
    ['zero iterations', 'pbkdf2-sha256$0$c2FsdA$aGFzaA'],
    ['non-numeric iterations', 'pbkdf2-sha256$many$c2FsdA$aGFzaA'],
    ['negative iterations', 'pbkdf2-sha256$-1000$c2FsdA$aGFzaA'],
    ['a salt and hash that are not base64url', 'pbkdf2-sha256$1000$!!!$???'],
    ['a salt of impossible base64 length', 'pbkdf2-sha256$1000$a$aGFzaA'],
    ['an empty hash', 'pbkdf2-sha256$1000$c2FsdA$'],
  ])('treats %s as a stored hash that matches nothing', async (_label, stored) => {
    await expect(verifyPassword('correct horse battery', stored)).resolves.toBe(false);
  });

  it('spends the same key derivation on a missing hash as on a real one', async () => {
    await verifyPassword('warm up the decoy', null);
    const deriveBits = vi.spyOn(crypto.subtle, 'deriveBits');
    await verifyPassword('correct horse battery', null);
    expect(deriveBits).toHaveBeenCalledTimes(1);
    expect(deriveBits.mock.calls[0]?.[0]).toMatchObject({ name: 'PBKDF2', hash: 'SHA-256', iterations: ITERATIONS });
  });
});

describe('needsRehash', () => {
  it('is true for a hash made with fewer iterations than configured', () => {
    expect(needsRehash(`pbkdf2-sha256$${ITERATIONS - 1}$c2FsdA$aGFzaA`)).toBe(true);
  });

  it('is false at or above the configured count', async () => {
    expect(needsRehash(await hashPassword('correct horse battery'))).toBe(false);
    expect(needsRehash(`pbkdf2-sha256$${ITERATIONS * 10}$c2FsdA$aGFzaA`)).toBe(false);
  });

  it('is true for yesterday’s hashes once the configured count is raised', async () => {
    const stored = await hashPassword('correct horse battery');
    vi.stubEnv('PASSWORD_ITERATIONS', String(ITERATIONS * 2));
    vi.resetModules();
    const raised = await import('@/src/auth/password.ts');
    expect(raised.needsRehash(stored)).toBe(true);
    expect(raised.needsRehash(await raised.hashPassword('correct horse battery'))).toBe(false);
  });
});

describe('password length rules', () => {
  const messages = (schema: z.ZodMiniType, value: unknown) => {
    const result = z.safeParse(schema, value);
    return result.success ? [] : result.error.issues.map((issue) => issue.message);
  };

  it('are 8 to 128 characters', () => {
    expect(MIN_PASSWORD_LENGTH).toBe(8);
    expect(MAX_PASSWORD_LENGTH).toBe(128);
  });

  it('refuse 7 characters and accept 8 when registering', () => {
    expect(messages(passwordSchema, 'x'.repeat(7))).toEqual(['Must be at least 8 characters']);
    expect(messages(passwordSchema, 'x'.repeat(8))).toEqual([]);
  });

  it('accept 128 characters and refuse 129 when registering', () => {
    expect(messages(passwordSchema, 'x'.repeat(128))).toEqual([]);
    expect(messages(passwordSchema, 'x'.repeat(129))).toEqual(['Must be at most 128 characters']);
  });

  it('apply to the register body', () => {
    const body = { name: 'Ada', email: 'ada@example.com' };
    expect(z.safeParse(registerSchema, { ...body, password: 'x'.repeat(8) }).success).toBe(true);
    expect(z.safeParse(registerSchema, { ...body, password: 'x'.repeat(7) }).success).toBe(false);
  });

  it('when signing in, refuse only an empty or over-long password, so the rules give no hints', () => {
    const login = (password: string) => messages(loginSchema, { email: 'ada@example.com', password });
    expect(login('x')).toEqual([]);
    expect(login('x'.repeat(128))).toEqual([]);
    expect(login('')).toEqual(['Must not be empty']);
    expect(login('x'.repeat(129))).toEqual(['Must be at most 128 characters']);
  });
});
