// `npm run token`, run as a real process: a real (revocable) session for an existing user, clear usage errors.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { countRoundTrips } from '@/test/support/in-process/database.ts';
import { runScript } from '@/test/support/processes.ts';
import { db } from '@/src/db/client.ts';
import { verifyToken } from '@/src/auth/tokens.ts';
import { uniqueEmail } from '@/test/support/requests.ts';

// From the project folder, or from a folder of its own.
const token = (args: string[], env: Record<string, string | undefined>, cwd = process.cwd()) =>
  runScript('scripts/token.ts', args, { env: { ...process.env, ...env }, cwd });

const database = () => ({
  DATABASE_URL: process.env.DATABASE_URL,
  NEON_FETCH_ENDPOINT: process.env.NEON_FETCH_ENDPOINT,
  JWT_SECRET: process.env.JWT_SECRET,
});

let admin: { id: number; email: string };

beforeAll(async () => {
  admin = await db().user.create({ data: { name: 'CLI admin', email: uniqueEmail('cli'), role: 'admin' } });
});

describe('npm run token', () => {
  it('starts a session for the user by email and prints an access token with its role and session', async () => {
    const { result, roundTrips } = await countRoundTrips(() =>
      token(['--email', admin.email.toUpperCase()], database()),
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const identity = await verifyToken(result.stdout.trim());
    expect(identity).toMatchObject({ id: admin.id, role: 'admin', sessionId: expect.any(String) });
    expect(roundTrips).toBe(2);
    const session = await db().session.findUnique({ where: { id: identity.sessionId! } });
    expect(session).toMatchObject({ userId: admin.id, revokedAt: null });
  });

  it('prints both tokens with --json, by id', async () => {
    const result = await token(['--sub', String(admin.id), '--json'], database());
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      token: expect.any(String),
      expiresAt: expect.any(String),
      refreshToken: expect.any(String),
      refreshExpiresAt: expect.any(String),
    });
  });

  it('reads DATABASE_URL and JWT_SECRET from .env.local, as next does', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'token-cli-'));
    try {
      const lines = Object.entries(database()).map(([key, value]) => `${key}=${value}`);
      await writeFile(join(folder, '.env.local'), `${lines.join('\n')}\n`);
      const result = await token(
        ['--sub', String(admin.id)],
        // NODE_ENV=test (Vitest's) would make Next's loader skip .env.local.
        { DATABASE_URL: undefined, NEON_FETCH_ENDPOINT: undefined, JWT_SECRET: undefined, NODE_ENV: undefined },
        folder,
      );
      expect(result.stderr).toBe('');
      expect((await verifyToken(result.stdout.trim())).id).toBe(admin.id);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('answers --help with the usage and exit code 0', async () => {
    const result = await token(['--help'], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^usage: npm run token -- \(--email <email> \| --sub <user id>\)/);
  });

  it.each([
    [[], /give exactly one of --email or --sub/],
    [['--email', 'a@example.com', '--sub', '1'], /give exactly one of --email or --sub/],
    [['--sub', 'abc'], /--sub must be a user id/],
    [['--role', 'admin'], /Unknown option '--role'/],
  ])('refuses %j with a usage error, exit code 2 and no stack trace', async (args, message) => {
    const result = await token(args, database());
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/usage: npm run token/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('says so when there is no such user, or no database to ask', async () => {
    const missing = await token(['--sub', '2147483647'], database());
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('token: no user with id 2147483647\n');
    const down = await token(['--sub', '1'], { ...database(), NEON_FETCH_ENDPOINT: 'http://127.0.0.1:9/sql' });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^token: the database cannot be reached/);
    expect(down.stderr).not.toMatch(/\n\s+at /);
  });
});
