// Secrets the local tools keep for themselves: the data folder's password and the development JWT secret.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomSecret, secretInFile } from '@/scripts/local-db/secrets.ts';

let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'secrets-'));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('randomSecret', () => {
  it('gives that many random bytes as base64url, different each time', () => {
    const secret = randomSecret(24);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(randomSecret(24)).not.toBe(secret);
  });
});

describe('secretInFile', () => {
  it('makes the secret once, in a file only its owner can read (in a folder it creates), then reads it back', async () => {
    const file = join(folder, 'nested', 'secret');
    const made = secretInFile(file, 48);
    expect(made.created).toBe(true);
    expect(made.secret).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(await readFile(file, 'utf8')).toBe(`${made.secret}\n`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(secretInFile(file, 48)).toEqual({ secret: made.secret, created: false });
  });

  it('keeps a secret someone else wrote', async () => {
    const file = join(folder, 'secret');
    await writeFile(file, 'chosen-elsewhere\n');
    expect(secretInFile(file, 24)).toEqual({ secret: 'chosen-elsewhere', created: false });
  });
});
